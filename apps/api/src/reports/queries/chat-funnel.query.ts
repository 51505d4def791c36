import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CHAT_STEPS, ChatStep } from '@walt/chat';
import { toCsv } from '@walt/csv';
import { reportQuery, ReportScope, scopeParams, windowView } from '../report-scope';

/** The steps a conversation can be abandoned at or reach (DONE is completion). */
export const FUNNEL_CHAT_STEPS = CHAT_STEPS.filter((s) => s !== 'DONE') as Exclude<ChatStep, 'DONE'>[];
const END_REASONS = ['EXPIRED', 'REFUSED', 'STOPPED', 'ERASED'] as const;

/** Sessions started in [$1, $2), of a département and a campaign if given. */
const SESSIONS = `
  SELECT * FROM chat_conversations s
  WHERE s.started_at >= COALESCE($1::timestamptz, '-infinity') AND s.started_at < COALESCE($2::timestamptz, 'infinity')
    AND ($3::text IS NULL OR s.departement = $3) AND ($4::text IS NULL OR s.campaign = $4)`;

const TOTALS_SQL = `
  SELECT count(*)::int AS started,
         count(*) FILTER (WHERE recap_at IS NOT NULL)::int AS recap,
         count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS completed,
         count(*) FILTER (WHERE completed_at IS NULL AND ended_at IS NOT NULL)::int AS abandoned,
         count(*) FILTER (WHERE completed_at IS NULL AND ended_at IS NULL)::int AS open,
         count(*) FILTER (WHERE completed_at IS NOT NULL AND eligible = false)::int AS out_of_scope,
         count(*) FILTER (WHERE intake_outcome = 'REPEATED')::int AS already_known,
         count(*) FILTER (WHERE human_requested)::int AS human_requested,
         (percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', completed_at - started_at) / 60)
           FILTER (WHERE completed_at IS NOT NULL))::float8 AS median_minutes
  FROM (${SESSIONS}) s`;
const REACHED_SQL = `SELECT r.step, count(*)::int AS count FROM (${SESSIONS}) s, unnest(s.reached) AS r(step) GROUP BY r.step`;
const ABANDONED_SQL = `
  SELECT step, end_reason, count(*)::int AS count FROM (${SESSIONS}) s
  WHERE completed_at IS NULL AND ended_at IS NOT NULL GROUP BY step, end_reason`;

type StepCounts = Record<Exclude<ChatStep, 'DONE'>, number>;

export interface ChatFunnelReport {
  from: string | null;
  to: string | null;
  started: number;
  /** Sessions that were asked each step at least once. */
  reached: StepCounts;
  recap: number;
  completed: number;
  /** Ended without a case: expired, consent refused, stopped or erased by the young person. */
  abandoned: number;
  abandonedByStep: StepCounts;
  abandonedByReason: Record<(typeof END_REASONS)[number], number>;
  /** Still going on (neither completed nor ended). */
  open: number;
  completionRate: number | null;
  /** Completed with a case closed OUT_OF_SCOPE at capture; the same person's open case found again. */
  outOfScope: number;
  alreadyKnown: number;
  humanRequested: number;
  medianMinutesToComplete: number | null;
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The chatbot's funnel (API.md "Programme managers"), from the sessions' rows: nothing personal is read. */
@Injectable()
export class ChatFunnelQuery {
  constructor(private readonly dataSource: DataSource) {}

  async run(scope: ReportScope): Promise<ChatFunnelReport> {
    const params = scopeParams(scope);
    const [[totals], reachedRows, abandonedRows] = await Promise.all([
      reportQuery<Record<string, number | null>>(this.dataSource, TOTALS_SQL, params),
      reportQuery<{ step: string; count: number }>(this.dataSource, REACHED_SQL, params),
      reportQuery<{ step: string; end_reason: string; count: number }>(this.dataSource, ABANDONED_SQL, params),
    ]);
    const reached = zeros(FUNNEL_CHAT_STEPS);
    for (const row of reachedRows) if (row.step in reached) reached[row.step as keyof StepCounts] = row.count;
    const abandonedByStep = zeros(FUNNEL_CHAT_STEPS);
    const abandonedByReason = zeros(END_REASONS);
    for (const row of abandonedRows) {
      if (row.step in abandonedByStep) abandonedByStep[row.step as keyof StepCounts] += row.count;
      if (row.end_reason in abandonedByReason) abandonedByReason[row.end_reason as keyof typeof abandonedByReason] += row.count;
    }
    const started = Number(totals.started);
    const completed = Number(totals.completed);
    const median = totals.median_minutes;
    return {
      ...windowView(scope),
      started,
      reached,
      recap: Number(totals.recap),
      completed,
      abandoned: Number(totals.abandoned),
      abandonedByStep,
      abandonedByReason,
      open: Number(totals.open),
      completionRate: started ? Math.round((completed / started) * 1000) / 1000 : null,
      outOfScope: Number(totals.out_of_scope),
      alreadyKnown: Number(totals.already_known),
      humanRequested: Number(totals.human_requested),
      medianMinutesToComplete: median === null ? null : Math.round(Number(median) * 10) / 10,
    };
  }
}

/** One line per measure, and per step for those counted by step: the same figures as the JSON. */
export function chatFunnelCsv(report: ChatFunnelReport): string {
  const rows = [
    ['started', '', report.started],
    ...FUNNEL_CHAT_STEPS.map((step) => ['reached', step, report.reached[step]]),
    ['recap', '', report.recap],
    ['completed', '', report.completed],
    ['abandoned', '', report.abandoned],
    ...FUNNEL_CHAT_STEPS.map((step) => ['abandonedAt', step, report.abandonedByStep[step]]),
    ...END_REASONS.map((reason) => ['abandonedBecause', reason, report.abandonedByReason[reason]]),
    ['open', '', report.open],
    ['completionRate', '', report.completionRate],
    ['outOfScope', '', report.outOfScope],
    ['alreadyKnown', '', report.alreadyKnown],
    ['humanRequested', '', report.humanRequested],
    ['medianMinutesToComplete', '', report.medianMinutesToComplete],
  ];
  return toCsv(['measure', 'step', 'value'], rows);
}
