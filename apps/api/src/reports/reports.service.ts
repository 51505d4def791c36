import { Injectable } from '@nestjs/common';
import { DECLINE_REASONS } from '@walt/domain';
import { toCsv } from '@walt/csv';
import type { GroupedReportDto, OverdueQueryDto, ReportWindowDto } from './dto/report-query.dto';
import { FunnelQuery, FUNNEL_STEPS, CLOSED_WITHOUT_OUTCOME } from './queries/funnel.query';
import { INTERVALS, JourneyDurationsQuery, MEASURED_STAGES } from './queries/journey-durations.query';
import { OverdueQuery } from './queries/overdue.query';
import { PartnersReportQuery } from './queries/partners.query';
import { resolveScope, windowView } from './report-scope';

const DURATION_NOTES = [
  'Hours from the event log. A stage lasts from the event that began it to the next stage change of the case.',
  'openCount: stays still going on (the case is in that stage now), or milestones not reached yet by open cases; they are not in the figures.',
  'Cases closed OUT_OF_SCOPE at intake had no journey and are left out; cases closed before a milestone are left out of that interval.',
  'referralToDecision: each referral, from sent to accepted or declined; expired and withdrawn referrals had no decision.',
];

/** The four reports of API.md ("Programme managers"): JSON, and the same figures as CSV. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly durations: JourneyDurationsQuery,
    private readonly funnelQuery: FunnelQuery,
    private readonly partnersQuery: PartnersReportQuery,
    private readonly overdueQuery: OverdueQuery,
  ) {}

  async journeyDurations(q: GroupedReportDto) {
    const scope = resolveScope(q);
    const groups = await this.durations.run(scope, q.groupBy);
    return { ...windowView(scope), groupBy: q.groupBy ?? null, notes: DURATION_NOTES, groups };
  }

  async funnel(q: GroupedReportDto) {
    const scope = resolveScope(q);
    return { ...windowView(scope), groupBy: q.groupBy ?? null, groups: await this.funnelQuery.run(scope, q.groupBy) };
  }

  async partners(q: ReportWindowDto) {
    const scope = resolveScope(q);
    return { ...windowView(scope), partners: await this.partnersQuery.run(scope) };
  }

  overdue(q: OverdueQueryDto) {
    return this.overdueQuery.run({
      departement: q.departement ?? null,
      campaign: q.campaign ?? null,
      stage: q.stage ?? null,
      page: q.page,
      pageSize: q.pageSize,
    });
  }
}

// ── CSV: built from the JSON answer itself, so both always carry the same numbers ──────────

const FIGURES = ['count', 'openCount', 'p50Hours', 'p90Hours', 'meanHours'] as const;

/** One line per group and measure (each stage, then each end-to-end interval). */
export function durationsCsv(report: Awaited<ReturnType<ReportsService['journeyDurations']>>): string {
  const rows = report.groups.flatMap((g) => [
    ...MEASURED_STAGES.map((stage) => [g.group, 'stage', stage, ...FIGURES.map((f) => g.stages[stage][f])]),
    ...INTERVALS.map((name) => [g.group, 'interval', name, ...FIGURES.map((f) => g.intervals[name][f])]),
  ]);
  return toCsv(['group', 'kind', 'measure', ...FIGURES], rows);
}

/** One line per group and step. */
export function funnelCsv(report: Awaited<ReturnType<ReportsService['funnel']>>): string {
  const rows = report.groups.flatMap((g) =>
    [...FUNNEL_STEPS, CLOSED_WITHOUT_OUTCOME].map((step) => [
      g.group,
      step,
      g[step],
      g.conversion[step]?.fromPrevious,
      g.conversion[step]?.fromCaptured,
    ]),
  );
  return toCsv(['group', 'step', 'count', 'fromPrevious', 'fromCaptured'], rows);
}

/** One line per partner; declines by reason get a column each. */
export function partnersCsv(report: Awaited<ReturnType<ReportsService['partners']>>): string {
  const found = report.partners.flatMap((p) => Object.keys(p.declinedByReason));
  const reasons = [...DECLINE_REASONS, ...new Set(found.filter((r) => !(DECLINE_REASONS as readonly string[]).includes(r)))];
  const columns = [
    'received',
    'accepted',
    'declined',
    'expired',
    'withdrawn',
    'pending',
    'medianHoursToDecision',
    'remindersSent',
  ] as const;
  const rows = report.partners.map((p) => [
    p.partnerId,
    p.name,
    p.type,
    p.departement,
    ...columns.map((c) => p[c]),
    ...reasons.map((r) => p.declinedByReason[r] ?? 0),
  ]);
  return toCsv(['partnerId', 'name', 'type', 'departement', ...columns, ...reasons.map((r) => `declined_${r}`)], rows);
}

/** One line per overdue case of the page. */
export function overdueCsv(report: Awaited<ReturnType<ReportsService['overdue']>>): string {
  const columns = [
    'caseId',
    'stage',
    'stageEnteredAt',
    'dueAt',
    'overdueHours',
    'segment',
    'departement',
    'counsellorId',
    'partnerId',
    'policyVersion',
  ] as const;
  return toCsv(
    [...columns],
    report.items.map((item) => columns.map((c) => item[c])),
  );
}
