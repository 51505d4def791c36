import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { PartnerType } from '@walt/domain';
import { CaseMatcher, PartnerPlacesRepository, PartnersRepository, UnknownCaseError } from '@walt/directory';

/**
 * Matching for the journey workflow. Results go into workflow history, so they carry partner
 * ids, types and scores only: never a name, a contact or the young person's profile.
 */
export class MatchingActivities {
  private readonly matcher: CaseMatcher;
  private readonly partners: PartnersRepository;
  private readonly places: PartnerPlacesRepository;

  constructor(dataSource: DataSource) {
    this.matcher = new CaseMatcher(dataSource);
    this.partners = new PartnersRepository(dataSource);
    this.places = new PartnerPlacesRepository(dataSource);
  }

  /**
   * Takes this referral's place in the partner's month; false when the partner has none left
   * (another journey took the last one since the match). Idempotent per referral.
   */
  async takePlace(input: { referralId: string; partnerId: string; caseId: string; at: string; forced: boolean }): Promise<boolean> {
    return this.places.take({ ...input, at: new Date(input.at) });
  }

  /** Gives back the place of a referral the journey did not send after all. */
  async releasePlace(input: { referralId: string }): Promise<void> {
    await this.places.release(input.referralId);
  }

  /** Eligible partners best first; `excluded`: partners this journey has already asked; `at`: the workflow's now. */
  async matchPartners(input: {
    caseId: string;
    excluded: string[];
    at?: string;
  }): Promise<{ eligible: { partnerId: string; partnerType: PartnerType; score: number }[]; excludedCount: number }> {
    try {
      const result = await this.matcher.match(input.caseId, { excluded: input.excluded, at: input.at ? new Date(input.at) : undefined });
      return {
        eligible: result.eligible.map((p) => ({ partnerId: p.partnerId, partnerType: p.type, score: p.score })),
        // Partners serving the young person's place that a hard filter ruled out.
        excludedCount: result.excluded.length,
      };
    } catch (err) {
      // Retrying cannot make a missing case appear.
      if (err instanceof UnknownCaseError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownCase');
      throw err;
    }
  }

  /** What the journey needs to refer to a partner: its type and SLA override; null if unknown. */
  async partnerInfo(input: {
    partnerId: string;
  }): Promise<{ partnerId: string; partnerType: PartnerType; referralExpiresAfter: string | null } | null> {
    const partner = await this.partners.get(input.partnerId);
    return partner && { partnerId: partner.id, partnerType: partner.type, referralExpiresAfter: partner.referralExpiresAfter ?? null };
  }
}
