import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STAGES } from '@walt/domain';
import type { GroupBy } from '../dto/report-query.dto';
import { groupsOf, reportQuery, ReportScope, scopeCte, scopeParams } from '../report-scope';

/** Stages a case can spend time in (CLOSED is the end: it has no duration). */
export const MEASURED_STAGES = STAGES.filter((s) => s !== 'CLOSED');
export const INTERVALS = ['captureToReferral', 'captureToAcceptance', 'captureToPathway', 'referralToDecision'] as const;

/** The stage boundaries and the events of the end-to-end intervals, read in one pass. */
const EVENT_TYPES = `('CAPTURED', 'STAGE_CHANGED', 'CLOSED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'REFERRAL_DECLINED', 'REFERRAL_EXPIRED', 'REFERRAL_WITHDRAWN', 'PATHWAY_STARTED')`;

/** The five figures of one measure over `hours` (NULL = still open: counted, not measured). */
const figures = (hours: string) => `
    count(${hours})::int AS count,
    (count(*) - count(${hours}))::int AS "openCount",
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours})::numeric, 2)::float8 AS "p50Hours",
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours})::numeric, 2)::float8 AS "p90Hours",
    round(avg(${hours})::numeric, 2)::float8 AS "meanHours"`;
/** date_part is float8 (extract is numeric since PostgreSQL 14, and slower to compute and sort). */
const hoursBetween = (from: string, to: string) => `date_part('epoch', ${to} - ${from}) / 3600`;

/**
 * Durations per group and measure, computed by PostgreSQL from `journey_events`.
 *
 * - `events`: one pass over the events of the cases in scope, materialized as narrow rows (the
 *   stage or referral id as text, not the event's jsonb), so the sorts below stay small.
 * - `stays`: a case is in stage X from the event that began X until the next one of the same
 *   case (window function `lead`). CLOSED also begins a stage, so a closing ends the stay
 *   before it even where no STAGE_CHANGED was written. A stay with no next event is still
 *   going on: it is not a duration yet and is counted in `openCount`.
 * - `milestones` (one row per case: every case has its CAPTURED event): the first
 *   REFERRAL_SENT, REFERRAL_ACCEPTED and PATHWAY_STARTED. Not reached yet: open while the case
 *   is open; a case closed before reaching one never will, so it is left out of that interval.
 * - `decisions`: each referral from REFERRAL_SENT to the partner's accept or decline (pending:
 *   open; expired or withdrawn: no decision, left out).
 * Each measure is aggregated on its own (no union of every row before grouping). Hours are
 * float8, rounded to 2 decimals; percentiles are `percentile_cont` (linear interpolation).
 */
export function durationsSql(groupBy: GroupBy | undefined): string {
  return `
  WITH ${scopeCte(groupBy, { eligibleOnly: true })},
  events AS MATERIALIZED (
    SELECT s.grp, e.case_id, e.type, e.at, e.id,
           CASE e.type WHEN 'STAGE_CHANGED' THEN e.data->>'to' WHEN 'CAPTURED' THEN 'CAPTURED' WHEN 'CLOSED' THEN 'CLOSED' END AS stage,
           CASE WHEN e.type LIKE 'REFERRAL%' THEN e.data->>'referralId' END AS referral_id
    FROM scope s
    JOIN journey_events e ON e.case_id = s.case_id AND e.type IN ${EVENT_TYPES}
  ),
  stays AS (
    SELECT grp, stage, ${hoursBetween('at', 'lead(at) OVER (PARTITION BY case_id ORDER BY at, id)')} AS hours
    FROM events WHERE stage IS NOT NULL
  ),
  milestones AS (
    SELECT grp,
           min(at) FILTER (WHERE type = 'CAPTURED') AS captured_at,
           min(at) FILTER (WHERE type = 'REFERRAL_SENT') AS referred_at,
           min(at) FILTER (WHERE type = 'REFERRAL_ACCEPTED') AS accepted_at,
           min(at) FILTER (WHERE type = 'PATHWAY_STARTED') AS pathway_at,
           bool_or(type = 'CLOSED') AS closed
    FROM events
    WHERE type IN ('CAPTURED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'PATHWAY_STARTED', 'CLOSED')
    GROUP BY case_id, grp
  ),
  decisions AS (
    SELECT grp,
           ${hoursBetween(
             "min(at) FILTER (WHERE type = 'REFERRAL_SENT')",
             "min(at) FILTER (WHERE type IN ('REFERRAL_ACCEPTED', 'REFERRAL_DECLINED'))",
           )} AS hours,
           bool_or(type IN ('REFERRAL_EXPIRED', 'REFERRAL_WITHDRAWN')) AS undecided,
           bool_or(type = 'REFERRAL_SENT') AS sent
    FROM events
    WHERE referral_id IS NOT NULL
    GROUP BY case_id, grp, referral_id
  )
  SELECT grp, stage AS measure, ${figures('hours')} FROM stays WHERE stage <> 'CLOSED' GROUP BY grp, stage
  UNION ALL
  SELECT grp, 'captureToReferral', ${figures(hoursBetween('captured_at', 'referred_at'))}
  FROM milestones WHERE referred_at IS NOT NULL OR NOT closed GROUP BY grp
  UNION ALL
  SELECT grp, 'captureToAcceptance', ${figures(hoursBetween('captured_at', 'accepted_at'))}
  FROM milestones WHERE accepted_at IS NOT NULL OR NOT closed GROUP BY grp
  UNION ALL
  SELECT grp, 'captureToPathway', ${figures(hoursBetween('captured_at', 'pathway_at'))}
  FROM milestones WHERE pathway_at IS NOT NULL OR NOT closed GROUP BY grp
  UNION ALL
  SELECT grp, 'referralToDecision', ${figures('hours')}
  FROM decisions WHERE sent AND (hours IS NOT NULL OR NOT undecided) GROUP BY grp`;
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

  async run(scope: ReportScope, groupBy?: GroupBy): Promise<DurationGroup[]> {
    const rows: ({ grp: string; measure: string } & DurationFigures)[] = await reportQuery(
      this.dataSource,
      durationsSql(groupBy),
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
