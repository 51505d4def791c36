import type { Partner, PartnerType, Segment, Zone, ZoneKind } from '../../domain/src';
import type { MatchProfile, ScoreBreakdown } from './match-types';

/**
 * Ranking among eligible partners: soft preferences only, every point visible in the
 * breakdown so a counsellor can see why one partner comes before another (0-100 in all).
 */

type Affinity = 'HIGH' | 'MEDIUM';

/** Which structures suit each persona best; unlisted types are still eligible, just ranked lower. */
export const SEGMENT_AFFINITY: Readonly<Record<Segment, Partial<Record<PartnerType, Affinity>>>> = {
  DECROCHEUR: { E2C: 'HIGH', EPIDE: 'HIGH', MISSION_LOCALE: 'HIGH', MFR: 'MEDIUM' },
  CHERCHEUR_OPPORTUNITES: { CCI: 'HIGH', GEIQ: 'HIGH', MFR: 'HIGH', MISSION_LOCALE: 'MEDIUM', FRANCE_TRAVAIL: 'MEDIUM' },
  EMPECHE: { MISSION_LOCALE: 'HIGH', EPIDE: 'MEDIUM', E2C: 'MEDIUM' },
  CHOMEUR_CLASSIQUE: { FRANCE_TRAVAIL: 'HIGH', MISSION_LOCALE: 'MEDIUM', GEIQ: 'MEDIUM' },
  INVISIBLE: { MISSION_LOCALE: 'HIGH', EPIDE: 'HIGH', E2C: 'MEDIUM' },
};

export const AFFINITY_POINTS: Readonly<Record<Affinity | 'NONE', number>> = { HIGH: 40, MEDIUM: 20, NONE: 0 };
export const MAX_WISH_POINTS = 30;
/** Closer is better: a local structure is easier to reach for a young person without a car. */
export const PROXIMITY_POINTS: Readonly<Record<ZoneKind, number>> = { COMMUNE: 20, EPCI: 15, DEPARTEMENT: 10, REGION: 5, FRANCE: 0 };
/** Spreads referrals: a partner with room left answers faster. */
export const MAX_LOAD_POINTS = 10;

/** Assumes the hard filters passed, in particular referralsThisMonth < monthlyCapacity. */
export function scorePartner(
  partner: Partner,
  profile: MatchProfile,
  servedBy: Zone,
  referralsThisMonth: number,
): { score: number; breakdown: ScoreBreakdown } {
  const affinity = AFFINITY_POINTS[SEGMENT_AFFINITY[profile.segment][partner.type] ?? 'NONE'];
  const wishesServed = profile.wishes.filter((wish) => partner.wishes.includes(wish));
  // No stated wish says nothing about the partner: no points either way.
  const wishes = profile.wishes.length ? Math.round((MAX_WISH_POINTS * wishesServed.length) / profile.wishes.length) : 0;
  const proximity = PROXIMITY_POINTS[servedBy.kind];
  const room = partner.monthlyCapacity > 0 ? (partner.monthlyCapacity - referralsThisMonth) / partner.monthlyCapacity : 0;
  const load = Math.round(MAX_LOAD_POINTS * Math.min(1, Math.max(0, room)));
  return {
    score: affinity + wishes + proximity + load,
    breakdown: {
      affinity,
      wishes,
      proximity,
      load,
      servedBy: { kind: servedBy.kind, code: servedBy.code },
      wishesServed,
      referralsThisMonth,
      monthlyCapacity: partner.monthlyCapacity,
    },
  };
}
