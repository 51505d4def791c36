import type { Barrier, DiplomaLevel, Situation, Wish } from '@walt/domain';
import { ageOn } from '@walt/domain';
import { INTAKE_MESSAGES, IntakeMessageKey } from '@walt/intake';
import type { ChatDraftFields, QuickReply } from '@walt/persistence';
import type { ChatReply } from './flow/conversation';
import type { ChatStep, Question, Unusable } from './flow/steps';
import { faqIntent } from './parse/intents';

/**
 * The bot's words, in the programme's voice (PRODUCT.md: "tu", short, warm, one next step).
 * A reply is rendered here, outside the workflow, from the reply's codes and the draft: the
 * history never holds a reply's text, which may repeat what the young person typed.
 */

export interface RenderedReply {
  text: string;
  quickReplies: QuickReply[];
}

const qr = (label: string, value = label): QuickReply => ({ label, value });

const WELCOME: Record<NonNullable<ChatReply['welcome']>, string> = {
  NEW:
    "Salut ! Moi c'est Walt, l'assistant du programme qui aide les 16-25 ans à trouver un emploi, une formation ou une nouvelle voie. " +
    'Je vais te poser quelques questions, une à la fois : ton prénom, ta date de naissance, où tu habites, ton diplôme, ta situation, tes envies et comment te joindre. Ça prend 3 minutes. ' +
    'Tu peux me poser une question à tout moment, écrire « retour » pour revenir en arrière ou « recommencer » pour tout reprendre.',
  AFTER_EXPIRY:
    "Re-bonjour ! Notre conversation d'avant est restée sans réponse trop longtemps, alors j'ai effacé ce que tu m'avais dit : on reprend depuis le début, ça ne prend que 3 minutes.",
  AFTER_COMPLETION:
    "Re-bonjour ! Ta demande d'avant est bien enregistrée, l'équipe s'en occupe. Si tu veux refaire une demande, on reprend depuis le début.",
};

const QUESTION_TEXT: Record<ChatStep, string> = {
  FIRST_NAME: 'Pour commencer, quel est ton prénom ?',
  BIRTH_DATE: 'Quelle est ta date de naissance ? (par exemple 12/03/2005)',
  POSTAL_CODE: 'Quel est ton code postal ? Si tu ne le connais pas, écris le nom de ta ville.',
  COMMUNE: 'Plusieurs communes correspondent : laquelle est la tienne ? (tu peux aussi écrire son nom)',
  DIPLOMA: "Quel est ton diplôme le plus élevé ? Si tu n'en as pas, c'est OK aussi.",
  SITUATION: 'Et en ce moment, tu en es où ?',
  BARRIERS:
    "Est-ce qu'il y a des choses qui te compliquent la vie en ce moment ? Par exemple la santé, le logement, le transport, l'argent, les papiers… Tu n'es pas obligé·e de répondre.",
  WISHES: "Qu'est-ce qui te ferait envie ? Tu peux en choisir plusieurs.",
  CONTACT: 'Comment on peut te joindre ? Donne-moi ton numéro de portable, ton e-mail, ou les deux.',
  CONSENT:
    "Avant d'envoyer : tes réponses servent uniquement à t'accompagner. Elles sont gardées par l'équipe du programme et transmises seulement à la structure qui t'accompagnera (Mission Locale, E2C…). Tu peux demander à les voir ou à les effacer à tout moment. Tu es d'accord ?",
  AGE_CHECK: 'Tu veux corriger ta date, continuer quand même, ou arrêter ici ?',
  RECAP: "C'est bon, j'envoie ?",
  DONE: '',
};

