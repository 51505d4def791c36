import { fold, looksLikeMashing } from './text';

/** Words that answer the question without being a name (greetings, fillers, refusals). */
const NOT_NAMES = new Set(
  (
    'bonjour bonsoir salut slt bjr cc coucou hello hey yo re hi wesh allo oui non ok okay merci test rien personne ' +
    'pourquoi quoi comment lol mdr ptdr jsp moi toi ca va cava bien mal stop aide help svp stp bot robot chat ' +
    'je tu il elle nous vous ils le la les un une des de du mon ma ton ta ah oh euh bah ben'
  ).split(' '),
);

const INTRO =
  /^(?:(?:bonjour|bonsoir|salut|coucou|hello|hey|cc|slt|bjr|re)\b[\s,!.]*)?(?:je m'?\s?appel+e?s?|je m appel+e?s?|moi c'?est|mon (?:pre)?nom (?:c'?est|est|:)|(?:pre)?nom\s*:|c'?est|je suis|on m'?appel+e?)\s+/;

/**
 * A first name in the young person's words: "Léa", "je m'appelle Léa", "moi c'est Jean-Pierre".
 * `introOnly`: on the first message, which is usually a greeting, only a name introduced as such
 * counts. Letters, hyphens, apostrophes and spaces only, three words at most.
 */
export function parseFirstName(plain: string, { introOnly = false } = {}): string | null {
  const folded = fold(plain);
  const intro = INTRO.exec(folded);
  if (introOnly && !intro) return null;
  // The same characters cut from the text as typed (folding keeps one character per letter).
  let candidate = plain
    .normalize('NFC')
    .slice(intro ? intro[0].length : 0)
    .replace(/[\s,.!;:]+$/, '')
    .replace(/[,.!;:].*$/, '')
    .replace(/\s+(et toi|et vous|merci).*$/i, '')
    .trim();
  if (!candidate && intro) candidate = '';
  if (!candidate || candidate.length > 40) return null;
  const words = candidate.split(/\s+/);
  if (words.length > 3) return null;
  if (!words.every((w) => /^\p{L}[\p{L}'’-]*$/u.test(w) && w.length <= 25)) return null;
  if (words.some((w) => NOT_NAMES.has(fold(w)) || looksLikeMashing(w))) return null;
  return words.map(capitalised).join(' ');
}

/** "léa" and "LÉA" become "Léa"; a name typed with its own capitals ("McKenzie") stays as typed. */
function capitalised(word: string): string {
  if (word !== word.toLowerCase() && word !== word.toUpperCase()) return word;
  return word
    .toLowerCase()
    .split(/([-'’])/)
    .map((part) => (part.length > 0 && !/[-'’]/.test(part) ? part[0].toUpperCase() + part.slice(1) : part))
    .join('');
}
