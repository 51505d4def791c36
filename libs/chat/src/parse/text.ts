/**
 * What a typed message looks like before anything is read in it: the text to parse (tags and
 * control characters out), a folded form to match words against (no case, no accents), and the
 * shapes that deserve their own calm answer (nothing but emoji, markup, another language).
 */

/** Longer than this, a message that said nothing usable gets "in a few words, please". */
export const LONG_MESSAGE = 280;

const TAG = /<\/?[a-z!][^>]*>/gi;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]/g;

export interface MessageText {
  /** As typed, with control characters removed and spaces collapsed. */
  raw: string;
  /** Without markup: what parsers read. */
  plain: string;
  /** `plain` folded: lower case, no accents, one kind of apostrophe; what word lists match. */
  folded: string;
  hadMarkup: boolean;
}

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export function messageText(input: string): MessageText {
  const raw = input.normalize('NFC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  const hadMarkup = TAG.test(raw);
  TAG.lastIndex = 0;
  const plain = raw
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(TAG, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#\d+);/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { raw, plain, folded: fold(plain), hadMarkup };
}

/** Only emoji, symbols and punctuation: "👍", "😅😅", "❤️". */
export function isOnlyEmoji(text: string): boolean {
  return /\p{Extended_Pictographic}/u.test(text) && !/[\p{L}\p{N}]/u.test(text.replace(/\p{Extended_Pictographic}/gu, ''));
}

/** No letter or digit at all ("???", "...", "!!!"). */
export function hasNoWords(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

const OTHER_SCRIPTS =
  /[\p{Script=Arabic}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hebrew}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Greek}]/u;
const FOREIGN_WORDS = new Set(
  (
    "the is are my name hello hi what please thanks thank you your i'm i am am want need help how where when why who can could would " +
    'hola que como por favor gracias nombre soy quiero tengo trabajo estoy hallo ich bin und nicht mein danke bitte ' +
    'olá ola obrigado obrigada sou nao você voce'
  ).split(' '),
);
const FRENCH_WORDS = new Set(
  "je j' tu il elle on nous vous le la les un une des de du et est c'est ai suis pas mon ma mes moi oui non merci bonjour salut ca ça en au aux avec pour sur qui quoi".split(
    ' ',
  ),
);

/** Written in another script, or in words of another language with none of French. */
export function looksForeign(text: string): boolean {
  if (OTHER_SCRIPTS.test(text)) return true;
  const words = fold(text)
    .split(/[^a-z']+/)
    .filter(Boolean);
  if (words.length < 2) return false;
  const foreign = words.filter((w) => FOREIGN_WORDS.has(w)).length;
  const french = words.filter((w) => FRENCH_WORDS.has(w) || w.startsWith("j'") || w.startsWith("c'")).length;
  return foreign >= 2 && foreign > french;
}

/** Keyboard mashing: a long run of consonants, or one character over and over. */
export function looksLikeMashing(word: string): boolean {
  const folded = fold(word);
  return /[bcdfghjklmnpqrstvwxz]{5,}/.test(folded) || /(.)\1{3,}/.test(folded) || !/[aeiouy]/.test(folded);
}