const QUICK_REPLIES: Partial<Record<ChatStep, QuickReply[]>> = {
  DIPLOMA: [
    qr('Aucun diplôme', 'aucun diplôme'),
    qr('Brevet', 'brevet'),
    qr('CAP ou BEP', 'cap'),
    qr('Bac (général, techno ou pro)', 'bac'),
    qr('Bac+2 (BTS, DUT…)', 'bac+2'),
    qr('Licence ou plus', 'licence'),
  ],
  SITUATION: [
    qr("J'ai quitté l'école cette année", "j'ai quitté l'école"),
    qr('Je cherche un emploi', 'je cherche un emploi'),
    qr("Je fais de l'intérim ou des petits boulots", 'intérim'),
    qr('Je ne fais rien en ce moment', 'je ne fais rien'),
    qr('Autre chose', 'autre'),
  ],
  BARRIERS: [
    qr('Santé', 'santé'),
    qr('Logement', 'logement'),
    qr('Transport, permis', 'transport'),
    qr('Famille, enfants', 'famille'),
    qr('Argent', 'argent'),
    qr('Papiers, démarches', 'papiers'),
    qr('Langue française', 'langue française'),
    qr('Justice', 'justice'),
    qr('Rien de tout ça', 'rien de tout ça'),
    qr('Je préfère ne pas répondre', 'je préfère ne pas répondre'),
  ],
  WISHES: [
    qr('Trouver un emploi', 'emploi'),
    qr('Une formation', 'formation'),
    qr("L'alternance", 'alternance'),
    qr('Un service civique', 'service civique'),
    qr('Créer mon entreprise', 'créer mon entreprise'),
    qr('Je ne sais pas encore', 'je ne sais pas'),
  ],
  CONSENT: [qr("Oui, j'accepte", "oui j'accepte"), qr('Oui, mais sans partage avec les structures', 'oui sans partage'), qr('Non', 'non')],
  AGE_CHECK: [qr('Corriger ma date', 'corriger ma date'), qr('Continuer quand même', 'continuer'), qr('Arrêter ici', 'arrêter')],
  RECAP: [qr("C'est bon, j'envoie", "c'est bon"), qr('Changer une réponse', 'changer une réponse')],
  DONE: [qr('Parler à une personne', 'parler à un conseiller')],
};

const FIELD_LABEL: Record<Question, string> = {
  FIRST_NAME: 'Prénom',
  BIRTH_DATE: 'Date de naissance',
  POSTAL_CODE: 'Code postal',
  DIPLOMA: 'Diplôme',
  SITUATION: 'Situation',
  BARRIERS: 'Difficultés',
  WISHES: 'Envies',
  CONTACT: 'Contact',
  CONSENT: 'Accord',
};

const CHANGE_REPLIES: QuickReply[] = [
  qr('Prénom', 'changer mon prénom'),
  qr('Date de naissance', 'changer ma date de naissance'),
  qr('Code postal', 'changer mon code postal'),
  qr('Diplôme', 'changer mon diplôme'),
  qr('Situation', 'changer ma situation'),
  qr('Difficultés', 'changer mes difficultés'),
  qr('Envies', 'changer mes envies'),
  qr('Contact', 'changer mon contact'),
];

const DIPLOMA_LABEL: Record<DiplomaLevel, string> = {
  NONE: 'aucun diplôme (ou le brevet)',
  CAP_BEP: 'CAP ou BEP',
  BAC: 'bac',
  BAC_2: 'bac+2',
  BAC_3_PLUS: 'licence ou plus',
};
const SITUATION_LABEL: Record<Situation, string> = {
  LEFT_SCHOOL: "tu as quitté l'école récemment",
  LOOKING_FOR_JOB: 'tu cherches un emploi',
  SHORT_CONTRACTS: "tu fais de l'intérim ou des contrats courts",
  INACTIVE: 'tu ne fais rien en ce moment',
  OTHER: 'autre chose',
};
const BARRIER_LABEL: Record<Barrier, string> = {
  HEALTH: 'santé',
  HOUSING: 'logement',
  MOBILITY: 'transport',
  FAMILY: 'famille',
  RESOURCES: 'argent',
  ADMIN: 'papiers',
  LANGUAGE: 'langue',
  JUSTICE: 'justice',
};
const WISH_LABEL: Record<Wish, string> = {
  JOB: 'un emploi',
  TRAINING: 'une formation',
  ALTERNANCE: "l'alternance",
  CIVIC_SERVICE: 'un service civique',
  BUSINESS_CREATION: 'créer ton entreprise',
  NOT_SURE: 'tu ne sais pas encore',
};

