import { Module } from '@nestjs/common';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';

/** Administration of the versioned journey policy (admin only). */
@Module({
  controllers: [PolicyController],
  providers: [PolicyService],
})
export class PolicyModule {}
