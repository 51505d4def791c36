import { allDepartements, communesOfDepartement, type CommunePlace } from '../../libs/territory/src';

/** The programme's territory (PRODUCT.md): mainland France, Guadeloupe, Martinique and Guyane. */
export const OVERSEAS_IN_SCOPE = ['971', '972', '973'] as const;

export function programmeDepartements(): { code: string; name: string; region: string }[] {
  return allDepartements().filter((d) => d.code.length === 2 || (OVERSEAS_IN_SCOPE as readonly string[]).includes(d.code));
}

/** Every current commune of the programme's territory, département by département. */
export function programmeCommunes(): CommunePlace[] {
  return programmeDepartements().flatMap((d) => communesOfDepartement(d.code));
}