const UNUSABLE_TEXT: Record<Unusable, string> = {
  EMPTY: "Je n'ai rien reçu.",
  NOT_UNDERSTOOD: "Je n'ai pas bien compris, désolé.",
  EMOJI: "J'aime bien les emojis, mais là il me faut une réponse en mots 🙂",
  OTHER_LANGUAGE: "Pour l'instant je ne parle que français, désolé. (Sorry, I only speak French for now.)",
  MARKUP: 'Je ne lis que du texte simple : écris-moi juste ta réponse, avec tes mots.',
  TOO_LONG: 'Ton message est un peu long pour moi : tu peux me répondre en quelques mots ?',
  NAME_INVALID: "Je n'ai pas reconnu un prénom : écris juste ton prénom, par exemple « Léa ».",
  DATE_NO_YEAR: "Il me manque l'année de naissance.",
  DATE_INCOMPLETE: 'Il me faut le jour, le mois et l’année.',
  DATE_INVALID: "Cette date n'existe pas dans le calendrier.",
  DATE_FUTURE: 'Cette date est dans le futur.',
  DATE_IMPLAUSIBLE: 'Cette date me paraît bien lointaine.',
  POSTAL_UNKNOWN: 'Je ne trouve pas ce code postal : il a bien 5 chiffres ?',
  CITY_UNKNOWN: 'Je ne trouve pas cette ville.',
  PHONE_INVALID: 'Ce numéro ne ressemble pas à un numéro de téléphone français : il a bien 10 chiffres, comme 06 12 34 56 78 ?',
  EMAIL_INVALID: "Cette adresse e-mail n'a pas l'air complète (par exemple prenom@exemple.fr).",
  CHOICE_UNKNOWN: "Je n'ai pas trouvé ta commune dans la liste.",
  CONSENT_UNCLEAR: "J'ai besoin d'un « oui » clair pour enregistrer ta demande, ou d'un « non » si tu ne veux pas.",
};

/** After three answers it could not use: an example, the choices, and a person to call back. */
const HELP_TEXT: Record<ChatStep, string> = {
  FIRST_NAME: 'Écris seulement ton prénom, par exemple « Léa » ou « Karim ».',
  BIRTH_DATE: 'Écris ta date de naissance avec des chiffres, jour/mois/année, par exemple « 12/03/2005 ».',
  POSTAL_CODE: 'Écris les 5 chiffres de ton code postal, par exemple « 69003 » ou « 97110 », ou le nom de ta ville, par exemple « Lyon ».',
  COMMUNE: 'Touche ta commune dans la liste, ou écris son nom tel quel.',
  DIPLOMA: 'Touche une des réponses ci-dessous.',
  SITUATION: 'Touche une des réponses ci-dessous.',
  BARRIERS: 'Touche une ou plusieurs réponses ci-dessous, ou « Rien de tout ça ».',
  WISHES: 'Touche une ou plusieurs réponses ci-dessous.',
  CONTACT: 'Écris ton numéro, par exemple « 06 12 34 56 78 », ou ton e-mail, par exemple « prenom@exemple.fr ».',
  CONSENT: 'Touche « Oui, j’accepte » ou « Non ».',
  AGE_CHECK: 'Touche une des réponses ci-dessous.',
  RECAP: 'Touche « C’est bon, j’envoie » ou « Changer une réponse ».',
  DONE: '',
};
const CALL_BACK = 'Si tu préfères, une personne de l’équipe peut t’appeler pour finir avec toi : écris « être rappelé ».';

