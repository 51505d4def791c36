import {
  DIPLOMA_LEVELS,
  FRANCE_CODE,
  MAX_CRITERION_AGE,
  PARTNER_ID_PATTERN,
  PARTNER_TYPES,
  WISHES,
  ZONE_KINDS,
  parseDuration,
  type Partner,
  type Zone,
} from '../../domain/src';
import { communeExists, currentCommuneCode, departementExists, epciExists, regionExists } from '../../territory/src';

/**
 * Checks one partner against the vocabulary and the official geographic code. Used by the CSV
 * import and by the admin API alike, so a partner is valid or not whatever way it came in.
 */
export interface PartnerProblem {
  field: keyof Partner;
  message: string;
}

const EMAIL = /^[^\s@,;"<>]+@[^\s@,;"<>]+\.[^\s@,;"<>]+$/;
const MAX_NAME_LENGTH = 200;

export function validatePartner(partner: Partner): PartnerProblem[] {
  const problems: PartnerProblem[] = [];
  const problem = (field: keyof Partner, message: string) => problems.push({ field, message });

  if (!PARTNER_ID_PATTERN.test(partner.id ?? ''))
    problem('id', 'identifiant attendu : minuscules, chiffres, - ou _ (64 caractères au plus)');
  if (!(PARTNER_TYPES as readonly string[]).includes(partner.type))
    problem('type', `type inconnu « ${partner.type} » (attendu : ${PARTNER_TYPES.join(', ')})`);
  if (!partner.name?.trim() || partner.name.length > MAX_NAME_LENGTH)
    problem('name', `nom obligatoire, ${MAX_NAME_LENGTH} caractères au plus`);
  const communeMessage = communeProblem(partner.communeCode);
  if (communeMessage) problem('communeCode', communeMessage);

  if (!partner.zones?.length) problem('zones', 'au moins une zone d’intervention');
  for (const zone of partner.zones ?? []) {
    const message = zoneProblem(zone);
    if (message) problem('zones', message);
  }

  const ageOk = (age: number) => Number.isInteger(age) && age >= 0 && age <= MAX_CRITERION_AGE;
  if (!ageOk(partner.minAge)) problem('minAge', `entier de 0 à ${MAX_CRITERION_AGE}`);
  if (!ageOk(partner.maxAge)) problem('maxAge', `entier de 0 à ${MAX_CRITERION_AGE}`);
  else if (ageOk(partner.minAge) && partner.minAge > partner.maxAge)
    problem('maxAge', `âge maximum (${partner.maxAge}) inférieur à l’âge minimum (${partner.minAge})`);

  listProblems(partner.diplomaLevels, DIPLOMA_LEVELS, 'niveau de diplôme', (m) => problem('diplomaLevels', m));
  listProblems(partner.wishes, WISHES, 'souhait', (m) => problem('wishes', m));

  if (!Number.isInteger(partner.monthlyCapacity) || partner.monthlyCapacity < 0) problem('monthlyCapacity', 'entier positif ou nul');
  if (typeof partner.active !== 'boolean') problem('active', 'true ou false');
  if (!EMAIL.test(partner.contactEmail ?? '')) problem('contactEmail', `adresse e-mail invalide « ${partner.contactEmail} »`);
  if (partner.referralExpiresAfter !== undefined) {
    const ms = parseDuration(partner.referralExpiresAfter);
    if (ms === null || ms <= 0) problem('referralExpiresAfter', 'durée ISO 8601 non nulle, par exemple P7D ou P2DT12H');
  }
  return problems;
}

const ZONE_CODE_EXISTS: Record<Exclude<Zone['kind'], 'COMMUNE'>, (code: string) => boolean> = {
  EPCI: epciExists,
  DEPARTEMENT: departementExists,
  REGION: regionExists,
  FRANCE: (code) => code === FRANCE_CODE,
};

function zoneProblem(zone: Zone): string | null {
  if (!(ZONE_KINDS as readonly string[]).includes(zone.kind))
    return `type de zone inconnu « ${zone.kind} » (attendu : ${ZONE_KINDS.join(', ')})`;
  if (zone.kind === 'COMMUNE') return communeProblem(zone.code);
  return ZONE_CODE_EXISTS[zone.kind](zone.code) ? null : `code ${zone.kind} inconnu « ${zone.code} »`;
}

/** Partners are written with current codes, which is what a young person's place resolves to. */
function communeProblem(code: string): string | null {
  if (communeExists(code)) return null;
  const current = currentCommuneCode(code);
  return current ? `« ${code} » n’est pas un code de commune actuelle : utiliser ${current}` : `code COMMUNE inconnu « ${code} »`;
}

function listProblems(values: readonly string[], known: readonly string[], what: string, report: (message: string) => void): void {
  if (!values?.length) return report(`au moins un ${what}`);
  for (const value of values) if (!known.includes(value)) report(`${what} inconnu « ${value} » (attendu : ${known.join(', ')})`);
  const twice = values.filter((value, i) => values.indexOf(value) !== i);
  if (twice.length) report(`${what} en double « ${twice[0]} »`);
}
