import { rawGeoData, type RawDepartement, type RawRegion } from './geo-data';

/** A current commune (commune-actuelle) with everything a place needs. */
export interface CommuneEntry {
  code: string;
  name: string;
  departement: string;
  region: string;
  epci: string | null;
  population: number;
  postalCodes: string[];
}

/**
 * A code that is not a current commune but that people and address APIs still hand us:
 * a municipal arrondissement of Paris, Lyon or Marseille (75101, the BAN's `citycode` for
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
  /** Most populous first, then by code, so "the" commune of a postal code is stable. */
  communesByPostalCode: Map<string, CommuneEntry[]>;
  communesByDepartement: Map<string, CommuneEntry[]>;
  departements: Map<string, RawDepartement>;
  regions: Map<string, RawRegion>;
  /** SIREN codes of the EPCI. */
  epcis: Set<string>;
}

let index: GeoIndex | null = null;

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
      postalCodes: c.codesPostaux ?? [],
    });
  }

  // Former communes often keep the code of the commune nouvelle: a current code always wins.
  const aliases = new Map<string, CommuneAlias>();
  for (const c of raw.communes) {
    if (c.type === 'commune-actuelle' || communes.has(c.code)) continue;
    const current = c.type === 'arrondissement-municipal' ? c.commune : c.chefLieu;
    if (current && communes.has(current)) aliases.set(c.code, { current, postalCodes: c.codesPostaux ?? null });
  }

  const communesByPostalCode = new Map<string, CommuneEntry[]>();
  const communesByDepartement = new Map<string, CommuneEntry[]>();
  for (const commune of communes.values()) {
    for (const postalCode of commune.postalCodes) push(communesByPostalCode, postalCode, commune);
    push(communesByDepartement, commune.departement, commune);
  }
  for (const list of communesByPostalCode.values()) list.sort(byPopulationThenCode);
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
