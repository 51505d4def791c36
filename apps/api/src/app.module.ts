import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ChatModule } from './chat/chat.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InboundModule } from './inbound/inbound.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { IntakeModule } from './intake/intake.module';
import { MatchingModule } from './matching/matching.module';
import { MetricsModule } from './metrics/metrics.module';
import { PartnerPortalModule } from './partner-portal/partner-portal.module';
import { PartnersModule } from './partners/partners.module';
import { PolicyModule } from './policy/policy.module';
import { ReportsModule } from './reports/reports.module';
import { TemporalCodecModule } from './temporal-codec/temporal-codec.module';
import { YouthsModule } from './youths/youths.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    InfrastructureModule,
    AuthModule,
    HealthModule,
    IntakeModule,
    ChatModule,
    CasesModule,
    PartnersModule,
    MatchingModule,
    ReportsModule,
    YouthsModule,
    PartnerPortalModule,
    PolicyModule,
    InboundModule,
    IdempotencyModule,
    MetricsModule,
    TemporalCodecModule,
    UsersModule,
    AuditModule,
  ],
})
export class AppModule {}
