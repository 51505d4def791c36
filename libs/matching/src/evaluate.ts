import type { Partner, Zone } from '../../domain/src';
import { HARD_FILTERS, type FilterContext } from './criteria';
import type { EligiblePartner, Exclusion, FullExplanation, MatchRequest } from './match-types';
import { scorePartner } from './scoring';
import { describeZones } from './territory-fit';

/** One partner's verdict for one young person. */
type Verdict = { eligible: EligiblePartner; excluded?: never } | { excluded: Exclusion; eligible?: never };

/**
 * The verdicts of the candidates, each given with the most specific of its zones containing the
 * person (null: none, a TERRITORY exclusion): eligible ranked, excluded by id. Shared by the
 * index, the full scan and explain-all, which differ only in the candidates they pass.
 */
export function judge(candidates: Iterable<readonly [Partner, Zone | null]>, request: MatchRequest): FullExplanation {
  const context = filterContext(request);
  const eligible: EligiblePartner[] = [];
  const excluded: Exclusion[] = [];
  for (const [partner, servedBy] of candidates) {
    const verdict = evaluatePartner(partner, servedBy, context);
    if (verdict.eligible) eligible.push(verdict.eligible);
    else excluded.push(verdict.excluded);
  }
  return { eligible: rankEligible(eligible), excluded: sortExclusions(excluded) };
}

function filterContext(request: MatchRequest): FilterContext {
  const { load } = request;
  const lookup = typeof load === 'function' ? load : (id: string) => load?.get(id) ?? 0;
  return {
    profile: request.profile,
    // A negative or missing count is treated as none sent, never as extra room.
    referralsThisMonth: (id) => {
      const sent = lookup(id);
      return Number.isFinite(sent) && sent > 0 ? sent : 0;
    },
    alreadyAsked: new Set(request.alreadyAsked ?? []),
  };
}

/** `servedBy`: the most specific zone of the partner containing the person, null if none. */
function evaluatePartner(partner: Partner, servedBy: Zone | null, context: FilterContext): Verdict {
  const identity = { partnerId: partner.id, partnerName: partner.name, type: partner.type };
  if (!servedBy) {
    const { profile } = context;
    const detail = `hors zone : la structure couvre ${describeZones(partner.zones) || 'aucune zone'}, la personne habite la commune ${profile.communeCode} (${profile.departement})`;
    return { excluded: { ...identity, criterion: 'TERRITORY', detail } };
  }
  for (const filter of HARD_FILTERS) {
    const detail = filter.failure(partner, context);
    if (detail !== null) return { excluded: { ...identity, criterion: filter.criterion, detail } };
  }
  const { score, breakdown } = scorePartner(partner, context.profile, servedBy, context.referralsThisMonth(partner.id));
  return { eligible: { ...identity, score, breakdown } };
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Best first; equal scores by partner id so the same directory always gives the same order. */
function rankEligible(eligible: EligiblePartner[]): EligiblePartner[] {
  return eligible.sort((a, b) => b.score - a.score || byId(a.partnerId, b.partnerId));
}

function sortExclusions(excluded: Exclusion[]): Exclusion[] {
  return excluded.sort((a, b) => byId(a.partnerId, b.partnerId));
}
