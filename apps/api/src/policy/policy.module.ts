import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PoliciesRepository } from '@walt/persistence';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';

/** Administration of the versioned journey policy (admin only). */
@Module({
  controllers: [PolicyController],
  providers: [
    PolicyService,
    { provide: PoliciesRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new PoliciesRepository(dataSource) },
  ],
})
export class PolicyModule {}
