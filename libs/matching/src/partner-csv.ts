/**
 * The partner directory as CSV (infra/seed/partners.csv, `POST /v1/partners/import`).
 *
 * Columns, in this order on export and in any order on import (header names are required):
 *   id                    stable id: lowercase letters, digits, - and _ (e.g. ml-75)
 *   type                  MISSION_LOCALE | FRANCE_TRAVAIL | E2C | EPIDE | CCI | GEIQ | MFR
 *   name                  display name
 *   communeCode           INSEE code of the commune where the structure is
 *   zones                 where it recruits, `|`-separated KIND:CODE with KIND among COMMUNE,
 *                         EPCI (SIREN), DEPARTEMENT, REGION, FRANCE (e.g. DEPARTEMENT:75|EPCI:200054781;
 *                         FRANCE alone means the whole country)
 *   minAge, maxAge        integers, 0 ≤ minAge ≤ maxAge ≤ 99
 *   diplomaLevels         `|`-separated NONE | CAP_BEP | BAC | BAC_2 | BAC_3_PLUS
 *   wishes                `|`-separated JOB | TRAINING | ALTERNANCE | CIVIC_SERVICE | BUSINESS_CREATION | NOT_SURE
 *   monthlyCapacity       referrals per calendar month, integer ≥ 0
 *   active                true | false
 *   contactEmail          where referrals are sent
 *   referralExpiresAfter  optional ISO 8601 duration overriding the policy's (e.g. P14D)
 *
 * A blank minAge, maxAge, diplomaLevels or wishes takes the default of the partner's type
 * (PARTNER_TYPE_DEFAULTS); export always writes explicit values. Errors carry the 1-based
 * line of the file (the header is line 1) and the column name ('' when the whole line is wrong).
 */
import { NATIONAL_ZONE, PARTNER_TYPE_DEFAULTS, ZONE_KINDS, type Partner, type PartnerType, type Zone } from '../../domain/src';
import { readCsvRecords, toCsv, unguardedCell } from '@walt/csv';
import { validatePartner } from './partner-validation';

export const PARTNER_CSV_COLUMNS = [
  'id',
  'type',
  'name',
  'communeCode',
  'zones',
  'minAge',
  'maxAge',
  'diplomaLevels',
  'wishes',
  'monthlyCapacity',
  'active',
  'contactEmail',
  'referralExpiresAfter',
] as const satisfies readonly (keyof Partner)[];
type Column = (typeof PARTNER_CSV_COLUMNS)[number];

export interface PartnerCsvError {
  line: number;
  column: string;
  message: string;
}

const LIST_SEPARATOR = '|';

export function partnersToCsv(partners: readonly Partner[]): string {
  const rows = partners.map((p) => [
    p.id,
    p.type,
    p.name,
    p.communeCode,
    p.zones.map((z) => `${z.kind}:${z.code}`).join(LIST_SEPARATOR),
    String(p.minAge),
    String(p.maxAge),
    p.diplomaLevels.join(LIST_SEPARATOR),
    p.wishes.join(LIST_SEPARATOR),
    String(p.monthlyCapacity),
    String(p.active),
    p.contactEmail,
    p.referralExpiresAfter ?? '',
  ]);
  return toCsv(PARTNER_CSV_COLUMNS, rows, { lineEnd: '\n' });
}

/** Every problem of the file in one pass, so an admin fixes them all before re-importing. */
export function parsePartnersCsv(text: string): { partners: Partner[]; errors: PartnerCsvError[] } {
  const { records, errors: syntax } = readCsvRecords(text);
  const errors: PartnerCsvError[] = syntax.map((e) => ({ line: e.line, column: '', message: e.message }));
  const partners: Partner[] = [];
  const [header, ...rows] = records;
  if (!header) {
    errors.push({ line: 1, column: '', message: 'fichier vide : une ligne d’en-tête est attendue' });
    return { partners, errors };
  }
  const positions = readHeader(header.fields, errors);
  if (!positions) return { partners, errors: byLine(errors) };

  const seenIds = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length === 1 && row.fields[0].trim() === '') continue; // blank line
    if (row.fields.length !== header.fields.length) {
      errors.push({ line: row.line, column: '', message: `${header.fields.length} colonnes attendues, ${row.fields.length} trouvées` });
      continue;
    }
    const cell = (column: Column) => (positions.has(column) ? unguardedCell(row.fields[positions.get(column)!].trim()) : '');
    const lineErrors: PartnerCsvError[] = [];
    const partner = readPartner(cell, (column, message) => lineErrors.push({ line: row.line, column, message }));
    const failed = new Set(lineErrors.map((e) => e.column));
    for (const problem of validatePartner(partner)) {
      if (!failed.has(problem.field)) lineErrors.push({ line: row.line, column: problem.field, message: problem.message });
    }
    const firstLine = seenIds.get(partner.id);
    if (firstLine !== undefined) lineErrors.push({ line: row.line, column: 'id', message: `identifiant déjà utilisé ligne ${firstLine}` });
    else seenIds.set(partner.id, row.line);

    if (lineErrors.length) errors.push(...lineErrors);
    else partners.push(partner);
  }
  return { partners, errors: byLine(errors) };
}

