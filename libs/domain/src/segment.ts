import type { Barrier, DiplomaLevel, Segment, Situation, Wish } from './codes';

/** What segmentation needs to know; deliberately free of identity. */
export interface SegmentationProfile {
  age: number;
  diplomaLevel: DiplomaLevel;
  situation: Situation;
  barriers: readonly Barrier[];
  wishes: readonly Wish[];
}

/** The barriers PRODUCT.md counts towards "held back by peripheral barriers". */
const HOLDING_BACK_BARRIERS: readonly Barrier[] = ['HEALTH', 'HOUSING', 'MOBILITY', 'FAMILY', 'RESOURCES'];
const OPPORTUNITY_WISHES: readonly Wish[] = ['ALTERNANCE', 'TRAINING', 'BUSINESS_CREATION'];

interface SegmentRule {
  segment: Segment;
  applies(profile: SegmentationProfile): boolean;
}

/** Ordered: the first rule that applies wins (PRODUCT.md, "The five segments"). */
export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    segment: 'EMPECHE',
    applies: (p) => new Set(p.barriers.filter((b) => HOLDING_BACK_BARRIERS.includes(b))).size >= 2,
  },
  {
    segment: 'DECROCHEUR',
    applies: (p) => p.situation === 'LEFT_SCHOOL' || (p.age < 18 && (p.diplomaLevel === 'NONE' || p.diplomaLevel === 'CAP_BEP')),
  },
  { segment: 'INVISIBLE', applies: (p) => p.situation === 'INACTIVE' },
  { segment: 'CHERCHEUR_OPPORTUNITES', applies: (p) => p.wishes.some((w) => OPPORTUNITY_WISHES.includes(w)) },
  { segment: 'CHOMEUR_CLASSIQUE', applies: () => true },
];

export function segmentOf(profile: SegmentationProfile): Segment {
  // The last rule always applies, so find() cannot miss.
  return SEGMENT_RULES.find((rule) => rule.applies(profile))!.segment;
}
