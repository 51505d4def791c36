/**
 * Synthetic young people for property tests and benchmarks: criteria and place only, drawn
 * with a seeded PRNG over the programme's territory (mostly where people live, some anywhere,
 * a share overseas so Guadeloupe, Martinique and Guyane are always exercised).
 */
import { DIPLOMA_LEVELS, SEGMENTS, WISHES, type Partner } from '../../libs/domain/src';
import type { MatchProfile } from '../../libs/matching/src';
import { programmeCommunes, OVERSEAS_IN_SCOPE } from './programme-territory';
import { Prng, WeightedPicker } from './prng';

export function generateProfiles(count: number, seed: number): MatchProfile[] {
  const prng = new Prng(seed);
  const communes = programmeCommunes();
  const overseas = communes.filter((c) => (OVERSEAS_IN_SCOPE as readonly string[]).includes(c.departement));
  const byPopulation = new WeightedPicker(communes, (c) => c.population);
  const profiles: MatchProfile[] = [];
  for (let i = 0; i < count; i++) {
    const draw = prng.next();
    const commune = draw < 0.6 ? byPopulation.pick(prng) : draw < 0.9 ? prng.pick(communes) : prng.pick(overseas);
    profiles.push({
      // Mostly in scope (16-25), some just outside so the AGE filter is exercised.
      age: prng.chance(0.9) ? prng.int(16, 25) : prng.pick([14, 15, 26, 27, 29, 31]),
      diplomaLevel: prng.pick(DIPLOMA_LEVELS),
      wishes: prng.sample(WISHES, prng.int(0, 3)),
      segment: prng.pick(SEGMENTS),
      communeCode: commune.communeCode,
      epci: commune.epci,
      departement: commune.departement,
      region: commune.region,
    });
  }
  return profiles;
}

/** Referrals sent this month: mostly room left, some partners at or over capacity. */
export function generateLoad(partners: readonly Partner[], seed: number): Map<string, number> {
  const prng = new Prng(seed);
  return new Map(
    partners.map((p) => [p.id, prng.chance(0.15) ? p.monthlyCapacity + prng.int(0, 2) : prng.int(0, Math.max(0, p.monthlyCapacity - 1))]),
  );
}
