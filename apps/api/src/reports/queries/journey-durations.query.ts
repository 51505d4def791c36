import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STAGES } from '@walt/domain';
import type { GroupBy } from '../dto/report-query.dto';
import { factsScope, FROM, FULL_FROM, FULL_TO, TO, groupsOf, reportQuery, ReportScope, scopeParams } from '../report-scope';

/** Stages a case can spend time in (CLOSED is the end: it has no duration). */
export const MEASURED_STAGES = STAGES.filter((s) => s !== 'CLOSED');
export const INTERVALS = ['captureToReferral', 'captureToAcceptance', 'captureToPathway', 'referralToDecision'] as const;

/** The five figures of one measure over `hours` (NULL = still open: counted, not measured). */
export const figures = (hours: string) => `
    count(${hours})::int AS count,
    (count(*) - count(${hours}))::int AS "openCount",
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours})::numeric, 2)::float8 AS "p50Hours",
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours})::numeric, 2)::float8 AS "p90Hours",
    round(avg(${hours})::numeric, 2)::float8 AS "meanHours"`;
/** date_part is float8 (extract is numeric since PostgreSQL 14, and slower to compute and sort). */
export const hoursBetween = (from: string, to: string) => `date_part('epoch', ${to} - ${from}) / 3600`;

/** The column of report_durations (alias `d`) each grouping groups by. */
const DURATION_GROUP: Record<GroupBy | 'all', string> = {
  all: `'ALL'::text COLLATE "C"`,
  segment: 'd.segment',
  departement: 'd.departement',
  channel: 'd.source_channel',
  partnerType: 'd.partner_type',
};

/**
 * Durations per group and measure, from `report_durations`: one row per measured duration of
 * each case (a stay in a stage, an end-to-end interval, a referral's time to decision; hours
 * NULL while open), kept by refresh_report_facts with the definition of durationsFromEventsSql
 * (from-events.ts, which says what each measure is). Same figures as percentile_cont over all
 * of them (float8, rounded to 2 decimals).
 *
 * Without a territory, from the histogram (migration 1796520000000): the bucket counts of the
 * months wholly inside the window, plus the durations of the cases captured in its partial
 * months at either edge, give each group's count, open count, sum and the bucket holding each
 * percentile's rank; the values at that rank are then read in order from that bucket on,
 * through the index on (measure, group, bucket, hours). The cost is a few thousand entries per
 * figure, whatever the number of journeys. With a territory (which the histogram does not
 * split by), that département's durations are aggregated directly.
 */
export function durationsSql(groupBy: GroupBy | undefined, scope?: ReportScope): string {
  return scope?.departement ? scannedDurationsSql(groupBy) : histogramDurationsSql(groupBy);
}

const CAMPAIGN = (column: string) => `($4::text IS NULL OR ${column} = $4)`;

