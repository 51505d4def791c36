import type { Partner } from '../../domain/src';
import { evaluatePartner, filterContext, rankEligible, sortExclusions } from './evaluate';
import type { EligiblePartner, Exclusion, FullExplanation, MatchRequest } from './match-types';
import { servingZone } from './territory-fit';

/**
 * For every partner of the directory, eligible with its score or excluded with the first
 * criterion it fails, TERRITORY included: the answer to "why not this partner?".
 */
export function explainAll(partners: readonly Partner[], request: MatchRequest): FullExplanation {
  const context = filterContext(request);
  const eligible: EligiblePartner[] = [];
  const excluded: Exclusion[] = [];
  for (const partner of partners) {
    const verdict = evaluatePartner(partner, servingZone(partner, request.profile), context);
    if (verdict.eligible) eligible.push(verdict.eligible);
    else excluded.push(verdict.excluded);
  }
  return { eligible: rankEligible(eligible), excluded: sortExclusions(excluded) };
}
