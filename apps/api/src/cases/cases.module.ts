import { Module } from '@nestjs/common';
import { CaseActionsController } from './case-actions.controller';
import { CaseActionsService } from './case-actions.service';
import { CaseListService } from './case-list.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { ProfileService } from './profile.service';

/**
 * The counsellors' routes. CaseMatcher (MatchingModule) is looked up at call time by
 * CaseActionsService, since MatchingModule imports this module.
 */
@Module({
  controllers: [CasesController, CaseActionsController],
  providers: [CasesService, CaseListService, CaseActionsService, ProfileService],
  exports: [CasesService],
})
export class CasesModule {}
