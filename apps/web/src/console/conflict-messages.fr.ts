import { labelOf, REFERRAL_STATUS_LABELS, STAGE_LABELS } from '../shared/labels';

/**
 * The API's 409 messages (English, naming the stage: workflows/journey-state.ts and the services
 * that call `conflict()`) said in French to professionals ("vous"), the way
 * public/api-messages.fr.ts says the validation messages. An unknown message is still shown, in
 * English, after a French sentence: a refusal is never swallowed.
 */
const ACTIONS: Record<string, string> = {
  'log a contact': 'enregistrer un contact',
  'change the profile': 'modifier le profil',
  'refer to a partner': 'orienter vers un partenaire',
  rematch: 'chercher un autre partenaire',
  'record a check-in': 'enregistrer un point de suivi',
  pause: 'mettre en pause',
  resume: 'reprendre le dossier',
  'close the case': 'clôturer le dossier',
  'record attendance': 'enregistrer la présence',
  'report an outcome': 'déclarer une sortie',
};

const stage = (code: string) => `« ${labelOf(STAGE_LABELS, code)} »`;
const stages = (codes: string) =>
  codes
    .split(',')
    .map((c) => stage(c.trim()))
    .join(', ');
const action = (english: string) => ACTIONS[english] ?? english;
/** « de » before the action, elided before a vowel: « d'enregistrer ». */
const toDo = (english: string) => {
  const french = action(english);
  return /^[aeiouéh]/i.test(french) ? `d'${french}` : `de ${french}`;
};
const status = (code: string) => `« ${labelOf(REFERRAL_STATUS_LABELS, code)} »`;

const HINTS: [RegExp, string][] = [
  [/Resume the case first\./, ' Reprenez d’abord le dossier.'],
  [/A partner is deciding on a referral/, ' Un partenaire étudie une orientation : attendez sa réponse ou cherchez un autre partenaire.'],
];
const hintOf = (message: string) =>
  HINTS.filter(([p]) => p.test(message))
    .map(([, h]) => h)
    .join('');

const BY_MESSAGE: [RegExp, (m: RegExpExecArray, message: string) => string][] = [
  [
    /^Cannot record a check-in while the case is (\w+): check-ins start/,
    (m) =>
      `Impossible d'enregistrer un point de suivi : le dossier est à l'étape ${stage(m[1])}. Les points de suivi commencent une fois le parcours commencé (étape ${stage('IN_PATHWAY')}).`,
  ],
  [
    /^Cannot (.+?) while the case is (\w+) \(allowed in ([A-Z_, ]+)\)/,
    (m, message) =>
      `Impossible ${toDo(m[1])} : le dossier est à l'étape ${stage(m[2])} (possible aux étapes ${stages(m[3])}).${hintOf(message)}`,
  ],
  [/^Cannot (.+?): the case is CLOSED/, (m) => `Impossible ${toDo(m[1])} : le dossier est clôturé.`],
  [
    /^All (\d+) check-ins of the case are recorded/,
    (m) => `Les ${m[1]} points de suivi du dossier sont enregistrés : clôturez le dossier avec sa sortie.`,
  ],
  [/^The case is already REFERRED to partner (.+)\.$/, (m) => `Le dossier est déjà orienté vers ce partenaire (${m[1]}).`],
  [
    /^This referral is (\w+).*only a PENDING referral/,
    (m) => `Cette orientation est ${status(m[1])} : seule une orientation en attente peut être acceptée ou refusée.`,
  ],
  [/^This link has already been used: the referral is (\w+)/, (m) => `Ce lien a déjà été utilisé : l'orientation est ${status(m[1])}.`],
  [
    /^This referral is (\w+): it can no longer be accepted/,
    (m) => `Cette orientation est ${status(m[1])} : elle ne peut plus être acceptée ni refusée.`,
  ],
  [/^Attendance is recorded on the accepted referral only/, () => "La présence s'enregistre sur l'orientation acceptée uniquement."],
  [/^An outcome is reported on the accepted referral only/, () => "La sortie se déclare sur l'orientation acceptée uniquement."],
  [
    /^The personal data of this (case|young person) has been erased/,
    () => 'Les données personnelles de ce jeune ont été effacées : il n’y a plus rien à modifier.',
  ],
  [
    /^The policy is at version (\d+), not (\S+): read it again/,
    (m) =>
      `La politique est passée à la version ${m[1]} (vous modifiiez la version ${m[2]}) : rechargez-la et refaites votre modification.`,
  ],
  [
    /^Only a pending referral gets a link: this one is past its due time/,
    () => "Le délai de réponse de cette orientation est passé : elle n'a plus de lien.",
  ],
  [
    /^Only a pending referral gets a link: this one is (\w+)/,
    (m) => `Seule une orientation en attente a un lien : celle-ci est ${status(m[1])}.`,
  ],
  [/^A user with the email (.+) already exists/, (m) => `Un utilisateur a déjà l'adresse ${m[1]}.`],
  [/^A partner with id (.+) already exists/, (m) => `Un partenaire a déjà l'identifiant ${m[1]}.`],
  [/^This Idempotency-Key was already used/, () => 'Cette action a déjà été envoyée avec un autre contenu : recommencez-la.'],
  [/Idempotency-Key|has not answered yet/, () => 'La même action est encore en cours : attendez un instant avant de recommencer.'],
];

/** The French explanation of a 409's message. */
export function frenchConflict(message: string): string {
  for (const [pattern, say] of BY_MESSAGE) {
    const match = pattern.exec(message);
    if (match) return say(match, message);
  }
  return `Action refusée dans l'état actuel : ${message}`;
}
