import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLoad, generateProfiles } from '../../../infra/seed/generate-profiles';
import { Prng } from '../../../infra/seed/prng';
import { EXCLUSION_CRITERIA, type MatchRequest } from './match-types';
import { explainAll } from './explain';
import { matchByFullScan } from './full-scan';
import { MatchingIndex } from './matching-index';
import { parsePartnersCsv } from './partner-csv';
import { servingZone } from './territory-fit';

/** The seed directory against 1,000 synthetic young people (seeded, so a failure replays). */
const { partners } = parsePartnersCsv(readFileSync(join(__dirname, '../../../infra/seed/partners.csv'), 'utf8'));
const byId = new Map(partners.map((p) => [p.id, p]));
const index = new MatchingIndex(partners);
const prng = new Prng(7);
const load = generateLoad(partners, 11);
const requests: MatchRequest[] = generateProfiles(1000, 42).map((profile, i) => ({
  profile,
  // Half with this month's load, half on a fresh month; some with partners already asked.
  load: i % 2 ? load : undefined,
  alreadyAsked: i % 3 ? [] : prng.sample(partners, 30).map((p) => p.id),
}));
const OVERSEAS = ['971', '972', '973'];

describe('matching the seed directory (1,000 profiles)', () => {
  it('never returns a partner that fails a hard criterion', () => {
    for (const request of requests) {
      const { profile } = request;
      const sent = (id: string) => (request.load as Map<string, number> | undefined)?.get(id) ?? 0;
      for (const eligible of index.match(request).eligible) {
        const p = byId.get(eligible.partnerId)!;
        expect(p.active).toBe(true);
        expect(profile.age).toBeGreaterThanOrEqual(p.minAge);
        expect(profile.age).toBeLessThanOrEqual(p.maxAge);
        expect(p.diplomaLevels).toContain(profile.diplomaLevel);
        expect(servingZone(p, profile)).not.toBeNull();
        expect(sent(p.id)).toBeLessThan(p.monthlyCapacity);
        expect([...(request.alreadyAsked ?? [])]).not.toContain(p.id);
      }
    }
  });

  it('names a criterion and a detail for every exclusion, and accounts for every partner', () => {
    for (const request of requests) {
      const result = index.match(request);
      for (const e of result.excluded) {
        expect(EXCLUSION_CRITERIA).toContain(e.criterion);
        expect(e.criterion).not.toBe('TERRITORY');
        expect(e.detail.length).toBeGreaterThan(5);
      }
      expect(result.eligible.length + result.excluded.length + result.excludedOutsideTerritory).toBe(partners.length);

      const all = explainAll(partners, request);
      expect(all.eligible).toEqual(result.eligible);
      expect(all.excluded.filter((e) => e.criterion === 'TERRITORY')).toHaveLength(result.excludedOutsideTerritory);
      expect(all.excluded.filter((e) => e.criterion !== 'TERRITORY')).toEqual(result.excluded);
    }
  });

  it('exercises every criterion', () => {
    const seen = new Set(requests.flatMap((request) => explainAll(partners, request).excluded.map((e) => e.criterion)));
    expect([...seen].sort()).toEqual([...EXCLUSION_CRITERIA].sort());
  });

  it('gives the same answer through the index as by scanning the whole directory', () => {
    for (const request of requests) expect(index.match(request)).toEqual(matchByFullScan(partners, request));
  });

  it('ranks by score, then partner id', () => {
    for (const request of requests) {
      const { eligible } = index.match(request);
      for (let i = 1; i < eligible.length; i++) {
        const [a, b] = [eligible[i - 1], eligible[i]];
        expect(a.score > b.score || (a.score === b.score && a.partnerId < b.partnerId)).toBe(true);
      }
    }
  });

  it('keeps overseas and mainland apart, except for national catchment', () => {
    let overseasProfiles = 0;
    for (const request of requests) {
      const overseas = OVERSEAS.includes(request.profile.departement);
      if (overseas) overseasProfiles++;
      for (const eligible of index.match(request).eligible) {
        const p = byId.get(eligible.partnerId)!;
        if (p.zones.some((z) => z.kind === 'FRANCE')) continue;
        const partnerOverseas = OVERSEAS.includes(p.communeCode.slice(0, 3));
        expect(partnerOverseas).toBe(overseas);
      }
    }
    expect(overseasProfiles).toBeGreaterThan(50);
  });

  it('offers at least the Mission Locale and France Travail to an in-scope young person with no diploma', () => {
    for (const { profile } of requests) {
      if (profile.age < 17 || profile.age > 25) continue;
      const types = new Set(index.match({ profile: { ...profile, diplomaLevel: 'NONE' } }).eligible.map((e) => e.type));
      expect(types.has('MISSION_LOCALE') && types.has('FRANCE_TRAVAIL') && types.has('EPIDE')).toBe(true);
    }
  });
});
