import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { LogsAccess } from '../audit/access-log.decorator';
import { ConditionalGet } from '../common/conditional-get';
import type { Principal } from '@walt/auth';
import { caseIdPipe } from './case-id.pipe';
import { CaseListService } from './case-list.service';
import { CasesService } from './cases.service';
import { CaseViewDto, TimelineEntryDto } from './dto/case-view.dto';
import { CaseListPage, ListCasesQuery } from './dto/list-cases.query';

/** What counsellors read: the list of cases, a case, its timeline. */
@ApiTags('cases')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not a counsellor, manager or admin' })
@Roles('counsellor', 'manager', 'admin')
@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly list: CaseListService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Cases, newest first, filtered; a counsellor with territories sees those départements only' })
  @ApiOkResponse({ type: CaseListPage })
  @ConditionalGet()
  @ApiBadRequestResponse({ description: 'ValidationError naming the filter (unknown stage, pageSize over 200…)' })
  find(@Query() query: ListCasesQuery, @CurrentPrincipal() principal: Principal): Promise<CaseListPage> {
    return this.list.list(query, principal);
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'The case: stage, profile, referrals, check-ins, messages' })
  @ApiOkResponse({ type: CaseViewDto })
  @ConditionalGet()
  @LogsAccess('CASE_PAGE')
  @ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' })
  get(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.get(caseId, principal);
  }

  @Get(':caseId/timeline')
  @ApiOperation({ summary: 'Every step of the journey, oldest first, with its actor (and the text of its note)' })
  @ApiOkResponse({ type: [TimelineEntryDto] })
  @ConditionalGet()
  @LogsAccess('TIMELINE')
  @ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' })
  timeline(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.timeline(caseId, principal);
  }
}
