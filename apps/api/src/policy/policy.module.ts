import { Module } from '@nestjs/common';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';
import { SimulationsController } from './simulations.controller';
import { SimulationsService } from './simulations.service';

/** Administration of the versioned journey policy (admin only), and what-ifs of a change (managers too). */
@Module({
  controllers: [PolicyController, SimulationsController],
  providers: [PolicyService, SimulationsService],
})
export class PolicyModule {}
