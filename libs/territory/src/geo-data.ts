/**
 * The two official sources, read from their JSON files by path:
 * - the geographic code (`@etalab/decoupage-administratif`): communes, EPCI, départements,
 *   régions, populations. Its own entry point resolves its data from the working directory,
 *   which breaks under Jest, ts-node and a compiled dist alike;
 * - La Poste's base of postal codes (`codes-postaux`): which communes each postal code serves.
 *   Its entry point `require()`s the file, which would keep the parsed rows for the life of the
 *   process beside its own index; we keep only ours.
 *
 * This is the only I/O of libs/territory: the files (about 16 MB) are read on first use, once
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
  /** commune-actuelle: codes of communes merged into it that the data no longer lists otherwise. */
  anciensCodes?: string[];
}

/** One postal code / commune pair of La Poste's base (an arrondissement or a former commune at times). */
export interface RawPostalCodePair {
  codePostal: string;
  codeCommune: string;
  nomCommune: string;
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
  laPoste: RawPostalCodePair[];
}

const read = (file: string) => JSON.parse(readFileSync(require.resolve(file), 'utf8'));
const geographicCode = (file: string) => read(`@etalab/decoupage-administratif/data/${file}`);

/**
 * Parsed anew on each call, and not cached here: geoIndex() keeps what it needs and calls this
 * once per process, so the raw rows (most of the 16 MB) can be collected once it is built.
 * (require() would keep every parsed file in the module cache for the life of the process.)
 */
export function rawGeoData(): RawGeoData {
  return {
    communes: geographicCode('communes.json'),
    epci: geographicCode('epci.json'),
    departements: geographicCode('departements.json'),
    regions: geographicCode('regions.json'),
    laPoste: read('codes-postaux/codes-postaux.json'),
  };
}
