/**
 * The official geographic code (`@etalab/decoupage-administratif`), read from its JSON files by
 * path: the package's own entry point resolves its data from the working directory, which
 * breaks under Jest, ts-node and a compiled dist alike.
 *
 * This is the only I/O of libs/territory: the files (about 12 MB) are read on first use, once
 * per process, so code that never resolves a place never pays for them.
 */
import { readFileSync } from 'node:fs';

/** One row of communes.json. Only the fields this library reads. */
export interface RawCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  typeLiaison?: number;
  departement?: string;
  region?: string;
  codesPostaux?: string[];
  population?: number;
  zone?: 'metro' | 'drom' | 'com';
  /** arrondissement-municipal: the commune it belongs to (75101 → 75056). */
  commune?: string;
  /** commune-deleguee / commune-associee: the current commune it merged into. */
  chefLieu?: string;
}

export interface RawEpci {
  code: string;
  membres: { code: string }[];
}

export interface RawDepartement {
  code: string;
  nom: string;
  region: string;
  chefLieu: string;
  typeLiaison?: number;
  zone?: string;
}

export interface RawRegion {
  code: string;
  nom: string;
  chefLieu?: string;
  typeLiaison?: number;
  zone?: string;
}

export interface RawGeoData {
  communes: RawCommune[];
  epci: RawEpci[];
  departements: RawDepartement[];
  regions: RawRegion[];
}

const read = (file: string) => JSON.parse(readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8'));

/**
 * Parsed anew on each call, and not cached here: geoIndex() keeps what it needs and calls this
 * once per process, so the raw rows (most of the 12 MB) can be collected once it is built.
 * (require() would keep every parsed file in the module cache for the life of the process.)
 */
export function rawGeoData(): RawGeoData {
  return {
    communes: read('communes.json'),
    epci: read('epci.json'),
    departements: read('departements.json'),
    regions: read('regions.json'),
  };
}
