import { HttpStatus, Injectable } from '@nestjs/common';
import { partnerLinkSecret, readReferralLink, referralLinkUrl, signReferralLink, verifyReferralLink } from '@walt/messaging';
import { jwtSecret } from '@walt/auth';
import { ApiError, conflict } from '../common/api-error';
import { AcceptReferralDto, DeclineReferralDto } from './dto/decide-referral.dto';
import { PartnerReferralDto, ReferralLinkDto } from './dto/partner-referral.dto';
import { ReferralRecord } from './partner-referral-view';
import { Clock } from '../common/clock';
import { PartnerReferralsService } from './partner-referrals.service';
import { ReferralDecisionsService } from './referral-decisions.service';

const unauthorized = (message: string) => new ApiError(HttpStatus.UNAUTHORIZED, message);

/**
 * Signed links for partners without an account: the token names one referral and expires at
 * the referral's due time; whoever holds it acts as that referral's partner, on that referral
 * only, and only while it is pending.
 */
@Injectable()
export class ReferralLinksService {
  /** Read at start-up, so a production API without PARTNER_LINK_SECRET fails at once. */
  private readonly secret = partnerLinkSecret(jwtSecret());

  constructor(
    private readonly referrals: PartnerReferralsService,
    private readonly decisions: ReferralDecisionsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Shows the pending referral. API.md: a link stops working once the referral is decided, so a
   * forwarded or leaked link never reveals contact details; after accepting, the partner is
   * reached by the young person (who receives the partner's contact) or uses the portal.
   */
  async open(token: string): Promise<PartnerReferralDto> {
    return this.referrals.viewOf(await this.unused(token));
  }

  async accept(token: string, body: AcceptReferralDto): Promise<PartnerReferralDto> {
    const record = await this.unused(token);
    return this.decisions.accept(record, body, partnerActor(record), 'link');
  }

  async decline(token: string, body: DeclineReferralDto): Promise<PartnerReferralDto> {
    const record = await this.unused(token);
    return this.decisions.decline(record, body, partnerActor(record), 'link');
  }

  /** A fresh link for a pending referral (a counsellor resends it), valid until the referral is due. */
  issue({ referral }: ReferralRecord): ReferralLinkDto {
    if (referral.status !== 'PENDING' || referral.dueAt <= this.clock.now()) {
      throw conflict(
        `Only a pending referral gets a link: this one is ${referral.status === 'PENDING' ? 'past its due time' : referral.status}.`,
      );
    }
    return { url: referralLinkUrl(signReferralLink(referral.id, referral.dueAt, this.secret)), expiresAt: referral.dueAt.toISOString() };
  }

  private async resolve(token: string): Promise<ReferralRecord> {
    const valid = verifyReferralLink(token, this.secret, this.clock.now());
    if (!valid) {
      const expired = readReferralLink(token, this.secret);
      throw expired
        ? unauthorized(`This link expired on ${expired.expiresAt.toISOString()}: ask the programme's counsellor for a new one.`)
        : unauthorized('This link is not valid (cut or altered): open it again from the email, or ask for a new one.');
    }
    return this.referrals.find(valid.referralId);
  }

  /** A link works while its referral is pending: one decision, then it is dead. */
  private async unused(token: string): Promise<ReferralRecord> {
    const record = await this.resolve(token);
    const { status } = record.referral;
    if (status === 'ACCEPTED' || status === 'DECLINED') throw conflict(`This link has already been used: the referral is ${status}.`);
    if (status !== 'PENDING') throw conflict(`This referral is ${status}: it can no longer be accepted or declined.`);
    return record;
  }
}

/** The link's holder acts as the referral's partner (the email went to that partner). */
const partnerActor = ({ referral }: ReferralRecord) => `partner:${referral.partnerId}`;