function histogramDurationsSql(groupBy: GroupBy | undefined): string {
  const grp = DURATION_GROUP[groupBy ?? 'all'];
  return `
  WITH hist AS (
    SELECT grp, measure, bucket, sum(n) AS n, sum(hours_sum) AS hours_sum
    FROM (
      SELECT h.grp, h.measure, h.bucket, h.n, h.hours_sum
      FROM report_duration_histogram h
      WHERE h.grouping = '${groupBy ?? 'all'}' AND h.month >= ${FULL_FROM} AND h.month < ${FULL_TO} AND ${CAMPAIGN('h.campaign')}
      UNION ALL
      -- The partial months at the window's edges (none for an open end).
      SELECT ${grp}, d.measure, d.bucket, 1, d.hours::numeric
      FROM report_durations d
      WHERE d.eligible AND ${CAMPAIGN('d.source_campaign')}
        AND ((d.captured_at >= ${FROM} AND d.captured_at < least(${FULL_FROM}, ${TO}))
             OR (d.captured_at >= greatest(${FULL_TO}, ${FULL_FROM}, ${FROM}) AND d.captured_at < ${TO}))
    ) counted
    -- (No territory on this path: $3 is NULL.)
    WHERE $3::text IS NULL
    GROUP BY 1, 2, 3
  ),
  totals AS (
    SELECT grp, measure, COALESCE(sum(n) FILTER (WHERE bucket >= 0), 0) AS measured, COALESCE(sum(n) FILTER (WHERE bucket < 0), 0) AS open,
           sum(hours_sum) FILTER (WHERE bucket >= 0) AS hours_sum
    FROM hist GROUP BY 1, 2 HAVING sum(n) > 0
  ),
  -- Each bucket's first rank (0-based) in its group and measure.
  ranked AS (
    SELECT grp, measure, bucket, n, sum(n) OVER (PARTITION BY grp, measure ORDER BY bucket) - n AS first_rank
    FROM hist WHERE bucket >= 0 AND n > 0
  ),
  -- percentile_cont's position: between the values at floor(pos) and ceil(pos), pos = p × (count - 1).
  wanted AS (
    SELECT t.grp, t.measure, p.p, p.p * (t.measured - 1)::float8 AS pos
    FROM totals t CROSS JOIN (VALUES (0.5::float8), (0.9::float8)) p(p)
    WHERE t.measured > 0
  ),
  percentiles AS (
    SELECT w.grp, w.measure, w.p,
           CASE WHEN floor(w.pos) = ceil(w.pos) THEN v.hours[1] ELSE v.hours[1] + (v.hours[2] - v.hours[1]) * (w.pos - floor(w.pos)) END AS hours
    FROM wanted w
    JOIN ranked r ON r.grp = w.grp AND r.measure = w.measure AND floor(w.pos) >= r.first_rank AND floor(w.pos) < r.first_rank + r.n
    CROSS JOIN LATERAL (
      SELECT array_agg(at_rank.hours ORDER BY at_rank.bucket, at_rank.hours) AS hours
      FROM (
        SELECT d.bucket, d.hours FROM report_durations d
        WHERE d.eligible AND d.measure = w.measure AND ${grp} = w.grp AND d.bucket >= r.bucket
          AND d.captured_at >= ${FROM} AND d.captured_at < ${TO} AND ${CAMPAIGN('d.source_campaign')}
        ORDER BY d.bucket, d.hours
        OFFSET (floor(w.pos) - r.first_rank)::bigint LIMIT 2
      ) at_rank
    ) v
  )
  SELECT t.grp, t.measure, t.measured::int AS count, t.open::int AS "openCount",
         round(p50.hours::numeric, 2)::float8 AS "p50Hours", round(p90.hours::numeric, 2)::float8 AS "p90Hours",
         round(t.hours_sum / NULLIF(t.measured, 0), 2)::float8 AS "meanHours"
  FROM totals t
  LEFT JOIN percentiles p50 ON p50.grp = t.grp AND p50.measure = t.measure AND p50.p = 0.5
  LEFT JOIN percentiles p90 ON p90.grp = t.grp AND p90.measure = t.measure AND p90.p = 0.9`;
}

/**
 * The same figures from the durations in scope themselves (a territory's): gathered per group
 * by hashing, then each group's hours alone sorted for its percentiles.
 */
function scannedDurationsSql(groupBy: GroupBy | undefined): string {
  return `
  WITH measured AS (
    SELECT ${DURATION_GROUP[groupBy ?? 'all']} AS grp, d.measure, count(*)::int AS n, array_agg(d.hours) FILTER (WHERE d.hours IS NOT NULL) AS hours
    FROM report_durations d
    WHERE d.eligible AND ${factsScope('d')}
    GROUP BY 1, 2
  )
  SELECT m.grp, m.measure, f.count, (m.n - f.count)::int AS "openCount", f."p50Hours", f."p90Hours", f."meanHours"
  FROM measured m
  CROSS JOIN LATERAL (SELECT ${figures('h')} FROM unnest(m.hours) h) f`;
}

export interface DurationFigures {
  count: number;
  openCount: number;
  p50Hours: number | null;
  p90Hours: number | null;
  meanHours: number | null;
}
export interface DurationGroup {
  group: string;
  stages: Record<string, DurationFigures>;
  intervals: Record<string, DurationFigures>;
}

const EMPTY: DurationFigures = { count: 0, openCount: 0, p50Hours: null, p90Hours: null, meanHours: null };

@Injectable()
export class JourneyDurationsQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** `sql`: the statement giving the figures (durationsFromEventsSql to check the facts against the trail). */
  async run(
    scope: ReportScope,
    groupBy?: GroupBy,
    sql: (groupBy: GroupBy | undefined, scope: ReportScope) => string = durationsSql,
  ): Promise<DurationGroup[]> {
    const rows: ({ grp: string; measure: string } & DurationFigures)[] = await reportQuery(
      this.dataSource,
      sql(groupBy, scope),
      scopeParams(scope),
    );
    const figures = new Map(rows.map(({ grp, measure, ...f }) => [`${grp}\u0000${measure}`, f]));
    const of = (group: string, measure: string) => figures.get(`${group}\u0000${measure}`) ?? { ...EMPTY };
    return groupsOf(
      groupBy,
      rows.map((r) => r.grp),
    ).map((group) => ({
      group,
      stages: Object.fromEntries(MEASURED_STAGES.map((stage) => [stage, of(group, stage)])),
      intervals: Object.fromEntries(INTERVALS.map((name) => [name, of(group, name)])),
    }));
  }
}
