import type { DiplomaLevel, PartnerType, Segment, Wish, Zone } from '../../domain/src';

/** What matching knows of a young person: criteria and place, never identity. */
export interface MatchProfile {
  age: number;
  diplomaLevel: DiplomaLevel;
  wishes: readonly Wish[];
  segment: Segment;
  communeCode: string;
  epci: string | null;
  departement: string;
  region: string;
}

/** Referrals sent this calendar month, per partner id; a missing partner has sent none. */
export type LoadLookup = ReadonlyMap<string, number> | ((partnerId: string) => number);

export interface MatchRequest {
  profile: MatchProfile;
  load?: LoadLookup;
  /** Partners already asked in this journey: they are not asked twice. */
  alreadyAsked?: Iterable<string>;
}

/**
 * Hard filters, in the order they are checked: the first that fails is the one reported.
 * Territory first (the index never looks at far-away partners), then what the partner can
 * never accept, then what may change next month.
 */
export const EXCLUSION_CRITERIA = ['TERRITORY', 'INACTIVE', 'AGE', 'DIPLOMA', 'ALREADY_ASKED', 'CAPACITY'] as const;
export type ExclusionCriterion = (typeof EXCLUSION_CRITERIA)[number];

export interface Exclusion {
  partnerId: string;
  partnerName: string;
  type: PartnerType;
  criterion: ExclusionCriterion;
  /** One short sentence in French, for the counsellor who reads the explanation. */
  detail: string;
}

/** Points per component; `score` is their sum (0-100). */
export interface ScoreBreakdown {
  affinity: number;
  wishes: number;
  proximity: number;
  load: number;
  /** The most specific of the partner's zones that contains the young person. */
  servedBy: Zone;
  wishesServed: Wish[];
  referralsThisMonth: number;
  monthlyCapacity: number;
}

export interface EligiblePartner {
  partnerId: string;
  partnerName: string;
  type: PartnerType;
  score: number;
  breakdown: ScoreBreakdown;
}

export interface MatchResult {
  /** Best first: score descending, then partner id. */
  eligible: EligiblePartner[];
  /** Partners whose zones contain the young person but that failed another filter, by id. */
  excluded: Exclusion[];
  /** Partners of the directory that do not serve the young person's place. */
  excludedOutsideTerritory: number;
}

/** Every partner of the directory with its verdict, TERRITORY exclusions included. */
export interface FullExplanation {
  eligible: EligiblePartner[];
  excluded: Exclusion[];
}
