import { PARTNER_TYPE_DEFAULTS, type Partner, type PartnerType, type Zone } from '../../domain/src';
import { explainAll } from './explain';
import { matchByFullScan } from './full-scan';
import type { MatchProfile, MatchRequest } from './match-types';
import { MatchingIndex } from './matching-index';

function partner(id: string, type: PartnerType, zones: Zone[], overrides: Partial<Partner> = {}): Partner {
  const d = PARTNER_TYPE_DEFAULTS[type];
  return {
    id,
    type,
    name: `${d.label} ${id}`,
    communeCode: '75056',
    zones,
    minAge: d.minAge,
    maxAge: d.maxAge,
    diplomaLevels: [...d.diplomaLevels],
    wishes: [...d.wishes],
    monthlyCapacity: 10,
    active: true,
    contactEmail: `${id}@example.org`,
    ...overrides,
  };
}

const PARIS = { communeCode: '75056', epci: '200054781', departement: '75', region: '11' };
const CAYENNE = { communeCode: '97302', epci: '249730045', departement: '973', region: '03' };
const profile = (overrides: Partial<MatchProfile> = {}): MatchProfile => ({
  age: 19,
  diplomaLevel: 'NONE',
  wishes: ['TRAINING'],
  segment: 'DECROCHEUR',
  ...PARIS,
  ...overrides,
});

const DIRECTORY: Partner[] = [
  partner('ml-75', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }]),
  partner('ml-973', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '973' }], { communeCode: '97302' }),
  partner('ft-75', 'FRANCE_TRAVAIL', [{ kind: 'DEPARTEMENT', code: '75' }]),
  partner('ft-973', 'FRANCE_TRAVAIL', [{ kind: 'EPCI', code: '249730045' }], { communeCode: '97302' }),
  partner('e2c-paris', 'E2C', [{ kind: 'COMMUNE', code: '75056' }]),
  partner('epide-idf', 'EPIDE', [{ kind: 'REGION', code: '11' }]),
  partner('epide-france', 'EPIDE', [{ kind: 'FRANCE', code: 'FR' }], { communeCode: '45234' }),
  partner('cci-75', 'CCI', [{ kind: 'DEPARTEMENT', code: '75' }]),
  partner('geiq-mgp', 'GEIQ', [{ kind: 'EPCI', code: '200054781' }]),
  partner('mfr-01', 'MFR', [{ kind: 'DEPARTEMENT', code: '01' }], { communeCode: '01093' }),
];
const index = new MatchingIndex(DIRECTORY);
const ids = (list: { partnerId: string }[]) => list.map((p) => p.partnerId);

