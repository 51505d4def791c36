import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseMatcher } from '@walt/directory';
import type { MatchProfile } from '@walt/matching';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { LogsAccess } from '../audit/access-log.decorator';
import type { Principal } from '@walt/auth';
import { validationError } from '../common/api-error';
import { CasesService } from '../cases/cases.service';
import { MatchesQuery, MatchesView, type MatchProfileView } from './matches.dto';

const profileView = (profile: MatchProfile): MatchProfileView => ({ ...profile, wishes: [...profile.wishes] });

const caseIdPipe = new ParseUUIDPipe({ exceptionFactory: () => validationError([{ field: 'caseId', message: 'must be a UUID' }]) });

@ApiTags('cases')
@ApiBearerAuth()
@Roles('counsellor', 'manager', 'admin')
@Controller('v1/cases')
export class MatchingController {
  constructor(
    private readonly cases: CasesService,
    private readonly matcher: CaseMatcher,
  ) {}

  @Get(':caseId/matches')
  @ApiOperation({
    summary: 'Partners for this young person: eligible ones ranked with their score breakdown, excluded ones with the criterion',
    description: 'Computed now, from the directory, this month’s referrals and the partners already asked in the journey.',
  })
  @ApiOkResponse({ type: MatchesView })
  @LogsAccess('MATCHES')
  @ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' })
  async matches(
    @Param('caseId', caseIdPipe) caseId: string,
    @Query() query: MatchesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MatchesView> {
    await this.cases.findVisible(caseId, principal);
    if (query.explain === 'all') {
      const { profile, eligible, excluded } = await this.matcher.explainAll(caseId);
      const excludedOutsideTerritory = excluded.filter((e) => e.criterion === 'TERRITORY').length;
      return { caseId, profile: profileView(profile), eligible, excluded, excludedOutsideTerritory };
    }
    const { profile, eligible, excluded, excludedOutsideTerritory } = await this.matcher.match(caseId);
    return { caseId, profile: profileView(profile), eligible, excluded, excludedOutsideTerritory };
  }
}
