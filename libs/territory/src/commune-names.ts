import { geoIndex } from './geo-index';

/** A current commune found by its name, with the postal codes that serve it. */
export interface NamedCommune {
  code: string;
  name: string;
  departement: string;
  population: number;
  postalCodes: string[];
}

/**
 * A commune name as people type it: no case, no accents, hyphens and apostrophes as spaces,
 * "st"/"ste" for saint/sainte ("st etienne" is Saint-Étienne).
 */
export function communeNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`\-_.]/g, ' ')
    .replace(/\b(st)\b/g, 'saint')
    .replace(/\b(ste)\b/g, 'sainte')
    .replace(/\s+/g, ' ')
    .trim();
}

let byName: Map<string, NamedCommune[]> | null = null;

/**
 * The current communes with this name, most populous first (several communes share a name:
 * Saint-Denis in Seine-Saint-Denis and in La Réunion), each with its postal codes (Lyon has nine).
 */
export function communesNamed(name: string): NamedCommune[] {
  byName ??= buildNameIndex();
  return byName.get(communeNameKey(name)) ?? [];
}

function buildNameIndex(): Map<string, NamedCommune[]> {
  const index = new Map<string, NamedCommune[]>();
  for (const c of geoIndex().communes.values()) {
    const key = communeNameKey(c.name);
    const entry = {
      code: c.code,
      name: c.name,
      departement: c.departement,
      population: c.population,
      postalCodes: [...c.postalCodes].sort(),
    };
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  }
  for (const list of index.values()) list.sort((a, b) => b.population - a.population || a.code.localeCompare(b.code));
  return index;
}
