import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { LogsAccess, partnerSeesContact } from '../audit/access-log.decorator';
import { AcceptReferralDto, DeclineReferralDto } from './dto/decide-referral.dto';
import { PartnerReferralDto } from './dto/partner-referral.dto';
import { ReferralLinksService } from './referral-links.service';

/** The same referral view and decisions, from a signed link in an email: no account needed. */
@ApiTags('partner-portal')
@Public()
@Controller('v1/partner/links')
export class PartnerLinksController {
  constructor(private readonly links: ReferralLinksService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The referral the link names; contact details once accepted' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiUnauthorizedResponse({ description: 'The link is altered or expired' })
  open(@Param('token') token: string) {
    return this.links.open(token);
  }

  @Post(':token/accept')
  @HttpCode(200)
  @LogsAccess('PARTNER_REFERRAL', (view) => (partnerSeesContact(view) ? [view.caseId] : []))
  @ApiOperation({ summary: 'Accept the referral the link names' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiUnauthorizedResponse({ description: 'The link is altered or expired' })
  @ApiConflictResponse({
    description: 'The link has already been used (the referral is decided), or the referral expired or was withdrawn',
  })
  accept(@Param('token') token: string, @Body() body: AcceptReferralDto) {
    return this.links.accept(token, body);
  }

  @Post(':token/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the referral the link names, with a reason' })
  @ApiOkResponse({ type: PartnerReferralDto })
  @ApiUnauthorizedResponse({ description: 'The link is altered or expired' })
  @ApiConflictResponse({
    description: 'The link has already been used (the referral is decided), or the referral expired or was withdrawn',
  })
  decline(@Param('token') token: string, @Body() body: DeclineReferralDto) {
    return this.links.decline(token, body);
  }
}
