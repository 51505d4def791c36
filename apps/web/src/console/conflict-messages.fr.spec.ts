import { frenchConflict } from './conflict-messages.fr';

// The English sentences are the API's own (workflows/journey-state.ts, the services' conflict()).
describe('a 409 explained in French', () => {
  it.each([
    [
      'Cannot pause while the case is REFERRED (allowed in ENGAGING, MATCHING, NEEDS_COUNSELLOR, ACCEPTED, IN_PATHWAY). A partner is deciding on a referral: wait for the answer or rematch first.',
      "Impossible de mettre en pause : le dossier est à l'étape « Orienté » (possible aux étapes « Prise de contact », « Recherche de partenaire », « À traiter par un conseiller », « Accepté », « En parcours »). Un partenaire étudie une orientation : attendez sa réponse ou cherchez un autre partenaire.",
    ],
    ['Cannot log a contact: the case is CLOSED.', "Impossible d'enregistrer un contact : le dossier est clôturé."],
    [
      'Cannot resume while the case is IN_PATHWAY (allowed in PAUSED).',
      "Impossible de reprendre le dossier : le dossier est à l'étape « En parcours » (possible aux étapes « En pause »).",
    ],
    [
      'Cannot record a check-in while the case is ACCEPTED: check-ins start once the pathway has started (IN_PATHWAY).',
      "Impossible d'enregistrer un point de suivi : le dossier est à l'étape « Accepté ». Les points de suivi commencent une fois le parcours commencé (étape « En parcours »).",
    ],
    [
      'This referral is DECLINED since 2026-01-02: only a PENDING referral can be accepted or declined.',
      'Cette orientation est « Refusée » : seule une orientation en attente peut être acceptée ou refusée.',
    ],
    [
      'The policy is at version 4, not 3: read it again and re-apply your change.',
      'La politique est passée à la version 4 (vous modifiiez la version 3) : rechargez-la et refaites votre modification.',
    ],
  ])('%s', (english, french) => expect(frenchConflict(english)).toBe(french));

  it('an unknown refusal keeps the API sentence after a French one, never swallowed', () => {
    expect(frenchConflict('Something new.')).toBe("Action refusée dans l'état actuel : Something new.");
  });
});
