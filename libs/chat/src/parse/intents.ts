import faqData from '../faq.fr.json';
import type { ChatCommand, Question } from '../flow/steps';

/** One question the bot answers at any moment (from the data file faq.fr.json). */
export interface FaqIntent {
  id: string;
  human: boolean;
  patterns: RegExp[];
  answer: string;
  /** How people ask it (the tests ask every intent this way). */
  example: string;
}

export const FAQ_INTENTS: FaqIntent[] = faqData.intents.map((intent) => ({
  id: intent.id,
  human: 'human' in intent && intent.human === true,
  patterns: intent.patterns.map((p) => new RegExp(p)),
  answer: intent.answer,
  example: intent.example,
}));

export function faqIntent(id: string): FaqIntent | undefined {
  return FAQ_INTENTS.find((intent) => intent.id === id);
}

/** The first FAQ intent that the folded message matches. */
export function matchFaq(folded: string): FaqIntent | null {
  return FAQ_INTENTS.find((intent) => intent.patterns.some((p) => p.test(folded))) ?? null;
}

/** Commands are whole messages ("retour", "recommencer"), so an answer that contains the word is not one. */
const COMMAND_WORDS: [ChatCommand, RegExp][] = [
  [
    'RESTART',
    /^(on )?(re ?commencer?|recommence|tout recommencer|reprendre (du|depuis le) debut|repartir de zero|reset|restart|depuis le debut|on reprend (tout|du debut))\s*!*$/,
  ],
  [
    'BACK',
    /^(retour|revenir|reviens|revenir en arriere|en arriere|precedent|question precedente|retour en arriere|back|annuler|attends? reviens)\s*!*$/,
  ],
  ['RECAP', /^(recap|recapitulatif|resume|mes reponses|voir mes reponses|montre(-| )moi mes reponses|ou on en est|ou j'?en suis)\s*[?!]*$/],
  ['ERASE', /^(efface|effacer|supprime|supprimer)( tout| moi| mes (donnees|reponses|infos|informations)| la conversation| tout ca)?\s*!*$/],
  [
    'STOP',
    /^(stop|arrete|arreter|arrete ici|arreter ici|j'?arrete|on arrete|on s'?arrete la|terminer|termine|fin|laisse tomber|je laisse tomber)\s*!*$/,
  ],
  ['CONTINUE', /^(continuer|continue|on continue|continuer quand meme|je continue|quand meme)\s*!*$/],
];

export function matchCommand(folded: string): ChatCommand | null {
  const text = folded.replace(/[.\s]+$/, '');
  return COMMAND_WORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}

/** How people name each question when they want to change it. */
export const FIELD_WORDS: [Question, RegExp][] = [
  ['BIRTH_DATE', /\b(date|naissance|ne le|nee le|anniversaire|mon age)\b/],
  ['POSTAL_CODE', /\b(code postal|cp|ville|commune|adresse|habite)\b/],
  ['FIRST_NAME', /\b(prenom|nom|m'?appelle)\b/],
  ['DIPLOMA', /\b(diplome|niveau d'?etudes|niveau scolaire)\b/],
  ['SITUATION', /\b(situation)\b/],
  ['BARRIERS', /\b(difficultes|freins|problemes|galeres)\b/],
  ['WISHES', /\b(envies?|souhaits?|projets?|ce que je veux)\b/],
  ['CONTACT', /\b(numero|telephone|tel|portable|mobile|mail|e-?mail|courriel|contact|coordonnees)\b/],
  ['CONSENT', /\b(accord|consentement|partage)\b/],
];

export function namedField(folded: string): Question | null {
  return FIELD_WORDS.find(([, pattern]) => pattern.test(folded))?.[0] ?? null;
}

/** "non c'est…", "en fait…", "je me suis trompé…": what comes next corrects an answer. */
export const CORRECTION =
  /^(non|nan|oups|pardon|erreur|en fait|correction|attends?|je me suis (trompe|trompee|gourre|gouree)|je me suis trompe\w*|c'?est pas (ca|ca)|plutot|je voulais dire|je rectifie|petite erreur)\b[\s,!.:]*/;
/** "change my postal code": an edit, whether or not the new value follows. */
export const EDIT = /^(je (veux|voudrais) )?(changer|modifier|corriger|rectifier|changer de)\b/;
/** "mon code postal c'est 69003": a field named with its new value. */
export const POSSESSIVE = /^(mon|ma|mes)\s/;
