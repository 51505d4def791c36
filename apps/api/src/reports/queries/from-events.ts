import type { GroupBy } from '../dto/report-query.dto';
import { scopeCte } from '../report-scope';
import { figures, hoursBetween } from './journey-durations.query';

/*
 * The duration and funnel reports as they are defined: derived from the audit trail
 * (`journey_events`) at each request. The API reads the same figures from the facts kept
 * up to date by migration 1796500000001 (report_case_facts, report_durations), whose cost does
 * not grow with history; these statements stay as the definition the facts are checked
 * against (test/reports-facts.e2e.test.ts, bench/reports at 104,370 and 1,043,700 journeys).
 */

/** The stage boundaries and the events of the end-to-end intervals, read in one pass. */
const EVENT_TYPES = `('CAPTURED', 'STAGE_CHANGED', 'CLOSED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'REFERRAL_DECLINED', 'REFERRAL_EXPIRED', 'REFERRAL_WITHDRAWN', 'PATHWAY_STARTED')`;

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
export function durationsFromEventsSql(groupBy: GroupBy | undefined): string {
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

/**
 * How many cases of each group ever reached each step, from `journey_events` (one pass over
 * the events of the cases in scope, one row per case, then counted per group). Every capture
 * counts, out-of-scope intakes too (CAPTURED then CLOSED OUT_OF_SCOPE): they are part of the
 * programme's reach, and of those who left without an outcome.
 */
export function funnelFromEventsSql(groupBy: GroupBy | undefined): string {
  return `
  WITH ${scopeCte(groupBy, { eligibleOnly: false })},
  reached AS (
    SELECT s.grp,
           bool_or(e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'ENGAGING') AS engaged,
           bool_or(e.type = 'MATCHED' OR (e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'MATCHING')) AS matched,
           bool_or(e.type = 'REFERRAL_SENT') AS referred,
           bool_or(e.type = 'REFERRAL_ACCEPTED') AS accepted,
           bool_or(e.type = 'PATHWAY_STARTED') AS in_pathway,
           bool_or(e.type = 'CLOSED' AND e.data->>'reason' = 'OUTCOME_REACHED') AS outcome,
           bool_or(e.type = 'CLOSED' AND e.data->>'reason' IS DISTINCT FROM 'OUTCOME_REACHED') AS closed_without_outcome
    FROM scope s
    LEFT JOIN journey_events e ON e.case_id = s.case_id
      AND e.type IN ('STAGE_CHANGED', 'MATCHED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'PATHWAY_STARTED', 'CLOSED')
    GROUP BY s.case_id, s.grp
  )
  SELECT grp,
         count(*)::int AS captured,
         count(*) FILTER (WHERE engaged)::int AS engaged,
         count(*) FILTER (WHERE matched)::int AS matched,
         count(*) FILTER (WHERE referred)::int AS referred,
         count(*) FILTER (WHERE accepted)::int AS accepted,
         count(*) FILTER (WHERE in_pathway)::int AS "inPathway",
         count(*) FILTER (WHERE outcome)::int AS outcome,
         count(*) FILTER (WHERE closed_without_outcome)::int AS "closedWithoutOutcome"
  FROM reached
  GROUP BY grp`;
}
