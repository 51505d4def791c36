import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseMatcher } from '@walt/directory';
import { CasesModule } from '../cases/cases.module';
import { MatchingController } from './matching.controller';

/**
 * `GET /v1/cases/{caseId}/matches`, and the CaseMatcher other modules inject (the counsellor
 * override checks a partner's criteria with it). One instance: it caches the directory index.
 */
@Module({
  imports: [CasesModule],
  controllers: [MatchingController],
  providers: [{ provide: CaseMatcher, inject: [DataSource], useFactory: (dataSource: DataSource) => new CaseMatcher(dataSource) }],
  exports: [CaseMatcher],
})
export class MatchingModule {}
