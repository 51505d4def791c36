/**
 * The official geographic code (`@etalab/decoupage-administratif`), read from its JSON files by
 * path: the package's own entry point resolves its data from the working directory, which
 * breaks under Jest, ts-node and a compiled dist alike.
 *
 * This is the only I/O of libs/territory: the files (about 12 MB) are read on first use, once
 * per process, so code that never resolves a place never pays for them.
 */

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
  nom: string;
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

let cached: RawGeoData | null = null;

export function rawGeoData(): RawGeoData {
  if (!cached) {
    // require() rather than a static import keeps the read lazy; Node caches the parse.
    /* eslint-disable @typescript-eslint/no-require-imports */
    cached = {
      communes: require('@etalab/decoupage-administratif/data/communes.json'),
      epci: require('@etalab/decoupage-administratif/data/epci.json'),
      departements: require('@etalab/decoupage-administratif/data/departements.json'),
      regions: require('@etalab/decoupage-administratif/data/regions.json'),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return cached!;
}
