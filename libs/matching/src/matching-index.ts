import { ZONE_KINDS, type Partner, type Zone } from '../../domain/src';
import { judge } from './evaluate';
import { explainAll } from './explain';
import type { FullExplanation, MatchRequest, MatchResult } from './match-types';
import { placeCodeAt } from './territory-fit';

/**
 * The directory indexed by the zones partners serve. A match looks up the five buckets that can
 * contain the young person (their commune, EPCI, département, région, and national), so its cost
 * grows with the partners around them, not with the whole directory. Build once per directory
 * version; the index is immutable and safe to share.
 */
export class MatchingIndex {
  private readonly buckets = new Map<string, { partner: Partner; zone: Zone }[]>();

  constructor(readonly partners: readonly Partner[]) {
    for (const partner of partners) {
      for (const zone of partner.zones) {
        const key = bucketKey(zone.kind, zone.code);
        const bucket = this.buckets.get(key);
        if (bucket) bucket.push({ partner, zone });
        else this.buckets.set(key, [{ partner, zone }]);
      }
    }
  }

  match(request: MatchRequest): MatchResult {
    const nearby = this.partnersAround(request);
    return { ...judge(nearby, request), excludedOutsideTerritory: this.partners.length - nearby.size };
  }

  /** Every partner of the directory with its verdict (the API's `?explain=all`). */
  explainAll(request: MatchRequest): FullExplanation {
    return explainAll(this.partners, request);
  }

  /** Partners serving the person's place, each with its most specific zone that does. */
  private partnersAround({ profile }: MatchRequest): Map<Partner, Zone> {
    const nearby = new Map<Partner, Zone>();
    // Most specific first: the first bucket a partner appears in is its closest zone.
    for (const kind of ZONE_KINDS) {
      const code = kind === 'FRANCE' ? '' : placeCodeAt(kind, profile);
      if (code === null) continue; // e.g. a commune in no EPCI
      for (const { partner, zone } of this.buckets.get(bucketKey(kind, code)) ?? []) {
        if (!nearby.has(partner)) nearby.set(partner, zone);
      }
    }
    return nearby;
  }
}

/** All national zones share one bucket whatever their code. */
function bucketKey(kind: Zone['kind'], code: string): string {
  return kind === 'FRANCE' ? 'FRANCE' : `${kind}:${code}`;
}
