import type { Partner, Zone } from '../../domain/src';
import { judge } from './evaluate';
import type { MatchRequest, MatchResult } from './match-types';
import { servingZone } from './territory-fit';

/**
 * The same match as MatchingIndex, by checking every partner of the directory. Kept as the
 * reference the index is tested against and as the benchmark's baseline.
 */
export function matchByFullScan(partners: readonly Partner[], request: MatchRequest): MatchResult {
  const nearby: [Partner, Zone][] = [];
  for (const partner of partners) {
    const servedBy = servingZone(partner, request.profile);
    if (servedBy) nearby.push([partner, servedBy]);
  }
  return { ...judge(nearby, request), excludedOutsideTerritory: partners.length - nearby.length };
}
