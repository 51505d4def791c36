import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { PartnerType } from '@walt/domain';
import { CaseMatcher, PartnersRepository, UnknownCaseError } from '@walt/directory';

/**
 * Matching for the journey workflow. Results go into workflow history, so they carry partner
 * ids, types and scores only: never a name, a contact or the young person's profile.
 */
export class MatchingActivities {
  private readonly matcher: CaseMatcher;
  private readonly partners: PartnersRepository;

  constructor(dataSource: DataSource) {
    this.matcher = new CaseMatcher(dataSource);
    this.partners = new PartnersRepository(dataSource);
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
