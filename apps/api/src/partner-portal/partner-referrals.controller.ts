import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { LogsAccess, partnerSeesContact } from '../audit/access-log.decorator';
import { actorOf, Principal, seesDepartement } from '@walt/auth';
import { notFound, validationError } from '../common/api-error';
import { ConditionalGet } from '../common/conditional-get';
import { AcceptReferralDto, DeclineReferralDto } from './dto/decide-referral.dto';
import { AttendanceDto, OutcomeDto } from './dto/follow-up.dto';
import { ListReferralsQuery } from './dto/list-referrals.query';
import { PartnerReferralDto, PartnerReferralListDto, ReferralLinkDto } from './dto/partner-referral.dto';
import { PartnerReferralsService } from './partner-referrals.service';
import { ReferralDecisionsService } from './referral-decisions.service';
import { ReferralLinksService } from './referral-links.service';

const referralIdPipe = new ParseUUIDPipe({ exceptionFactory: () => validationError([{ field: 'referralId', message: 'must be a UUID' }]) });

/** The partner portal: a partner sees and acts on its own referrals only. */
@ApiTags('partner-portal')
@ApiBearerAuth()
@Roles('partner')
@Controller('v1/partner/referrals')
export class PartnerReferralsController {
  constructor(
    private readonly referrals: PartnerReferralsService,
    private readonly decisions: ReferralDecisionsService,
    private readonly links: ReferralLinksService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The partner's referrals, newest first" })
  @ApiOkResponse({ type: PartnerReferralListDto })
  @ConditionalGet()
  @LogsAccess('PARTNER_REFERRAL', (page) => page.items.filter(partnerSeesContact).map((view: { caseId: string }) => view.caseId))
  list(@Query() query: ListReferralsQuery, @CurrentPrincipal() principal: Principal) {
    return this.referrals.list(principal.partnerId!, query);
  }

  @Get(':referralId')
  @ApiOperation({ summary: 'One referral; contact details once accepted' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ConditionalGet()
  @ApiNotFoundResponse({ description: "No such referral, or another partner's" })
  @LogsAccess('PARTNER_REFERRAL', (view) => (partnerSeesContact(view) ? [view.caseId] : []))
  async get(@Param('referralId', referralIdPipe) referralId: string, @CurrentPrincipal() principal: Principal) {
    return this.referrals.viewOf(await this.referrals.findForPartner(referralId, principal.partnerId!));
  }

  @Post(':referralId/accept')
  @HttpCode(200)
  @LogsAccess('PARTNER_REFERRAL', (view) => (partnerSeesContact(view) ? [view.caseId] : []))
  @ApiOperation({ summary: 'Accept: the referral is ACCEPTED and the answer carries the contact details; attendance may follow at once' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiConflictResponse({ description: 'Not pending (already decided, expired or withdrawn)' })
  async accept(
    @Param('referralId', referralIdPipe) referralId: string,
    @Body() body: AcceptReferralDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.accept(await this.referrals.findForPartner(referralId, principal.partnerId!), body, actorOf(principal));
  }

  @Post(':referralId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline with a reason (OTHER needs a comment); the journey asks the next partner' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiBadRequestResponse({ description: 'No reason, or OTHER without a comment' })
  @ApiConflictResponse({ description: 'Not pending (already decided, expired or withdrawn)' })
  async decline(
    @Param('referralId', referralIdPipe) referralId: string,
    @Body() body: DeclineReferralDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.decline(await this.referrals.findForPartner(referralId, principal.partnerId!), body, actorOf(principal));
  }

  @Post(':referralId/attendance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Did the young person come to the first appointment? Yes starts the pathway' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiConflictResponse({ description: 'The referral is not ACCEPTED, or the journey is not waiting for attendance' })
  async attendance(
    @Param('referralId', referralIdPipe) referralId: string,
    @Body() body: AttendanceDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.recordAttendance(await this.referrals.findForPartner(referralId, principal.partnerId!), body, actorOf(principal));
  }

  @Post(':referralId/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report the outcome reached; closes the case' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiConflictResponse({ description: 'The referral is not ACCEPTED, or the journey cannot take an outcome now' })
  async outcome(
    @Param('referralId', referralIdPipe) referralId: string,
    @Body() body: OutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.reportOutcome(await this.referrals.findForPartner(referralId, principal.partnerId!), body, actorOf(principal));
  }

  @Post(':referralId/link')
  @HttpCode(200)
  @Roles('counsellor', 'manager', 'admin')
  @ApiOperation({ summary: "A signed link to the referral, for a partner without an account (valid until the referral's due time)" })
  @ApiOkResponse({ type: ReferralLinkDto })
  @ApiConflictResponse({ description: 'The referral is no longer pending' })
  async link(@Param('referralId', referralIdPipe) referralId: string, @CurrentPrincipal() principal: Principal) {
    const record = await this.referrals.find(referralId);
    if (!seesDepartement(principal, record.kase.departement)) throw notFound(`Referral ${referralId}`);
    return this.links.issue(record);
  }
}
