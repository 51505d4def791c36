import type { Partner } from '@walt/domain';
import { randomUUID } from 'node:crypto';
import { CaseMatcher, PartnerPlacesRepository, PartnersRepository } from '@walt/directory';
import { youthRepliedSignal } from '../workflows/messages';
import { createCase, journeyOf, referralsOf, waitForStage } from './support/journeys';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * A partner's monthly capacity holds under concurrency: twenty young people of one commune,
 * matched at the same moment, and the only partner that serves them takes five.
 */
describe('monthly capacity under concurrent journeys', () => {
  let sys: TestSystem;
  let partners: PartnersRepository;
  const run = Date.now().toString(36);
  const partnerId = `t-capacity-${run}`;
  /** Guéret (Creuse): the seed partners serving it are set aside during the test, then restored. */
  const POSTAL_CODE = '23000';
  const setAside: string[] = [];

  const onlyPartner: Partner = {
    id: partnerId,
    type: 'MISSION_LOCALE',
    name: `Antenne test ${partnerId}`,
    communeCode: '23096',
    zones: [{ kind: 'DEPARTEMENT', code: '23' }],
    minAge: 16,
    maxAge: 25,
    diplomaLevels: ['NONE', 'CAP_BEP', 'BAC', 'BAC_2', 'BAC_3_PLUS'],
    wishes: [],
    monthlyCapacity: 5,
    active: true,
    contactEmail: `${partnerId}@example.org`,
    referralExpiresAfter: 'PT60S',
  };

  beforeAll(async () => {
    sys = await startTestSystem();
    partners = new PartnersRepository(sys.dataSource);
  });
  afterAll(async () => {
    for (const id of setAside) await partners?.patch(id, { active: true });
    await partners?.patch(partnerId, { active: false });
    await sys?.stop();
  });

  it('twenty journeys matched at once, a partner of capacity 5: five referrals, fifteen handed to a counsellor', async () => {
    const policy = {
      partnerReminderAfter: 'PT30S',
      referralExpiresAfter: 'PT60S',
      escalateUnresponsiveAfter: 'PT60S',
      closeUnreachableAfter: 'PT90S',
    };
    const caseIds: string[] = [];
    for (let i = 0; i < 20; i++) caseIds.push(await createCase(sys, policy, { postalCode: POSTAL_CODE }));
    for (const eligible of (await new CaseMatcher(sys.dataSource).match(caseIds[0])).eligible) {
      await partners.patch(eligible.partnerId, { active: false });
      setAside.push(eligible.partnerId);
    }
    await partners.create(onlyPartner);
    for (const caseId of caseIds) await waitForStage(sys, caseId, 'ENGAGING');

    await Promise.all(caseIds.map((caseId) => journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' })));
    const stages = await Promise.all(caseIds.map((caseId) => waitForStage(sys, caseId, ['REFERRED', 'NEEDS_COUNSELLOR'], 40_000)));
    for (const [i, caseId] of caseIds.entries()) expect((await referralsOf(sys, caseId)).length).toBe(stages[i] === 'REFERRED' ? 1 : 0);

    const [{ n }] = await sys.dataSource.query('SELECT count(*)::int AS n FROM referrals WHERE partner_id = $1', [partnerId]);
    expect(n).toBe(5);
    expect(stages.filter((s) => s === 'REFERRED')).toHaveLength(5);
    expect(stages.filter((s) => s === 'NEEDS_COUNSELLOR')).toHaveLength(15);
  }, 120_000);

  it('a place is taken once per referral; a full partner refuses, a counsellor’s forced override does not', async () => {
    const places = new PartnerPlacesRepository(sys.dataSource);
    const [{ case_id: caseId }] = await sys.dataSource.query('SELECT case_id FROM referrals WHERE partner_id = $1 LIMIT 1', [partnerId]);
    const at = new Date();
    const again = (await sys.dataSource.query('SELECT referral_id FROM partner_places WHERE partner_id = $1 LIMIT 1', [partnerId]))[0];
    expect(await places.take({ referralId: again.referral_id, partnerId, caseId, at, forced: false })).toBe(true); // a retried take
    expect(await places.take({ referralId: randomUUID(), partnerId, caseId, at, forced: false })).toBe(false);
    expect(await places.take({ referralId: randomUUID(), partnerId, caseId, at, forced: true })).toBe(true);
    expect((await places.takenInMonthOf(at)).get(partnerId)).toBe(6);
  });
});
