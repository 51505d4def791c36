import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GroupBy } from '../dto/report-query.dto';
import { factsGroupKey, factsScope, groupsOf, reportQuery, ReportScope, scopeParams } from '../report-scope';

/** The funnel's steps in journey order; each converts from the one before it. */
export const FUNNEL_STEPS = ['captured', 'engaged', 'matched', 'referred', 'accepted', 'inPathway', 'outcome'] as const;
/** Not a step: the cases that left without an outcome (out-of-scope intakes included). */
export const CLOSED_WITHOUT_OUTCOME = 'closedWithoutOutcome' as const;

/**
 * How many cases of each group ever reached each step, from `report_case_facts` (one row per
 * captured case with the steps it reached, kept by refresh_report_facts with the definition
 * of funnelFromEventsSql in from-events.ts). Every capture counts, out-of-scope intakes too
 * (CAPTURED then CLOSED OUT_OF_SCOPE): they are part of the programme's reach, and of those
 * who left without an outcome.
 */
export function funnelSql(groupBy: GroupBy | undefined): string {
  return `
  SELECT ${factsGroupKey(groupBy, 'f')} AS grp,
         count(*)::int AS captured,
         count(*) FILTER (WHERE f.engaged)::int AS engaged,
         count(*) FILTER (WHERE f.matched)::int AS matched,
         count(*) FILTER (WHERE f.referred)::int AS referred,
         count(*) FILTER (WHERE f.accepted)::int AS accepted,
         count(*) FILTER (WHERE f.in_pathway)::int AS "inPathway",
         count(*) FILTER (WHERE f.outcome)::int AS outcome,
         count(*) FILTER (WHERE f.closed_without_outcome)::int AS "closedWithoutOutcome"
  FROM report_case_facts f
  WHERE ${factsScope('f')}
  GROUP BY 1`;
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

  /** `sql`: the statement giving the counts (funnelFromEventsSql to check the facts against the trail). */
  async run(scope: ReportScope, groupBy?: GroupBy, sql = funnelSql): Promise<FunnelGroup[]> {
    const rows: ({ grp: string } & Counts)[] = await reportQuery(this.dataSource, sql(groupBy), scopeParams(scope));
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