function ack(field: string | undefined, draft: ChatDraftFields): string {
  switch (field) {
    case 'FIRST_NAME':
      return draft.firstName ? `Ravi de te rencontrer, ${draft.firstName} !` : 'Merci !';
    case 'BIRTH_DATE':
      return 'Merci !';
    case 'POSTAL_CODE':
      return draft.communeName ? `${draft.communeName}, c'est noté.` : "C'est noté.";
    case 'DIPLOMA':
      return "C'est noté.";
    case 'SITUATION':
      return 'Merci de me le dire.';
    case 'BARRIERS':
      return draft.barriers?.length ? 'Merci de ta confiance : on en tiendra compte pour bien t’orienter.' : "D'accord.";
    case 'WISHES':
      return "Super, c'est noté !";
    case 'CONTACT':
      return 'Parfait.';
    default:
      return '';
  }
}

function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** +33612345678 → 06 12 34 56 78; other numbers as stored. */
function readablePhone(e164: string): string {
  const overseas: Record<string, string> = { '+590': '0', '+596': '0', '+594': '0', '+262': '0' };
  const prefix = Object.keys(overseas).find((p) => e164.startsWith(p) && e164.length === 13);
  const national = e164.startsWith('+33') && e164.length === 12 ? `0${e164.slice(3)}` : prefix ? `0${e164.slice(4)}` : null;
  return national ? national.replace(/(\d{2})(?=\d)/g, '$1 ') : e164;
}

/** One line per answer given so far. */
function recapLines(draft: ChatDraftFields): string {
  const lines: [Question, string | undefined][] = [
    ['FIRST_NAME', draft.firstName],
    ['BIRTH_DATE', draft.birthDate && frenchDate(draft.birthDate)],
    ['POSTAL_CODE', draft.postalCode && `${draft.postalCode}${draft.communeName ? ` (${draft.communeName})` : ''}`],
    ['DIPLOMA', draft.diplomaLevel && DIPLOMA_LABEL[draft.diplomaLevel]],
    ['SITUATION', draft.situation && SITUATION_LABEL[draft.situation]],
    ['BARRIERS', draft.barriers && (draft.barriers.length ? draft.barriers.map((b) => BARRIER_LABEL[b]).join(', ') : 'aucune')],
    ['WISHES', draft.wishes && draft.wishes.map((w) => WISH_LABEL[w]).join(', ')],
    ['CONTACT', [draft.phone && readablePhone(draft.phone), draft.email].filter(Boolean).join(' · ') || undefined],
    ['CONSENT', draft.consent && (draft.consent.shareWithPartners ? 'oui' : 'oui, sans partage avec les structures')],
  ];
  const given = lines.filter(([, value]) => value);
  return given.length ? given.map(([field, value]) => `• ${FIELD_LABEL[field]} : ${value}`).join('\n') : '• (rien pour l’instant)';
}

function ageCheck(draft: ChatDraftFields, band: string | undefined): string {
  const age = draft.birthDate ? ageOn(draft.birthDate, new Date()) : undefined;
  const said = age !== undefined ? `D'après ta date de naissance, tu as ${age} ans. ` : '';
  const where = band === 'TOO_YOUNG' ? INTAKE_MESSAGES.tooYoung : INTAKE_MESSAGES.tooOld;
  return `${said}${where} Si tu t'es trompé·e de date, corrige-la. Tu peux aussi continuer : ta demande sera enregistrée, et on te redira où t'adresser.`;
}

