import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnonymisationRepository } from '@walt/persistence';
import { Roles } from '../auth/auth.decorators';
import { AnonymisationReportDto, Format, GroupedReportDto, NudgeReportDto, OverdueQueryDto, ReportWindowDto } from './dto/report-query.dto';
import { ChatFunnelQuery, chatFunnelCsv } from './queries/chat-funnel.query';
import { NudgesQuery, nudgesCsv } from './queries/nudges.query';
import { resolveScope } from './report-scope';
import { durationsCsv, funnelCsv, overdueCsv, partnersCsv, ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Roles('manager', 'admin')
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly chatFunnelQuery: ChatFunnelQuery,
    private readonly nudgesQuery: NudgesQuery,
    private readonly anonymisation: AnonymisationRepository,
  ) {}

  @Get('journey-durations')
  @ApiOperation({ summary: 'Hours spent in each stage, and end-to-end intervals, per group (p50, p90, mean)' })
  async journeyDurations(@Query() q: GroupedReportDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'journey-durations', await this.reports.journeyDurations(q), durationsCsv);
  }

  @Get('funnel')
  @ApiOperation({ summary: 'Cases that reached each step of the journey, and conversion rates, per group' })
  async funnel(@Query() q: GroupedReportDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'funnel', await this.reports.funnel(q), funnelCsv);
  }

  @Get('partners')
  @ApiOperation({ summary: 'Per partner: referrals received, decisions, declines by reason, expiries, time to decision' })
  async partners(@Query() q: ReportWindowDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'partners', await this.reports.partners(q), partnersCsv);
  }

  @Get('overdue')
  @ApiOperation({ summary: 'Cases whose current stage has outlived its policy duration, oldest deadline first' })
  async overdue(@Query() q: OverdueQueryDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'overdue', await this.reports.overdue(q), overdueCsv);
  }

  @Get('chat-funnel')
  @ApiOperation({
    summary: 'Chatbot conversations: started, reaching each question, recap, completed, abandoned by question, median minutes',
  })
  async chatFunnel(@Query() q: ReportWindowDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'chat-funnel', await this.chatFunnelQuery.run(resolveScope(q)), chatFunnelCsv);
  }

  @Get('nudges')
  @ApiOperation({
    summary:
      'Welcome and nudges to young people: queued, sent, replied within 48 h (a reply or a contact reached), the rate with its 95% Wilson interval, per group; and which variant of each experiment is ahead',
  })
  async nudges(@Query() q: NudgeReportDto, @Res({ passthrough: true }) res: Response) {
    return answer(res, q.format, 'nudges', await this.nudgesQuery.run(resolveScope(q), q.groupBy), nudgesCsv);
  }

  @Get('anonymisations')
  @ApiOperation({ summary: 'Cases anonymised after inactivity (policy anonymiseAfterInactivity), per month (Paris time)' })
  async anonymisations(@Query() q: AnonymisationReportDto, @Res({ passthrough: true }) res: Response) {
    const { from, to } = resolveScope(q);
    const months = await this.anonymisation.perMonth(from ?? undefined, to ?? undefined);
    return answer(
      res,
      q.format,
      'anonymisations',
      { months, total: months.reduce((n, m) => n + m.cases, 0) },
      (r) => ['month,cases', ...r.months.map((m) => `${m.month},${m.cases}`)].join('\n') + '\n',
    );
  }
}

/** JSON by default; `?format=csv` answers the same figures as a CSV download. */
function answer<T>(res: Response, format: Format | undefined, name: string, report: T, csv: (report: T) => string): T | string {
  if (format !== 'csv') return report;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return csv(report);
}
