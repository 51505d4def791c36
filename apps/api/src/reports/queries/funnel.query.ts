import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GroupBy } from '../dto/report-query.dto';
import { groupsOf, reportQuery, ReportScope, scopeCte, scopeParams } from '../report-scope';

/** The funnel's steps in journey order; each converts from the one before it. */
export const FUNNEL_STEPS = ['captured', 'engaged', 'matched', 'referred', 'accepted', 'inPathway', 'outcome'] as const;
/** Not a step: the cases that left without an outcome (out-of-scope intakes included). */
export const CLOSED_WITHOUT_OUTCOME = 'closedWithoutOutcome' as const;

/**
 * How many cases of each group ever reached each step, from `journey_events` (one pass over
 * the events of the cases in scope, one row per case, then counted per group). Every capture
 * counts, out-of-scope intakes too (CAPTURED then CLOSED OUT_OF_SCOPE): they are part of the
 * programme's reach, and of those who left without an outcome.
 */
export function funnelSql(groupBy: GroupBy | undefined): string {
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

type Counts = Record<(typeof FUNNEL_STEPS)[number] | typeof CLOSED_WITHOUT_OUTCOME, number>;
export interface Conversion {
  fromPrevious: number | null;
  fromCaptured: number | null;
}
export type FunnelGroup = { group: string } & Counts & { conversion: Record<string, Conversion> };

/** A share rounded to 4 decimals; null when nobody reached the step it divides by. */
export const rate = (n: number, of: number): number | null => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);

@Injectable()
export class FunnelQuery {
  constructor(private readonly dataSource: DataSource) {}

  async run(scope: ReportScope, groupBy?: GroupBy): Promise<FunnelGroup[]> {
    const rows: ({ grp: string } & Counts)[] = await reportQuery(this.dataSource, funnelSql(groupBy), scopeParams(scope));
    const byGroup = new Map(rows.map(({ grp, ...counts }) => [grp, counts]));
    return groupsOf(
      groupBy,
      rows.map((r) => r.grp),
    ).map((group) => {
      const counts: Counts = byGroup.get(group) ?? zeros();
      const conversion: Record<string, Conversion> = {};
      FUNNEL_STEPS.forEach((step, i) => {
        if (i > 0)
          conversion[step] = {
            fromPrevious: rate(counts[step], counts[FUNNEL_STEPS[i - 1]]),
            fromCaptured: rate(counts[step], counts.captured),
          };
      });
      conversion[CLOSED_WITHOUT_OUTCOME] = { fromPrevious: null, fromCaptured: rate(counts.closedWithoutOutcome, counts.captured) };
      return { group, ...counts, conversion };
    });
  }
}

const zeros = (): Counts => Object.fromEntries([...FUNNEL_STEPS, CLOSED_WITHOUT_OUTCOME].map((k) => [k, 0])) as Counts;
