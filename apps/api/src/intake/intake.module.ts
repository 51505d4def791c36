import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';
import { JourneyPolicyChoice } from './journey-policy';
import { PostalCodesController } from './postal-codes.controller';

@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: Number(process.env.INTAKE_RATE_LIMIT_PER_MINUTE || 60) }])],
  controllers: [IntakeController, PostalCodesController],
  providers: [IntakeService, JourneyPolicyChoice],
})
export class IntakeModule {}
