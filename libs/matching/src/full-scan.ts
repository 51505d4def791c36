import type { Partner } from '../../domain/src';
import { evaluatePartner, filterContext, rankEligible, sortExclusions } from './evaluate';
import type { EligiblePartner, Exclusion, MatchRequest, MatchResult } from './match-types';
import { servingZone } from './territory-fit';

/**
 * The same match as MatchingIndex, by checking every partner of the directory. Kept as the
 * reference the index is tested against and as the benchmark's baseline.
 */
export function matchByFullScan(partners: readonly Partner[], request: MatchRequest): MatchResult {
  const context = filterContext(request);
  const eligible: EligiblePartner[] = [];
  const excluded: Exclusion[] = [];
  let excludedOutsideTerritory = 0;
  for (const partner of partners) {
    const servedBy = servingZone(partner, request.profile);
    if (!servedBy) {
      excludedOutsideTerritory++;
      continue;
    }
    const verdict = evaluatePartner(partner, servedBy, context);
    if (verdict.eligible) eligible.push(verdict.eligible);
    else excluded.push(verdict.excluded);
  }
  return { eligible: rankEligible(eligible), excluded: sortExclusions(excluded), excludedOutsideTerritory };
}
