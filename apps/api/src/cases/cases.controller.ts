import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { validationError } from '../common/api-error';
import { CasesService } from './cases.service';

const caseIdPipe = new ParseUUIDPipe({ exceptionFactory: () => validationError([{ field: 'caseId', message: 'must be a UUID' }]) });

@ApiTags('cases')
@ApiBearerAuth()
@Roles('counsellor', 'manager', 'admin')
@Controller('v1/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get(':caseId')
  @ApiOperation({ summary: 'The case: stage, profile, referrals, check-ins, messages' })
  get(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.get(caseId, principal);
  }

  @Get(':caseId/timeline')
  @ApiOperation({ summary: 'Every step of the journey, oldest first, with its actor' })
  timeline(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.timeline(caseId, principal);
  }
}
