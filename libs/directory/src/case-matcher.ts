import type { DataSource } from 'typeorm';
import { ageOn } from '@walt/domain';
import {
  explainAll,
  MatchingIndex,
  type Exclusion,
  type FullExplanation,
  type MatchProfile,
  type MatchRequest,
  type MatchResult,
} from '@walt/matching';
import { CaseEntity, YouthEntity } from '@walt/persistence';
import { MAINLAND_TIME_ZONE, placeOfCommune } from '@walt/territory';
import { PartnersRepository } from './partners.repository';

export class UnknownCaseError extends Error {
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
    this.name = 'UnknownCaseError';
  }
}

export class UnknownPartnerError extends Error {
  constructor(readonly partnerId: string) {
    super(`Partner ${partnerId} is not in the directory`);
    this.name = 'UnknownPartnerError';
  }
}

/** Capacities are monthly, and the programme's months are French ones. */
const MONTH_TIME_ZONE = MAINLAND_TIME_ZONE;

/**
 * Runs the pure matching engine for one case: reads the young person's criteria and place,
 * the directory, this month's load of each partner and the partners already asked. The
 * directory index is kept in memory and rebuilt only when a partner was added or changed.
 */
export class CaseMatcher {
  private readonly partners: PartnersRepository;
  private cached: { version: string; index: MatchingIndex } | null = null;
  private building: Promise<MatchingIndex> | null = null;

  constructor(private readonly dataSource: DataSource) {
    this.partners = new PartnersRepository(dataSource);
  }

  /**
   * Eligible partners ranked, in-territory exclusions explained, and the profile they were
   * matched on. `excluded`: ids not to ask again.
   */
  async match(caseId: string, options: { excluded?: readonly string[] } = {}): Promise<MatchResult & { profile: MatchProfile }> {
    const [index, request] = await Promise.all([this.index(), this.request(caseId, options.excluded)]);
    return { profile: request.profile, ...index.match(request) };
  }

  /** Every partner of the directory with its verdict, territory included (`?explain=all`), and the profile. */
  async explainAll(caseId: string): Promise<FullExplanation & { profile: MatchProfile }> {
    const [index, request] = await Promise.all([this.index(), this.request(caseId)]);
    return { profile: request.profile, ...index.explainAll(request) };
  }

  /** Why this partner may not take this case (a counsellor override needs `force`), or null. */
  async exclusionFor(caseId: string, partnerId: string): Promise<Exclusion | null> {
    const [partner, request] = await Promise.all([this.partners.get(partnerId), this.request(caseId)]);
    if (!partner) throw new UnknownPartnerError(partnerId);
    const { departement: _, ...domainPartner } = partner;
    return explainAll([domainPartner], request).excluded[0] ?? null;
  }

  /** The young person's criteria and place: what the engine sees, never their identity. */
  private async profile(caseId: string): Promise<MatchProfile> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase) throw new UnknownCaseError(caseId);
    const youth = await this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId });
    // After erasure the birth date is gone; the age at capture is the best we still know.
    const age = youth.birthDate ? ageOn(youth.birthDate, new Date()) : kase.ageAtCapture;
    const place = placeOfCommune(youth.communeCode);
    return {
      age,
      diplomaLevel: youth.diplomaLevel,
      wishes: youth.wishes,
      segment: kase.segment,
      communeCode: place?.communeCode ?? youth.communeCode,
      epci: place?.epci ?? null,
      departement: place?.departement ?? kase.departement,
      region: place?.region ?? kase.region,
    };
  }

  private async request(caseId: string, excluded: readonly string[] = []): Promise<MatchRequest> {
    const [profile, load, asked] = await Promise.all([this.profile(caseId), this.loadThisMonth(), this.askedFor(caseId)]);
    return { profile, load, alreadyAsked: new Set([...asked, ...excluded]) };
  }

  /** Referrals sent since the first of this month (Paris time), per partner. */
  private async loadThisMonth(): Promise<Map<string, number>> {
    const rows: { partner_id: string; n: number }[] = await this.dataSource.query(
      `SELECT partner_id, count(*)::int AS n FROM referrals
        WHERE sent_at >= date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1
        GROUP BY partner_id`,
      [MONTH_TIME_ZONE],
    );
    return new Map(rows.map((r) => [r.partner_id, r.n]));
  }

  private async askedFor(caseId: string): Promise<string[]> {
    const rows: { partner_id: string }[] = await this.dataSource.query(`SELECT DISTINCT partner_id FROM referrals WHERE case_id = $1`, [
      caseId,
    ]);
    return rows.map((r) => r.partner_id);
  }

  /** The cached index if the directory has not changed since it was built (one single-row read). */
  private async index(): Promise<MatchingIndex> {
    const version = await this.partners.version();
    if (this.cached?.version === version) return this.cached.index;
    // Concurrent matches after a change share one reload.
    this.building ??= this.partners
      .all()
      .then((partners) => {
        const index = new MatchingIndex(partners);
        this.cached = { version, index };
        return index;
      })
      .finally(() => (this.building = null));
    return this.building;
  }
}
