import type { DataSource } from 'typeorm';
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
import { localAge, placeOfCommune } from '@walt/territory';
import { PartnerPlacesRepository } from './partner-places.repository';
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

/**
 * Runs the pure matching engine for one case: reads the young person's criteria and place,
 * the directory, this month's load of each partner and the partners already asked. The
 * directory index is kept in memory and rebuilt only when a partner was added or changed.
 */
export class CaseMatcher {
  private readonly partners: PartnersRepository;
  private readonly places: PartnerPlacesRepository;
  private cached: { version: string; index: MatchingIndex } | null = null;
  private building: Promise<MatchingIndex> | null = null;

  constructor(private readonly dataSource: DataSource) {
    this.partners = new PartnersRepository(dataSource);
    this.places = new PartnerPlacesRepository(dataSource);
  }

  /**
   * Eligible partners ranked, in-territory exclusions explained, and the profile they were
   * matched on. `excluded`: ids not to ask again; `at`: the instant of the match (age, month).
   */
  async match(caseId: string, options: { excluded?: readonly string[]; at?: Date } = {}): Promise<MatchResult & { profile: MatchProfile }> {
    const [index, request] = await Promise.all([this.index(), this.request(caseId, options.at ?? new Date(), options.excluded)]);
    return { profile: request.profile, ...index.match(request) };
  }

  /** Every partner of the directory with its verdict, territory included (`?explain=all`), and the profile. */
  async explainAll(caseId: string, at = new Date()): Promise<FullExplanation & { profile: MatchProfile }> {
    const [index, request] = await Promise.all([this.index(), this.request(caseId, at)]);
    return { profile: request.profile, ...index.explainAll(request) };
  }

  /** Why this partner may not take this case (a counsellor override needs `force`), or null. */
  async exclusionFor(caseId: string, partnerId: string, at = new Date()): Promise<Exclusion | null> {
    const [partner, request] = await Promise.all([this.partners.get(partnerId), this.request(caseId, at)]);
    if (!partner) throw new UnknownPartnerError(partnerId);
    const { departement: _, ...domainPartner } = partner;
    return explainAll([domainPartner], request).excluded[0] ?? null;
  }

  /** The young person's criteria and place: what the engine sees, never their identity. */
  private async profile(caseId: string, at: Date): Promise<MatchProfile> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase) throw new UnknownCaseError(caseId);
    const youth = await this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId });
    // After erasure the birth date is gone; the age at capture is the best we still know.
    const age = youth.birthDate ? localAge(youth.birthDate, at, kase.departement) : kase.ageAtCapture;
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

  private async request(caseId: string, at: Date, excluded: readonly string[] = []): Promise<MatchRequest> {
    const [profile, load, asked] = await Promise.all([this.profile(caseId, at), this.loadOfMonth(at), this.askedFor(caseId)]);
    return { profile, load, alreadyAsked: new Set([...asked, ...excluded]) };
  }

  /** Places taken in the month of `at`, per partner (the same ledger the journey takes its place in). */
  private loadOfMonth(at: Date): Promise<Map<string, number>> {
    return this.places.takenInMonthOf(at);
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
