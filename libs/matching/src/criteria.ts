import { MAX_CRITERION_AGE, type Partner } from '../../domain/src';
import type { ExclusionCriterion, MatchProfile } from './match-types';

/** What the hard filters look at besides the partner: the person, this month's load, the asks so far. */
export interface FilterContext {
  profile: MatchProfile;
  referralsThisMonth(partnerId: string): number;
  alreadyAsked: ReadonlySet<string>;
}

interface HardFilter {
  criterion: Exclude<ExclusionCriterion, 'TERRITORY'>;
  /** Why the partner cannot take this person, or null when it can. */
  failure(partner: Partner, context: FilterContext): string | null;
}

/** In EXCLUSION_CRITERIA order, after territory (which the caller has already settled). */
export const HARD_FILTERS: readonly HardFilter[] = [
  {
    criterion: 'INACTIVE',
    failure: (partner) => (partner.active ? null : 'structure désactivée dans l’annuaire'),
  },
  {
    criterion: 'AGE',
    failure: (partner, { profile }) =>
      profile.age >= partner.minAge && profile.age <= partner.maxAge
        ? null
        : `${profile.age} ans, la structure accueille ${ageRange(partner)}`,
  },
  {
    criterion: 'DIPLOMA',
    failure: (partner, { profile }) =>
      partner.diplomaLevels.includes(profile.diplomaLevel)
        ? null
        : `niveau ${profile.diplomaLevel} non accepté (accepte ${partner.diplomaLevels.join(', ') || 'aucun niveau'})`,
  },
  {
    criterion: 'ALREADY_ASKED',
    failure: (partner, { alreadyAsked }) => (alreadyAsked.has(partner.id) ? 'déjà sollicitée dans ce parcours' : null),
  },
  {
    criterion: 'CAPACITY',
    failure: (partner, { referralsThisMonth }) => {
      const sent = referralsThisMonth(partner.id);
      if (sent < partner.monthlyCapacity) return null;
      if (partner.monthlyCapacity === 0) return 'aucune place ouverte ce mois-ci (capacité 0)';
      return `capacité du mois atteinte (${sent} orientation${sent > 1 ? 's' : ''} pour ${partner.monthlyCapacity} places)`;
    },
  },
];

function ageRange(partner: Partner): string {
  return partner.maxAge >= MAX_CRITERION_AGE ? `à partir de ${partner.minAge} ans` : `de ${partner.minAge} à ${partner.maxAge} ans`;
}
