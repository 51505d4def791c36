import type { Partner } from '../../domain/src';
import { judge } from './evaluate';
import type { FullExplanation, MatchRequest } from './match-types';
import { servingZone } from './territory-fit';

/**
 * For every partner of the directory, eligible with its score or excluded with the first
 * criterion it fails, TERRITORY included: the answer to "why not this partner?".
 */
export function explainAll(partners: readonly Partner[], request: MatchRequest): FullExplanation {
  return judge(
    partners.map((partner) => [partner, servingZone(partner, request.profile)] as const),
    request,
  );
}
