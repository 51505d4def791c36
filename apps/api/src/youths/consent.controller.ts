import { Body, Controller, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@walt/auth';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { caseIdPipe } from '../cases/case-id.pipe';
import { CaseViewDto } from '../cases/dto/case-view.dto';
import { ConsentService } from './consent.service';
import { ConsentChangeDto } from './dto/consent-change.dto';

@ApiTags('data protection')
@ApiBearerAuth()
@Roles('counsellor', 'admin')
@Controller('v1/youths')
export class ConsentController {
  constructor(private readonly consent: ConsentService) {}

  @Put(':caseId/consent')
  @ApiOperation({ summary: 'Change what the young person consents to: channels, sharing with partners (withdraws a pending referral)' })
  @ApiOkResponse({ type: CaseViewDto })
  @ApiBadRequestResponse({ description: 'Neither field, or a bad channel' })
  @ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' })
  @ApiConflictResponse({ description: 'The personal data was erased' })
  change(@Param('caseId', caseIdPipe) caseId: string, @Body() body: ConsentChangeDto, @CurrentPrincipal() principal: Principal) {
    return this.consent.change(caseId, body, principal);
  }
}
