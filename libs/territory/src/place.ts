import { geoIndex, type CommuneEntry } from './geo-index';
import { timeZoneOfDepartement } from './time-zone';

/**
 * Where a young person lives, as the journey needs it: the commune, its EPCI, département and
 * région (partners serve zones made of these), and the local time zone (quiet hours).
 */
export interface Place {
  postalCode: string;
  communeCode: string;
  communeName: string;
  epci: string | null;
  departement: string;
  region: string;
  timeZone: string;
  population: number;
  /** GIVEN: the caller named the commune; ONLY: the postal code serves one; MOST_POPULOUS: a guess. */
  choice: 'GIVEN' | 'ONLY' | 'MOST_POPULOUS';
}

export type CommunePlace = Omit<Place, 'postalCode' | 'choice'> & { postalCodes: string[] };

/** The shape of a French postal code: five digits (overseas ones start with 97). */
export const POSTAL_CODE_PATTERN = /^\d{5}$/;

/**
 * Resolves a postal code to one current commune. Several communes share most postal codes:
 * with `communeCode` the caller's commune is kept (null if that postal code does not serve it),
 * without it the most populous of those La Poste lists for the code is the best guess, flagged
 * MOST_POPULOUS so a counsellor can correct it (communesOfPostalCode gives the choice).
 * Arrondissement codes (75101) and former communes resolve to the current commune; a blank
 * communeCode counts as not given.
 */
export function resolvePostalCode(postalCode: string, communeCode?: string): Place | null {
  const code = typeof postalCode === 'string' ? postalCode.trim() : '';
  if (!POSTAL_CODE_PATTERN.test(code)) return null;
  const served = geoIndex().communesByPostalCode.get(code);
  if (!served) return null;

  // A blank commune (an empty form field) counts as not given.
  if (communeCode !== undefined && communeCode.trim() !== '') {
    const commune = givenCommuneServedBy(code, communeCode.trim());
    return commune ? toPlace(commune, code, 'GIVEN') : null;
  }
  return toPlace(served[0], code, served.length === 1 ? 'ONLY' : 'MOST_POPULOUS');
}

/** One commune a postal code serves, as a form or the chatbot offers it. */
export interface PostalCodeCommune {
  code: string;
  name: string;
  departement: string;
  population: number;
}

/**
 * The current communes a postal code serves, per La Poste's base and the geographic code; the
 * first is the one resolvePostalCode picks without a commune. Empty for an unknown code.
 */
export function communesOfPostalCode(postalCode: string): PostalCodeCommune[] {
  const served = geoIndex().communesByPostalCode.get(typeof postalCode === 'string' ? postalCode.trim() : '') ?? [];
  return served.map((c) => ({ code: c.code, name: c.name, departement: c.departement, population: c.population }));
}

/** The place of a commune code; an arrondissement or former commune gives its current commune. */
export function placeOfCommune(communeCode: string): CommunePlace | null {
  const commune = currentCommune(communeCode);
  return commune ? toCommunePlace(commune) : null;
}

/** The current communes of a département, most populous first (seed data, territory pickers). */
export function communesOfDepartement(departement: string): CommunePlace[] {
  return (geoIndex().communesByDepartement.get(departement) ?? []).map(toCommunePlace);
}

/** The current commune code for any commune code the data knows, or null. */
export function currentCommuneCode(communeCode: string): string | null {
  return currentCommune(communeCode)?.code ?? null;
}

/** True only for a current commune code: what partner zones must be written with. */
export function communeExists(communeCode: string): boolean {
  return geoIndex().communes.has(communeCode);
}

function currentCommune(communeCode: string): CommuneEntry | null {
  const { communes, aliases } = geoIndex();
  const alias = aliases.get(communeCode);
  return communes.get(alias ? alias.current : communeCode) ?? null;
}

function givenCommuneServedBy(postalCode: string, communeCode: string): CommuneEntry | null {
  const { communes, aliases } = geoIndex();
  const alias = aliases.get(communeCode);
  const commune = communes.get(alias ? alias.current : communeCode);
  if (!commune) return null;
  // An arrondissement has its own postal codes: 75101 is 75001, not 75002.
  const postalCodes = alias?.postalCodes ?? commune.postalCodes;
  return postalCodes.includes(postalCode) ? commune : null;
}

function toCommunePlace(c: CommuneEntry): CommunePlace {
  return {
    communeCode: c.code,
    communeName: c.name,
    epci: c.epci,
    departement: c.departement,
    region: c.region,
    timeZone: timeZoneOfDepartement(c.departement),
    population: c.population,
    postalCodes: [...c.postalCodes],
  };
}

function toPlace(c: CommuneEntry, postalCode: string, choice: Place['choice']): Place {
  const { postalCodes: _all, ...commune } = toCommunePlace(c);
  return { postalCode, ...commune, choice };
}
