import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnonymisationRepository } from '@walt/persistence';
import { ChatFunnelQuery } from './queries/chat-funnel.query';
import { FunnelQuery } from './queries/funnel.query';
import { NudgesQuery } from './queries/nudges.query';
import { JourneyDurationsQuery } from './queries/journey-durations.query';
import { OverdueQuery } from './queries/overdue.query';
import { PartnersReportQuery } from './queries/partners.query';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Programme managers' reports: SQL over the event log and the projections (ARCHITECTURE.md). */
@Module({
  controllers: [ReportsController],
  providers: [
    ReportsService,
    JourneyDurationsQuery,
    FunnelQuery,
    PartnersReportQuery,
    OverdueQuery,
    ChatFunnelQuery,
    NudgesQuery,
    {
      provide: AnonymisationRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new AnonymisationRepository(dataSource),
    },
  ],
})
export class ReportsModule {}
