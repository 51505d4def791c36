import { randomUUID } from 'node:crypto';
import type { Zone } from '@walt/domain';
import { PartnersRepository } from '@walt/directory';
import { EXCLUSION_CRITERIA, zoneContains, type MatchProfile } from '@walt/matching';
import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

interface Verdict {
  partnerId: string;
  criterion?: string;
  detail?: string;
  score?: number;
}

describe('GET /v1/cases/{caseId}/matches', () => {
  let sys: TestSystem;
  let admin: string;
  let zonesOf: Map<string, Zone[]>;
  const cases: Record<'guyane' | 'paris', string> = { guyane: '', paris: '' };
  // Never eligible for anyone in the programme's 16-25 scope, so harmless to other tests.
  const tooYoung = `t-too-young-${Date.now().toString(36)}`;

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = `Bearer ${sys.token('admin')}`;
    await sys
      .http()
      .post('/v1/partners')
      .set('Authorization', admin)
      .send({
        id: tooYoung,
        type: 'MFR',
        name: 'MFR Paris (test, 15 ans)',
        communeCode: '75056',
        zones: [{ kind: 'COMMUNE', code: '75056' }],
        minAge: 15,
        maxAge: 15,
        monthlyCapacity: 5,
        contactEmail: 'mfr@example.org',
      })
      .expect(201);
    for (const [place, postalCode] of [
      ['guyane', '97300'],
      ['paris', '75011'],
    ] as const) {
      cases[place] = (await sys.http().post('/v1/intake/forms').send(aForm({ postalCode })).expect(201)).body.caseId;
    }
    zonesOf = new Map((await new PartnersRepository(sys.dataSource).all()).map((p) => [p.id, p.zones]));
  });
  afterAll(async () => sys?.stop());

  const matches = async (caseId: string, query = '') =>
    (await sys.http().get(`/v1/cases/${caseId}/matches${query}`).set('Authorization', admin).expect(200)).body;

  /** Every partner listed serves the young person's place: one of its zones contains it. */
  const expectAllServe = (verdicts: Verdict[], profile: MatchProfile) => {
    for (const v of verdicts) {
      const zones = zonesOf.get(v.partnerId) ?? [];
      expect({ partnerId: v.partnerId, serves: zones.some((z) => zoneContains(z, profile)) }).toEqual({
        partnerId: v.partnerId,
        serves: true,
      });
    }
  };

  it('Guyane: only partners serving Guyane, ranked, the others counted out of territory', async () => {
    const body = await matches(cases.guyane);
    expect(body.profile).toMatchObject({ age: 20, communeCode: '97302', departement: '973', region: '03', diplomaLevel: 'CAP_BEP' });
    expectAllServe([...body.eligible, ...body.excluded], body.profile);
    const ids = body.eligible.map((p: Verdict) => p.partnerId);
    expect(ids).toEqual(expect.arrayContaining(['ml-973', 'ft-973']));
    expect(ids.some((id: string) => /-(75|971|972)$/.test(id))).toBe(false);
    expect(body.excludedOutsideTerritory).toBeGreaterThan(250);

    const scores = body.eligible.map((p: Verdict) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const top = body.eligible[0];
    expect(top.score).toBe(top.breakdown.affinity + top.breakdown.wishes + top.breakdown.proximity + top.breakdown.load);
    expect(top.breakdown).toMatchObject({
      servedBy: { kind: expect.any(String), code: expect.any(String) },
      monthlyCapacity: expect.any(Number),
    });
  });

  it('Paris: no overseas partner; each exclusion names its criterion', async () => {
    const body = await matches(cases.paris);
    expect(body.profile).toMatchObject({ communeCode: '75056', departement: '75', region: '11' });
    expectAllServe([...body.eligible, ...body.excluded], body.profile);
    const listed = [...body.eligible, ...body.excluded].map((p: Verdict) => p.partnerId);
    expect(listed.some((id: string) => /-97[123](-|$)/.test(id))).toBe(false);
    expect(body.eligible.map((p: Verdict) => p.partnerId)).toContain('ml-75');

    for (const e of body.excluded) {
      expect(EXCLUSION_CRITERIA).toContain(e.criterion);
      expect(e.detail).toEqual(expect.any(String));
    }
    expect(body.excluded.find((e: Verdict) => e.partnerId === tooYoung)).toMatchObject({
      criterion: 'AGE',
      detail: expect.stringContaining('20 ans'),
    });
  });

  it('?explain=all gives every partner of the directory its verdict, territory included', async () => {
    const body = await matches(cases.guyane, '?explain=all');
    expect(body.eligible.length + body.excluded.length).toBe(zonesOf.size);
    const ml75 = body.excluded.find((e: Verdict) => e.partnerId === 'ml-75');
    expect(ml75).toMatchObject({ criterion: 'TERRITORY', detail: expect.stringContaining('hors zone') });
    expect(body.excludedOutsideTerritory).toBe(body.excluded.filter((e: Verdict) => e.criterion === 'TERRITORY').length);

    await sys.http().get(`/v1/cases/${cases.guyane}/matches?explain=some`).set('Authorization', admin).expect(400);
  });

  it('a counsellor of another territory gets 404; of the territory, the matches; a partner 403', async () => {
    const elsewhere = `Bearer ${sys.token('counsellor', { territories: ['971'] })}`;
    const res = await sys.http().get(`/v1/cases/${cases.guyane}/matches`).set('Authorization', elsewhere).expect(404);
    expect(res.body.error).toBe('NotFound');
    const local = `Bearer ${sys.token('counsellor', { territories: ['973'] })}`;
    await sys.http().get(`/v1/cases/${cases.guyane}/matches`).set('Authorization', local).expect(200);
    await sys
      .http()
      .get(`/v1/cases/${cases.guyane}/matches`)
      .set('Authorization', `Bearer ${sys.token('manager')}`)
      .expect(200);
    const partner = `Bearer ${sys.token('partner', { partnerId: 'ml-973' })}`;
    await sys.http().get(`/v1/cases/${cases.guyane}/matches`).set('Authorization', partner).expect(403);
    await sys.http().get(`/v1/cases/${randomUUID()}/matches`).set('Authorization', admin).expect(404);
  });
});
