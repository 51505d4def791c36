import type { DataSource } from 'typeorm';
import { PARTNER_TYPES, SEGMENTS, SOURCE_CHANNELS } from '@walt/domain';
import { validationError } from '../common/api-error';
import type { GroupBy, ReportFilterDto, ReportWindowDto } from './dto/report-query.dto';

/** The window and filters of a report, resolved: what the SQL receives as $1..$4. */
export interface ReportScope {
  from: Date | null;
  to: Date | null;
  departement: string | null;
  campaign: string | null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * A date-only `to` means "up to the end of that day", so `from=2019-01-01&to=2019-12-31` is the
 * whole year; times without an offset are UTC (API.md: times are UTC).
 */
function instant(field: 'from' | 'to', value: string): Date {
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    return field === 'to' ? new Date(day.getTime() + 86_400_000) : day;
  }
  const at = new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
  // ISO 8601 forms a Date cannot read (weeks, ordinal days) are refused rather than guessed.
  if (Number.isNaN(at.getTime()))
    throw validationError([{ field, message: 'must be a date (2019-01-31) or a date-time (2019-01-31T08:00:00Z)' }]);
  return at;
}

export function resolveScope(query: ReportWindowDto & ReportFilterDto): ReportScope {
  const from = query.from ? instant('from', query.from) : null;
  const to = query.to ? instant('to', query.to) : null;
  if (from && to && from >= to) throw validationError([{ field: 'to', message: 'must be after from' }]);
  return { from, to, departement: query.departement ?? null, campaign: query.campaign ?? null };
}

export const scopeParams = (s: ReportScope) => [s.from, s.to, s.departement, s.campaign];

/** Cases are filtered by territory and campaign the same way in every report ($3, $4). */
export const CASE_FILTER = `($3::text IS NULL OR c.departement = $3) AND ($4::text IS NULL OR c.source_campaign = $4)`;

/**
 * The group each case falls in. Fixed SQL fragments chosen by a validated key, never user text.
 * `partnerType` is the type of the partner the case was last referred to (its accepted one, if
 * any: nobody is referred after an acceptance unless the pathway broke down); NONE if never.
 */
const GROUP_KEY: Record<GroupBy | 'all', string> = {
  all: `'ALL'`,
  segment: 'c.segment',
  departement: 'c.departement',
  channel: 'c.source_channel',
  partnerType: `COALESCE(last_referral.type, 'NONE')`,
};
const LAST_REFERRAL_JOIN = `
  LEFT JOIN LATERAL (
    SELECT p.type FROM referrals r JOIN partners p ON p.id = r.partner_id
    WHERE r.case_id = c.id ORDER BY r.attempt DESC LIMIT 1
  ) last_referral ON true`;

/**
 * `scope`: the cases captured in [$1, $2), one row each, with their group. Capture time is the
 * CAPTURED event of the audit trail (found through the partial index on CAPTURED events).
 * `eligibleOnly` leaves out intakes closed OUT_OF_SCOPE, which never had a journey to measure.
 */
export function scopeCte(groupBy: GroupBy | undefined, { eligibleOnly }: { eligibleOnly: boolean }): string {
  return `scope AS (
    SELECT ce.case_id, ce.at AS captured_at, ${GROUP_KEY[groupBy ?? 'all']} AS grp
    FROM journey_events ce
    JOIN cases c ON c.id = ce.case_id
    ${groupBy === 'partnerType' ? LAST_REFERRAL_JOIN : ''}
    WHERE ce.type = 'CAPTURED'
      AND ce.at >= COALESCE($1::timestamptz, '-infinity') AND ce.at < COALESCE($2::timestamptz, 'infinity')
      AND ${CASE_FILTER}
      ${eligibleOnly ? 'AND c.eligible' : ''}
  )`;
}

/**
 * The same scope over the reports' facts (report_case_facts, report_durations: alias `x`),
 * which carry each case's capture time, territory and campaign: [$1, $2), $3, $4.
 */
export const factsScope = (x: string) =>
  `${x}.captured_at >= COALESCE($1::timestamptz, '-infinity') AND ${x}.captured_at < COALESCE($2::timestamptz, 'infinity')
   AND ($3::text IS NULL OR ${x}.departement = $3) AND ($4::text IS NULL OR ${x}.source_campaign = $4)`;

/** The group of each case in the facts, as GROUP_KEY (partnerType: from report_case_facts, alias `f`). */
export function factsGroupKey(groupBy: GroupBy | undefined, x: string): string {
  switch (groupBy ?? 'all') {
    case 'segment':
      return `${x}.segment`;
    case 'departement':
      return `${x}.departement`;
    case 'channel':
      return `${x}.source_channel`;
    case 'partnerType':
      return `COALESCE(f.partner_type, 'NONE')`;
    default:
      return `'ALL'`;
  }
}

/**
 * Every group to show, in a stable order: the whole vocabulary for coded dimensions (a segment
 * with no case is a finding, so it appears with zeros), then any other value found.
 */
export function groupsOf(groupBy: GroupBy | undefined, found: string[]): string[] {
  const known: readonly string[] =
    groupBy === 'segment'
      ? SEGMENTS
      : groupBy === 'channel'
        ? SOURCE_CHANNELS
        : groupBy === 'partnerType'
          ? [...PARTNER_TYPES, 'NONE']
          : groupBy === 'departement'
            ? []
            : ['ALL'];
  return [...known, ...[...new Set(found)].filter((g) => !known.includes(g)).sort()];
}

export const windowView = (s: ReportScope) => ({ from: s.from?.toISOString() ?? null, to: s.to?.toISOString() ?? null });

/**
 * Runs a report statement in a read-only transaction with room to sort in memory: at the
 * default work_mem (4 MB) the window and percentile sorts over a year of events spill to disk,
 * and JIT compilation (which the planner picks for statements this size) costs more than it
 * saves on a statement run once.
 */
export function reportQuery<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET TRANSACTION READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off`);
    return manager.query(sql, params);
  });
}