describe('MatchingIndex.match', () => {
  it('ranks eligible partners with a visible breakdown', () => {
    const result = index.match({ profile: profile() });
    expect(ids(result.eligible)).toEqual(['e2c-paris', 'ml-75', 'epide-idf', 'epide-france', 'cci-75', 'ft-75', 'geiq-mgp']);
    // cci-75 and ft-75 tie at 50: the id decides, so the order never depends on the directory's.
    expect(result.eligible[0]).toEqual({
      partnerId: 'e2c-paris',
      partnerName: 'École de la 2e Chance e2c-paris',
      type: 'E2C',
      score: 100,
      breakdown: {
        affinity: 40, // DECROCHEUR → E2C
        wishes: 30,
        proximity: 20, // served at commune level
        load: 10,
        servedBy: { kind: 'COMMUNE', code: '75056' },
        wishesServed: ['TRAINING'],
        referralsThisMonth: 0,
        monthlyCapacity: 10,
      },
    });
    for (const p of result.eligible)
      expect(p.score).toBe(p.breakdown.affinity + p.breakdown.wishes + p.breakdown.proximity + p.breakdown.load);
    expect(result.excluded).toEqual([]);
    expect(result.excludedOutsideTerritory).toBe(3);
  });

  it('names the criterion of every exclusion around the young person', () => {
    const result = index.match({
      profile: profile({ age: 24, diplomaLevel: 'BAC_2' }),
      load: new Map([['cci-75', 10]]),
      alreadyAsked: ['ml-75'],
    });
    expect(result.excluded.map((e) => [e.partnerId, e.criterion])).toEqual([
      ['cci-75', 'CAPACITY'],
      ['e2c-paris', 'DIPLOMA'],
      ['epide-france', 'DIPLOMA'],
      ['epide-idf', 'DIPLOMA'],
      ['geiq-mgp', 'DIPLOMA'],
      ['ml-75', 'ALREADY_ASKED'],
    ]);
    expect(result.excluded[0].detail).toBe('capacité du mois atteinte (10 orientations pour 10 places)');
    expect(result.excluded[1].detail).toBe('niveau BAC_2 non accepté (accepte NONE, CAP_BEP)');
    expect(ids(result.eligible)).toEqual(['ft-75']);
  });

  it('reports age and deactivation', () => {
    const directory = [
      partner('old', 'MFR', [{ kind: 'DEPARTEMENT', code: '75' }], { maxAge: 21 }),
      partner('off', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }], { active: false }),
    ];
    const result = new MatchingIndex(directory).match({ profile: profile({ age: 23 }) });
    expect(result.excluded).toEqual([
      {
        partnerId: 'off',
        partnerName: 'Mission Locale off',
        type: 'MISSION_LOCALE',
        criterion: 'INACTIVE',
        detail: 'structure désactivée dans l’annuaire',
      },
      {
        partnerId: 'old',
        partnerName: 'Maison Familiale Rurale old',
        type: 'MFR',
        criterion: 'AGE',
        detail: '23 ans, la structure accueille de 15 à 21 ans',
      },
    ]);
  });

  it('never sends a young person in Guyane to a mainland partner, nor one in Paris overseas', () => {
    const guyane = index.match({ profile: profile({ ...CAYENNE }) });
    expect(ids(guyane.eligible).sort()).toEqual(['epide-france', 'ft-973', 'ml-973']);
    const paris = index.match({ profile: profile() });
    expect(ids(paris.eligible)).not.toEqual(expect.arrayContaining(['ml-973']));
    expect(ids(paris.eligible).some((id) => id.endsWith('973'))).toBe(false);
  });

  it('lets a national-catchment partner match anywhere, ranked after local ones', () => {
    for (const place of [PARIS, CAYENNE, { communeCode: '2A004', epci: '242010056', departement: '2A', region: '94' }]) {
      const eligible = index.match({ profile: profile(place) }).eligible;
      const national = eligible.find((p) => p.partnerId === 'epide-france');
      expect(national?.breakdown).toMatchObject({ servedBy: { kind: 'FRANCE', code: 'FR' }, proximity: 0 });
    }
  });

  it('answers an empty list with its reasons when nobody can take the young person', () => {
    const result = index.match({ profile: profile({ age: 40, diplomaLevel: 'BAC_3_PLUS' }), load: new Map([['ft-75', 12]]) });
    expect(result.eligible).toEqual([]);
    expect(result.excluded.map((e) => [e.partnerId, e.criterion])).toEqual([
      ['cci-75', 'AGE'],
      ['e2c-paris', 'AGE'],
      ['epide-france', 'AGE'],
      ['epide-idf', 'AGE'],
      ['ft-75', 'CAPACITY'],
      ['geiq-mgp', 'DIPLOMA'],
      ['ml-75', 'AGE'],
    ]);
  });

  it('answers an empty directory and a place without EPCI', () => {
    expect(new MatchingIndex([]).match({ profile: profile() })).toEqual({ eligible: [], excluded: [], excludedOutsideTerritory: 0 });
    const islandOfSein = { communeCode: '29083', epci: null, departement: '29', region: '53' };
    const result = index.match({ profile: profile(islandOfSein) });
    expect(ids(result.eligible)).toEqual(['epide-france']);
  });

  it('prefers the closest zone, then room left, then the partner id', () => {
    const directory = [
      partner('b-dep', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }]),
      partner('a-dep', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }]),
      partner('c-both', 'MISSION_LOCALE', [
        { kind: 'REGION', code: '11' },
        { kind: 'EPCI', code: '200054781' },
      ]),
      partner('d-busy', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }]),
    ];
    const request: MatchRequest = { profile: profile(), load: (id) => (id === 'd-busy' ? 8 : 0) };
    const result = new MatchingIndex(directory).match(request);
    expect(result.eligible.map((p) => [p.partnerId, p.score])).toEqual([
      ['c-both', 95],
      ['a-dep', 90],
      ['b-dep', 90],
      ['d-busy', 82],
    ]);
    expect(result.eligible[0].breakdown.servedBy).toEqual({ kind: 'EPCI', code: '200054781' });
    expect(result).toEqual(matchByFullScan(directory, request));
  });

  it('excludes a partner with no capacity this month', () => {
    const paused = partner('paused', 'MISSION_LOCALE', [{ kind: 'DEPARTEMENT', code: '75' }], { monthlyCapacity: 0 });
    expect(new MatchingIndex([paused]).match({ profile: profile() }).excluded[0]).toMatchObject({
      criterion: 'CAPACITY',
      detail: 'aucune place ouverte ce mois-ci (capacité 0)',
    });
  });

  it('ignores negative or missing load figures', () => {
    const result = index.match({ profile: profile(), load: new Map([['ml-75', -5]]) });
    expect(result.eligible.find((p) => p.partnerId === 'ml-75')?.breakdown.referralsThisMonth).toBe(0);
  });

  it('scores wishes as the share the partner serves, and none without wishes', () => {
    const many = index.match({ profile: profile({ wishes: ['TRAINING', 'CIVIC_SERVICE', 'BUSINESS_CREATION'] }) }).eligible;
    expect(many.find((p) => p.partnerId === 'cci-75')?.breakdown).toMatchObject({
      wishes: 20,
      wishesServed: ['TRAINING', 'BUSINESS_CREATION'],
    });
    const none = index.match({ profile: profile({ wishes: [] }) }).eligible;
    for (const p of none) expect(p.breakdown.wishes).toBe(0);
  });
});

describe('explainAll', () => {
  it('gives every partner of the directory a verdict, territory included', () => {
    const request: MatchRequest = { profile: profile({ ...CAYENNE, age: 30 }) };
    const explained = explainAll(DIRECTORY, request);
    expect(explained.eligible.length + explained.excluded.length).toBe(DIRECTORY.length);
    expect(ids(explained.eligible)).toEqual(['ft-973']);
    expect(explained.excluded.find((e) => e.partnerId === 'mfr-01')).toMatchObject({
      criterion: 'TERRITORY',
      detail: 'hors zone : la structure couvre DEPARTEMENT 01, la personne habite la commune 97302 (973)',
    });
    expect(explained.excluded.find((e) => e.partnerId === 'ml-973')?.criterion).toBe('AGE');
    expect(index.explainAll(request)).toEqual(explained);
  });
});
