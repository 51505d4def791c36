import { applyDecorators, Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '@walt/auth';
import { caseIdPipe } from './case-id.pipe';
import { CaseActionsService } from './case-actions.service';
import { CaseView } from './case-view';
import { CheckInDto, CloseDto, ContactDto, NoteDto, PauseDto, ReferralOverrideDto } from './dto/case-actions.dto';
import { CaseViewDto } from './dto/case-view.dto';
import { ProfileChangeDto } from './dto/profile-change.dto';
import { ProfileService } from './profile.service';

/** Every action answers 200 with the case as `GET /v1/cases/{caseId}`, already reflecting the action. */
const Action = (summary: string, conflict = 'Not allowed in the current stage; the message names it') =>
  applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiOkResponse({ type: CaseViewDto, description: 'The updated case' }),
    ApiBadRequestResponse({ description: 'ValidationError with one detail per field' }),
    ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' }),
    ApiConflictResponse({ description: conflict }),
  );

/** What counsellors do on a case: each action is an update of its journey (notes aside). */
@ApiTags('cases')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not a counsellor, manager or admin' })
@Roles('counsellor', 'manager', 'admin')
@Controller('v1/cases/:caseId')
export class CaseActionsController {
  constructor(
    private readonly actions: CaseActionsService,
    private readonly profiles: ProfileService,
  ) {}

  @Post('contacts')
  @Action('Log a contact with the young person; reached: the journey leaves ENGAGING')
  logContact(@Param('caseId', caseIdPipe) caseId: string, @Body() dto: ContactDto, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.logContact(caseId, dto, p);
  }

  @Patch('profile')
  @Action(
    'Correct the profile (the form’s fields, all optional): re-segments, and re-matches while matching',
    'The case is CLOSED (nothing is written)',
  )
  changeProfile(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() dto: ProfileChangeDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<CaseView> {
    return this.profiles.change(caseId, dto, p);
  }

  @Post('referrals')
  @Action('Refer to this partner now (400 if its criteria exclude the case, unless force: true; 404 if unknown partner)')
  referToPartner(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body() dto: ReferralOverrideDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<CaseView> {
    return this.actions.referToPartner(caseId, dto, p);
  }

  @Post('rematch')
  @Action('Ask the next partner, excluding those already asked')
  rematch(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.rematch(caseId, p);
  }

  @Post('check-ins')
  @Action('Record a follow-up check-in (outcome required with OUTCOME, which closes the case)')
  recordCheckIn(@Param('caseId', caseIdPipe) caseId: string, @Body() dto: CheckInDto, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.recordCheckIn(caseId, dto, p);
  }

  @Post('pause')
  @Action('Pause the journey: timers stop counting toward escalation')
  pause(@Param('caseId', caseIdPipe) caseId: string, @Body() dto: PauseDto, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.pause(caseId, dto, p);
  }

  @Post('resume')
  @Action('Resume a paused journey in the stage it was paused from')
  resume(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.resume(caseId, p);
  }

  @Post('close')
  @Action('Close the case with a reason (and the outcome when OUTCOME_REACHED)')
  close(@Param('caseId', caseIdPipe) caseId: string, @Body() dto: CloseDto, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.close(caseId, dto, p);
  }

  @Post('notes')
  @Action('Add a note to the case file (also on a closed case); it appears in the timeline', 'Never: notes do not change the journey')
  addNote(@Param('caseId', caseIdPipe) caseId: string, @Body() dto: NoteDto, @CurrentPrincipal() p: Principal): Promise<CaseView> {
    return this.actions.addNote(caseId, dto, p);
  }
}
