import { geoIndex } from './geo-index';

/** Existence checks and lists over the official codes, for validating partner zones and territories. */

export function departementExists(code: string): boolean {
  return geoIndex().departements.has(code);
}

export function regionExists(code: string): boolean {
  return geoIndex().regions.has(code);
}

export function epciExists(code: string): boolean {
  return geoIndex().epcis.has(code);
}

/** Every département of the official code, mainland first then overseas, in INSEE order. */
export function allDepartements(): { code: string; name: string; region: string }[] {
  return [...geoIndex().departements.values()].map((d) => ({ code: d.code, name: d.nom, region: d.region }));
}

export function allRegions(): { code: string; name: string }[] {
  return [...geoIndex().regions.values()].map((r) => ({ code: r.code, name: r.nom }));
}

/** The chef-lieu commune of a département (its prefecture), or null. */
export function chefLieuOfDepartement(code: string): string | null {
  return geoIndex().departements.get(code)?.chefLieu ?? null;
}
