import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STAGES } from '@walt/domain';
import type { GroupBy } from '../dto/report-query.dto';
import { factsGroupKey, factsScope, groupsOf, reportQuery, ReportScope, scopeParams } from '../report-scope';

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

/**
 * Durations per group and measure, from `report_durations`: one row per measured duration of
 * each case (a stay in a stage, an end-to-end interval, a referral's time to decision; hours
 * NULL while open), kept by refresh_report_facts with the definition of durationsFromEventsSql
 * (from-events.ts, which says what each measure is). Only the partner-type group joins the
 * case's facts. The rows are gathered per group by hashing (no sort of every row by group),
 * then each group's hours alone are sorted for its percentiles: the same figures (float8,
 * rounded to 2 decimals, `percentile_cont`) for about half the work.
 */
export function durationsSql(groupBy: GroupBy | undefined): string {
  return `
  WITH measured AS (
    SELECT ${factsGroupKey(groupBy, 'd')} AS grp, d.measure, count(*)::int AS n, array_agg(d.hours) FILTER (WHERE d.hours IS NOT NULL) AS hours
    FROM report_durations d
    ${groupBy === 'partnerType' ? 'JOIN report_case_facts f ON f.case_id = d.case_id' : ''}
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
  async run(scope: ReportScope, groupBy?: GroupBy, sql = durationsSql): Promise<DurationGroup[]> {
    const rows: ({ grp: string; measure: string } & DurationFigures)[] = await reportQuery(
      this.dataSource,
      sql(groupBy),
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
