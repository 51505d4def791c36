import { rawGeoData, type RawCommune, type RawDepartement, type RawRegion } from './geo-data';

/** A current commune (commune-actuelle) with everything a place needs. */
export interface CommuneEntry {
  code: string;
  name: string;
  departement: string;
  region: string;
  epci: string | null;
  population: number;
  /** The geographic code's postal codes first (its order), then those only La Poste lists. */
  postalCodes: string[];
}

/**
 * A code that is not a current commune but that people, address APIs and La Poste still hand
 * us: a municipal arrondissement of Paris, Lyon or Marseille (75101, the BAN's `citycode` for
 * Paris 1er) or a former commune merged into a commune nouvelle.
 */
export interface CommuneAlias {
  current: string;
  /** Postal codes of the alias itself when the data knows them (arrondissements), else null. */
  postalCodes: string[] | null;
}

export interface GeoIndex {
  communes: Map<string, CommuneEntry>;
  aliases: Map<string, CommuneAlias>;
  /**
   * The current communes a postal code serves, in either source. The communes La Poste lists for
   * the code come first, most populous first, then those only the geographic code lists (a
   * hamlet of a large commune behind a neighbour's postal code), so the first is "the" commune
   * of a postal code: stable, and one La Poste lists whenever it knows the code.
   */
  communesByPostalCode: Map<string, CommuneEntry[]>;
  communesByDepartement: Map<string, CommuneEntry[]>;
  departements: Map<string, RawDepartement>;
  regions: Map<string, RawRegion>;
  /** SIREN codes of the EPCI. */
  epcis: Set<string>;
}

let index: GeoIndex | null = null;

/** Built on first use and kept for the life of the process (API, worker and scripts alike). */
export function geoIndex(): GeoIndex {
  return (index ??= buildGeoIndex());
}

function byPopulationThenCode(a: { population: number; code: string }, b: { population: number; code: string }): number {
  return b.population - a.population || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function buildGeoIndex(): GeoIndex {
  const raw = rawGeoData();

  const epciOfCommune = new Map<string, string>();
  const epcis = new Set<string>();
  for (const epci of raw.epci) {
    epcis.add(epci.code);
    for (const member of epci.membres) epciOfCommune.set(member.code, epci.code);
  }

  const communes = new Map<string, CommuneEntry>();
  for (const c of raw.communes) {
    if (c.type !== 'commune-actuelle' || !c.departement || !c.region) continue;
    communes.set(c.code, {
      code: c.code,
      name: c.nom,
      departement: c.departement,
      region: c.region,
      epci: epciOfCommune.get(c.code) ?? null,
      population: c.population ?? 0,
      postalCodes: [...(c.codesPostaux ?? [])],
    });
  }

  const aliases = aliasesOf(raw.communes, communes);
  const currentOf = (code: string) => communes.get(aliases.get(code)?.current ?? code);

  // postal code → current commune code → listed by La Poste (else only by the geographic code)
  const served = new Map<string, Map<string, boolean>>();
  const serve = (postalCode: string, commune: CommuneEntry, byLaPoste: boolean) => {
    let communesOfCode = served.get(postalCode);
    if (!communesOfCode) served.set(postalCode, (communesOfCode = new Map()));
    communesOfCode.set(commune.code, byLaPoste || communesOfCode.get(commune.code) === true);
    if (!commune.postalCodes.includes(postalCode)) commune.postalCodes.push(postalCode);
  };
  for (const commune of communes.values()) for (const postalCode of [...commune.postalCodes]) serve(postalCode, commune, false);
  for (const pair of raw.laPoste) {
    // Every pair of La Poste's base 4.1.2 has a current commune today; a pair that lost it is skipped.
    const commune = currentOf(pair.codeCommune);
    if (commune) serve(pair.codePostal, commune, true);
    const alias = aliases.get(pair.codeCommune);
    if (alias?.postalCodes && !alias.postalCodes.includes(pair.codePostal)) alias.postalCodes.push(pair.codePostal);
  }

  const communesByPostalCode = new Map<string, CommuneEntry[]>();
  for (const [postalCode, communesOfCode] of served) {
    const laPosteFirst = (code: string) => (communesOfCode.get(code) ? 0 : 1);
    const list = [...communesOfCode.keys()].map((code) => communes.get(code)!);
    list.sort((a, b) => laPosteFirst(a.code) - laPosteFirst(b.code) || byPopulationThenCode(a, b));
    communesByPostalCode.set(postalCode, list);
  }
  const communesByDepartement = new Map<string, CommuneEntry[]>();
  for (const commune of communes.values()) push(communesByDepartement, commune.departement, commune);
  for (const list of communesByDepartement.values()) list.sort(byPopulationThenCode);

  return {
    communes,
    aliases,
    communesByPostalCode,
    communesByDepartement,
    departements: new Map(raw.departements.map((d) => [d.code, d])),
    regions: new Map(raw.regions.map((r) => [r.code, r])),
    epcis,
  };
}

/**
 * Every code that leads to a current commune without being one. Former communes often keep the
 * code of the commune nouvelle: a current code always wins. Then, in the data's own words: an
 * arrondissement's `commune`, a delegated or associated commune's `chefLieu`, and last the
 * `anciensCodes` of a current commune (communes merged away whose code is listed nowhere else,
 * which La Poste's base still names: 16238 Moutonneau is Aunac-sur-Charente today).
 */
function aliasesOf(rows: RawCommune[], communes: Map<string, CommuneEntry>): Map<string, CommuneAlias> {
  const aliases = new Map<string, CommuneAlias>();
  for (const c of rows) {
    if (c.type === 'commune-actuelle' || communes.has(c.code)) continue;
    const arrondissement = c.type === 'arrondissement-municipal';
    const current = arrondissement ? c.commune : c.chefLieu;
    if (current && communes.has(current))
      aliases.set(c.code, { current, postalCodes: arrondissement && c.codesPostaux?.length ? [...c.codesPostaux] : null });
  }
  for (const c of rows) {
    if (c.type !== 'commune-actuelle' || !communes.has(c.code)) continue;
    for (const former of c.anciensCodes ?? []) {
      if (!communes.has(former) && !aliases.has(former)) aliases.set(former, { current: c.code, postalCodes: null });
    }
  }
  return aliases;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