function lead(reply: ChatReply, draft: ChatDraftFields): string {
  switch (reply.intent) {
    case 'WELCOME':
      return '';
    case 'ASK':
      return ack(reply.detail, draft);
    case 'AGE_ONLY':
      return 'Merci ! Il me faut ta date de naissance complète, avec le jour, le mois et l’année.';
    case 'AGE_CHECK':
      return ageCheck(draft, reply.ageBand);
    case 'CHOOSE_PLACE':
      return '';
    case 'UNUSABLE':
      return UNUSABLE_TEXT[reply.detail as Unusable] ?? UNUSABLE_TEXT.NOT_UNDERSTOOD;
    case 'HELP':
      return `Pas de souci, on va y arriver. ${reply.ask ? HELP_TEXT[reply.ask] : ''} ${CALL_BACK}`;
    case 'FAQ':
    case 'HUMAN':
      return `${faqIntent(reply.detail ?? '')?.answer ?? ''}${reply.ask ? ' On reprend :' : ''}`;
    case 'CORRECTED':
      return `C'est corrigé (${FIELD_LABEL[reply.detail as Question]?.toLowerCase() ?? 'réponse'}).${reply.ask && reply.ask !== 'RECAP' ? ' On reprend :' : ''}`;
    case 'EDIT':
      return "D'accord, on change ça.";
    case 'BACK':
      return "On revient à la question d'avant.";
    case 'RESTARTED':
      return "C'est reparti depuis le début : j'ai effacé tes réponses.";
    case 'PROGRESS':
      return `Voici ce que j'ai noté pour l'instant :\n${recapLines(draft)}\nOn continue :`;
    case 'RECAP':
      return `Voici ce que j'ai noté :\n${recapLines(draft)}`;
    case 'RECAP_CHANGE':
      return "Qu'est-ce que tu veux changer ?";
    case 'SUBMITTED': {
      const key = (reply.detail ?? 'created') as IntakeMessageKey;
      const next =
        key === 'created'
          ? ' Prochaine étape : tu vas recevoir un message de bienvenue, puis une personne de l’équipe te contacte pour trouver avec toi la structure qui te correspond.'
          : '';
      return `C'est envoyé ! ${INTAKE_MESSAGES[key] ?? INTAKE_MESSAGES.created}${next}`;
    }
    case 'INTAKE_PROBLEM':
      return `Il y a un souci avec une de tes réponses (${FIELD_LABEL[reply.detail as Question]?.toLowerCase() ?? 'réponse'}) : on la reprend.`;
    case 'AFTER_DONE':
      return "Ta demande est bien enregistrée : quelqu'un de l'équipe te contacte très vite. Tu peux encore me poser une question, ou demander à parler à une personne.";
    case 'CONSENT_REFUSED':
      return "Pas de souci, c'est ton choix. Sans ton accord, on ne peut rien enregistrer : j'ai effacé tes réponses. Si tu changes d'avis, écris-moi quand tu veux, on reprendra depuis le début.";
    case 'ERASED':
      return "C'est fait : j'ai effacé tout ce que tu m'as écrit. À bientôt si tu veux revenir !";
    case 'STOPPED':
      return "D'accord, on s'arrête là. J'ai effacé tes réponses. Tu peux revenir quand tu veux.";
  }
}

function quickRepliesOf(reply: ChatReply, draft: ChatDraftFields): QuickReply[] {
  if (reply.intent === 'RECAP_CHANGE') return CHANGE_REPLIES;
  if (!reply.ask) return reply.intent === 'SUBMITTED' || reply.intent === 'AFTER_DONE' ? (QUICK_REPLIES.DONE ?? []) : [];
  const base = reply.ask === 'COMMUNE' ? (draft.choices ?? []).slice(0, 12).map((c) => qr(c.label)) : (QUICK_REPLIES[reply.ask] ?? []);
  return reply.intent === 'HELP' ? [...base, qr('Être rappelé·e', 'je veux être rappelé')] : base;
}

export function renderReply(reply: ChatReply, draft: ChatDraftFields): RenderedReply {
  // Whatever leads to the recap shows it (a consent just given, a correction made at the recap).
  const recap =
    reply.ask === 'RECAP' && !['RECAP', 'RECAP_CHANGE', 'PROGRESS'].includes(reply.intent)
      ? `Voici ce que j'ai noté :\n${recapLines(draft)}`
      : '';
  const parts = [
    reply.welcome ? WELCOME[reply.welcome] : '',
    lead(reply, draft),
    recap,
    reply.ask && reply.intent !== 'RECAP_CHANGE' && reply.intent !== 'AGE_CHECK' ? QUESTION_TEXT[reply.ask] : '',
    reply.intent === 'AGE_CHECK' ? QUESTION_TEXT.AGE_CHECK : '',
  ];
  return { text: parts.filter(Boolean).join(' ').replace(/ \n/g, '\n').trim(), quickReplies: quickRepliesOf(reply, draft) };
}