function readHeader(names: string[], errors: PartnerCsvError[]): Map<Column, number> | null {
  const positions = new Map<Column, number>();
  names.forEach((raw, position) => {
    const name = raw.trim();
    if (!(PARTNER_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ line: 1, column: name, message: `colonne inconnue (attendues : ${PARTNER_CSV_COLUMNS.join(', ')})` });
    } else if (positions.has(name as Column)) {
      errors.push({ line: 1, column: name, message: 'colonne en double' });
    } else positions.set(name as Column, position);
  });
  const optional: Column[] = ['minAge', 'maxAge', 'diplomaLevels', 'wishes', 'referralExpiresAfter'];
  for (const column of PARTNER_CSV_COLUMNS) {
    if (!positions.has(column) && !optional.includes(column)) errors.push({ line: 1, column, message: 'colonne obligatoire absente' });
  }
  return errors.some((e) => e.line === 1) ? null : positions;
}

/**
 * Turns cells into a Partner, reporting what cannot even be read (a non-number, a malformed
 * zone); what can be read but is wrong is left to validatePartner.
 */
function readPartner(cell: (column: Column) => string, report: (column: Column, message: string) => void): Partner {
  const type = cell('type') as PartnerType;
  const defaults = PARTNER_TYPE_DEFAULTS[type];
  const integer = (column: Column, fallback?: number): number => {
    const text = cell(column);
    if (text === '' && fallback !== undefined) return fallback;
    if (/^\d+$/.test(text)) return Number(text);
    if (text !== '') report(column, `nombre entier attendu, « ${text} » trouvé`);
    else report(column, column === 'monthlyCapacity' || defaults ? 'valeur obligatoire' : 'valeur obligatoire quand le type est inconnu');
    return NaN;
  };
  const list = <T extends string>(column: Column, fallback: readonly T[] | undefined): T[] => {
    const text = cell(column);
    if (text === '') return fallback ? [...fallback] : [];
    return text.split(LIST_SEPARATOR).map((item) => item.trim() as T);
  };
  const active = cell('active').toLowerCase();
  if (active !== 'true' && active !== 'false') report('active', `true ou false attendu, « ${cell('active')} » trouvé`);

  const partner: Partner = {
    id: cell('id'),
    type,
    name: cell('name'),
    communeCode: cell('communeCode'),
    zones: readZones(cell('zones'), (message) => report('zones', message)),
    minAge: integer('minAge', defaults?.minAge),
    maxAge: integer('maxAge', defaults?.maxAge),
    diplomaLevels: list('diplomaLevels', defaults?.diplomaLevels),
    wishes: list('wishes', defaults?.wishes),
    monthlyCapacity: integer('monthlyCapacity'),
    active: active === 'true',
    contactEmail: cell('contactEmail'),
  };
  if (cell('referralExpiresAfter') !== '') partner.referralExpiresAfter = cell('referralExpiresAfter');
  return partner;
}

function readZones(text: string, report: (message: string) => void): Zone[] {
  if (text === '') return [];
  const zones: Zone[] = [];
  for (const item of text.split(LIST_SEPARATOR).map((z) => z.trim())) {
    if (item === 'FRANCE') {
      zones.push({ ...NATIONAL_ZONE });
      continue;
    }
    const match = /^([A-Z]+):([0-9A-Za-z]+)$/.exec(item);
    if (!match || !(ZONE_KINDS as readonly string[]).includes(match[1])) {
      report(`zone illisible « ${item} » : attendu TYPE:CODE (TYPE parmi ${ZONE_KINDS.join(', ')}) ou FRANCE seul`);
      continue;
    }
    zones.push({ kind: match[1] as Zone['kind'], code: match[2] });
  }
  return zones;
}

/** By line, then in column order, so the report reads like the file. */
function byLine(errors: PartnerCsvError[]): PartnerCsvError[] {
  const position = (column: string) => (PARTNER_CSV_COLUMNS as readonly string[]).indexOf(column);
  return errors.sort((a, b) => a.line - b.line || position(a.column) - position(b.column));
}
