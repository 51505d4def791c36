import { Module } from '@nestjs/common';
import { PartnerLinksController } from './partner-links.controller';
import { PartnerReferralsController } from './partner-referrals.controller';
import { PartnerReferralsService } from './partner-referrals.service';
import { ReferralDecisionsService } from './referral-decisions.service';
import { ReferralLinksService } from './referral-links.service';

/** Partners' side of a referral: with an account (role partner) or from a signed link. */
@Module({
  controllers: [PartnerReferralsController, PartnerLinksController],
  providers: [PartnerReferralsService, ReferralDecisionsService, ReferralLinksService],
})
export class PartnerPortalModule {}
