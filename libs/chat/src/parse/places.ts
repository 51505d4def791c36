import type { PlaceChoice } from '@walt/persistence';
import { communeNameKey, communesNamed, communesOfPostalCode } from '@walt/territory';
import type { Unusable } from '../flow/steps';
import { fold } from './text';

/** The places an answer may mean: one is the answer, several are a choice to offer. */
export type PlaceParse = { places: PlaceChoice[] } | { problem: Unusable } | null;

const POSTAL_CODE = /(?<![\d+])(\d{2}) ?(\d{3})(?!\d)/g;
const CITY_INTRO =
  /^(?:(?:bah|ben|euh|alors|oui|ok)\s+)?(?:(?:j'?\s?habite|je vis|je suis|je reste|j'?\s?suis|moi|c'?est|ma ville (?:c'?est|est)|ville ?:?|a|je loge)\s*)+(?:a|au|aux|en|sur|dans|vers|de|du|pres de)?\s*/;

const label = (name: string, postalCode: string) => `${name} (${postalCode})`;

/** Every commune a postal code serves, as choices (La Poste's most populous first). */
export function placesOfPostalCode(postalCode: string): PlaceChoice[] {
  return communesOfPostalCode(postalCode).map((c) => ({ postalCode, communeCode: c.code, label: label(c.name, postalCode) }));
}

/**
 * A postal code ("69003", "69 003", overseas "97110") or a city name ("Lyon", "j'habite à
 * Saint-Denis", "Lyon 3e"). A code serving several communes, a city with several postal codes,
 * several cities of that name: all are offered.
 */
export function parsePlace(text: string): PlaceParse {
  const codes = [...new Set([...text.matchAll(POSTAL_CODE)].map((m) => m[1] + m[2]))];
  if (codes.length > 1) return { problem: 'NOT_UNDERSTOOD' };
  if (codes.length === 1) {
    const places = placesOfPostalCode(codes[0]);
    return places.length ? { places } : { problem: 'POSTAL_UNKNOWN' };
  }
  if (/\d{3,}/.test(text)) return { problem: 'POSTAL_UNKNOWN' };
  return parseCity(text);
}

function parseCity(text: string): PlaceParse {
  const folded = fold(text).replace(/[.!?]+$/, '');
  const candidate = folded.replace(CITY_INTRO, '').trim();
  if (!candidate || candidate.length > 60 || !/[a-z]/.test(candidate)) return null;
  // "Lyon 3", "Paris 16e", "Marseille 13eme": an arrondissement, i.e. its postal code.
  const arrondissement = /^(.*?)\s+(\d{1,2})\s*(?:e|eme|er|ieme)?(?:\s+arrondissement)?$/.exec(candidate);
  const name = arrondissement ? arrondissement[1] : candidate;
  const communes = communesNamed(name);
  if (!communes.length) return { problem: 'CITY_UNKNOWN' };
  let places = communes.flatMap((c) =>
    c.postalCodes.map((postalCode) => ({ postalCode, communeCode: c.code, label: label(c.name, postalCode) })),
  );
  if (arrondissement) {
    const suffix = arrondissement[2].padStart(2, '0');
    const matching = places.filter((p) => p.postalCode.endsWith(suffix));
    if (matching.length) places = matching;
  }
  return { places };
}

/** Which of the offered places the answer names: its number, its postal code, its label or its name. */
export function pickPlace(text: string, choices: PlaceChoice[]): PlaceChoice | null {
  const folded = fold(text).replace(/[.!?]+$/, '');
  const index = /^(?:le |la |numero |n° ?)?(\d{1,2})$/.exec(folded);
  if (index && Number(index[1]) >= 1 && Number(index[1]) <= choices.length && !/^\d{5}$/.test(folded)) return choices[Number(index[1]) - 1];
  const byLabel = choices.filter((c) => fold(c.label) === folded);
  if (byLabel.length === 1) return byLabel[0];
  const codes = [...new Set([...text.matchAll(POSTAL_CODE)].map((m) => m[1] + m[2]))];
  const name = communeNameKey(folded.replace(/\(?\d{5}\)?/g, ''));
  const byName = choices.filter((c) => name && communeNameKey(c.label.replace(/ \(\d{5}\)$/, '')) === name);
  const byCode = codes.length === 1 ? choices.filter((c) => c.postalCode === codes[0]) : [];
  const both = byName.filter((c) => byCode.includes(c));
  const picked = both.length === 1 ? both : byCode.length === 1 ? byCode : byName.length === 1 ? byName : [];
  return picked[0] ?? null;
}
