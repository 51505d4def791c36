import { randomUUID } from 'node:crypto';
import type { Partner } from '@walt/domain';
import { CaseMatcher, PartnerPlacesRepository, PartnersRepository } from '@walt/directory';
import { MatchingActivities } from '../activities/matching.activities';
import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

/** matchPartners and partnerInfo, as the journey workflow calls them, against the real database. */
describe('MatchingActivities', () => {
  let sys: TestSystem;
  let activities: MatchingActivities;
  let partners: PartnersRepository;
  const run = Date.now().toString(36);
  // Local to Mende (Lozère), where no other test lives; deactivated after the run.
  const full = `t-full-${run}`;
  const lastMonth = `t-last-month-${run}`;
  const ids: string[] = [];

  const localPartner = (id: string, monthlyCapacity: number): Partner => ({
    id,
    type: 'MISSION_LOCALE',
    name: `Antenne test ${id}`,
    communeCode: '48095',
    zones: [{ kind: 'COMMUNE', code: '48095' }],
    minAge: 16,
    maxAge: 25,
    diplomaLevels: ['NONE', 'CAP_BEP', 'BAC'],
    wishes: ['JOB'],
    monthlyCapacity,
    active: true,
    contactEmail: `${id}@example.org`,
    referralExpiresAfter: 'P3D',
  });

  /** A referral as a journey makes it: its place in the partner's month first, then the row. */
  const refer = async (caseId: string, partnerId: string, sentAt: Date) => {
    const referralId = randomUUID();
    expect(await new PartnerPlacesRepository(sys.dataSource).take({ referralId, partnerId, caseId, at: sentAt, forced: true })).toBe(true);
    await sys.dataSource.query(
      `INSERT INTO referrals (id, case_id, partner_id, attempt, status, sent_at, due_at)
       VALUES ($1, $2, $3, (SELECT coalesce(max(attempt), 100) + 1 FROM referrals WHERE case_id = $2), 'DECLINED', $4, $4)`,
      [referralId, caseId, partnerId, sentAt],
    );
  };

  beforeAll(async () => {
    sys = await startTestSystem();
    activities = new MatchingActivities(sys.dataSource);
    partners = new PartnersRepository(sys.dataSource);
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await sys
            .http()
            .post('/v1/intake/forms')
            .send(aForm({ postalCode: '48000' }))
            .expect(201)
        ).body.caseId,
      );
    }
  });
  afterAll(async () => {
    for (const id of [full, lastMonth]) await partners?.patch(id, { active: false });
    await sys?.stop();
  });

  it('returns ids, types and scores only, best first, from the seeded directory', async () => {
    const result = await activities.matchPartners({ caseId: ids[0], excluded: [] });
    expect(result.eligible.map((p) => p.partnerId)).toEqual(expect.arrayContaining(['ml-48', 'ft-48']));
    for (const p of result.eligible) expect(Object.keys(p).sort()).toEqual(['partnerId', 'partnerType', 'score']);
    expect(result.eligible.map((p) => p.score)).toEqual(result.eligible.map((p) => p.score).sort((a, b) => b - a));
    expect(result.excludedCount).toEqual(expect.any(Number));
  });

  it('never proposes an excluded partner again', async () => {
    const before = await activities.matchPartners({ caseId: ids[0], excluded: [] });
    const [first, second] = before.eligible.map((p) => p.partnerId);
    const after = await activities.matchPartners({ caseId: ids[0], excluded: [first, second] });
    expect(after.eligible.map((p) => p.partnerId)).not.toContain(first);
    expect(after.eligible.map((p) => p.partnerId)).not.toContain(second);
    expect(after.eligible).toHaveLength(before.eligible.length - 2);
    expect(after.excludedCount).toBe(before.excludedCount + 2);
  });

  it('a partner whose monthly capacity is used up by referrals of this month is excluded; the month turns at midnight in Paris', async () => {
    // The cached directory index must see partners added after it was built.
    await partners.create(localPartner(full, 2));
    await partners.create(localPartner(lastMonth, 1));
    const fresh = await activities.matchPartners({ caseId: ids[0], excluded: [] });
    expect(fresh.eligible.map((p) => p.partnerId)).toEqual(expect.arrayContaining([full, lastMonth]));

    // Fixed instants around the turn of March 2026 in Paris (UTC+2 since the 29th): referrals of
    // other young people, so the partner is not "already asked" for this one.
    await refer(ids[1], full, new Date('2026-03-12T10:00:00Z'));
    await refer(ids[2], full, new Date('2026-03-31T21:30:00Z')); // 23:30 on 31 March in Paris
    await refer(ids[1], full, new Date('2026-03-31T22:30:00Z')); // 00:30 on 1 April in Paris
    await refer(ids[1], lastMonth, new Date('2026-02-20T10:00:00Z'));

    const endOfMarch = '2026-03-31T21:59:00Z'; // 23:59 in Paris: two referrals this month
    const march = (await activities.matchPartners({ caseId: ids[0], excluded: [], at: endOfMarch })).eligible.map((p) => p.partnerId);
    expect(march).not.toContain(full);
    expect(march).toContain(lastMonth);
    const explained = await new CaseMatcher(sys.dataSource).match(ids[0], { at: new Date(endOfMarch) });
    expect(explained.excluded.find((e) => e.partnerId === full)).toMatchObject({
      criterion: 'CAPACITY',
      detail: expect.stringContaining('2 orientations pour 2 places'),
    });

    const startOfApril = '2026-03-31T22:45:00Z'; // 00:45 on 1 April in Paris: one referral so far
    const april = (await activities.matchPartners({ caseId: ids[0], excluded: [], at: startOfApril })).eligible.map((p) => p.partnerId);
    expect(april).toEqual(expect.arrayContaining([full, lastMonth]));
  });

  it('partners already asked for this case are excluded, and exclusionFor says why', async () => {
    const matcher = new CaseMatcher(sys.dataSource);
    expect(await matcher.exclusionFor(ids[1], lastMonth)).toMatchObject({ criterion: 'ALREADY_ASKED' });
    expect(await matcher.exclusionFor(ids[0], lastMonth)).toBeNull();
    expect(await matcher.exclusionFor(ids[0], 'ml-973')).toMatchObject({ criterion: 'TERRITORY' });
    await expect(matcher.exclusionFor(ids[0], 'no-such-partner')).rejects.toThrow('no-such-partner');
    const result = await activities.matchPartners({ caseId: ids[1], excluded: [] });
    expect(result.eligible.map((p) => p.partnerId)).not.toContain(lastMonth);
  });

  it('partnerInfo gives the type and SLA override, null for an unknown partner', async () => {
    expect(await activities.partnerInfo({ partnerId: full })).toEqual({
      partnerId: full,
      partnerType: 'MISSION_LOCALE',
      referralExpiresAfter: 'P3D',
    });
    expect(await activities.partnerInfo({ partnerId: 'ml-48' })).toEqual({
      partnerId: 'ml-48',
      partnerType: 'MISSION_LOCALE',
      referralExpiresAfter: null,
    });
    expect(await activities.partnerInfo({ partnerId: 'no-such-partner' })).toBeNull();
  });

  it('an unknown case fails without retries', async () => {
    await expect(activities.matchPartners({ caseId: randomUUID(), excluded: [] })).rejects.toMatchObject({
      nonRetryable: true,
      type: 'UnknownCase',
    });
  });
});
