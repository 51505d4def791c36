import type { Role } from '@walt/domain';
import { aForm, yearsAgo } from './support/forms';
import { createCase, pendingReferral, waitForStage } from './support/journeys';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * Issue 6 end to end: a handful of real journeys driven through the API (counsellor and
 * partner endpoints), then the managers' reports count them. The campaign isolates them.
 */
describe('reports over real journeys driven through the API', () => {
  let sys: TestSystem;
  const campaign = `e2e-${Date.now().toString(36)}`;
  const bearer = (role: Role, extra = {}) => `Bearer ${sys.token(role, extra)}`;
  const post = (path: string, body: object, auth: string) => sys.http().post(path).set('Authorization', auth).send(body).expect(200);
  const report = async (path: string) =>
    (
      await sys
        .http()
        .get(`/v1/reports/${path}${path.includes('?') ? '&' : '?'}campaign=${campaign}`)
        .set('Authorization', bearer('manager'))
        .expect(200)
    ).body;

  const policy = {
    nudgeOffsets: ['PT0S'],
    escalateUnresponsiveAfter: 'PT2S',
    closeUnreachableAfter: 'PT3S',
    referralExpiresAfter: 'PT60S',
    partnerReminderAfter: 'PT30S',
    checkInOffsets: ['PT30S', 'PT60S'],
  };
  const form = (extra: object = {}) => ({ source: { channel: 'TIKTOK', campaign }, ...extra });
  const ids: Record<string, string> = {};
  let acceptingPartner: string;
  let decliningPartner: string;

  beforeAll(async () => {
    sys = await startTestSystem();
    const counsellor = bearer('counsellor');

    // Reached by a counsellor, accepted, attended, outcome at the first check-in.
    ids.accepted = await createCase(sys, policy, form());
    await waitForStage(sys, ids.accepted, 'ENGAGING');
    await post(`/v1/cases/${ids.accepted}/contacts`, { channel: 'PHONE', reached: true }, counsellor);
    const first = await pendingReferral(sys, ids.accepted, 1);
    acceptingPartner = first.partner_id;
    const partner = bearer('partner', { partnerId: acceptingPartner });
    await post(`/v1/partner/referrals/${first.id}/accept`, {}, partner);
    await post(`/v1/partner/referrals/${first.id}/attendance`, { attended: true }, partner);
    await post(`/v1/cases/${ids.accepted}/check-ins`, { status: 'OUTCOME', outcome: 'ALTERNANCE' }, counsellor);

    // Reached, then declined with a reason: the next partner is asked.
    ids.declined = await createCase(sys, policy, form());
    await waitForStage(sys, ids.declined, 'ENGAGING');
    await post(`/v1/cases/${ids.declined}/contacts`, { channel: 'SMS', reached: true }, counsellor);
    const declined = await pendingReferral(sys, ids.declined, 1);
    decliningPartner = declined.partner_id;
    await post(
      `/v1/partner/referrals/${declined.id}/decline`,
      { reason: 'NOT_MOBILE' },
      bearer('partner', { partnerId: decliningPartner }),
    );
    await pendingReferral(sys, ids.declined, 2);

    // Never answers: closed UNREACHABLE. Too young: captured and closed OUT_OF_SCOPE at intake.
    ids.unreachable = await createCase(sys, policy, form());
    ids.outOfScope = (
      await sys
        .http()
        .post('/v1/intake/forms')
        .send(aForm(form({ birthDate: yearsAgo(15) })))
        .expect(201)
    ).body.caseId;
    await waitForStage(sys, ids.unreachable, 'CLOSED', 20_000);
  });
  afterAll(async () => sys?.stop());

  it('the funnel counts each journey at every step it reached', async () => {
    const [all] = (await report('funnel')).groups;
    expect(all).toMatchObject({
      captured: 4,
      engaged: 3,
      matched: 2,
      referred: 2,
      accepted: 1,
      inPathway: 1,
      outcome: 1,
      closedWithoutOutcome: 2,
    });
  });

  it('durations and partners reports show the same journeys', async () => {
    const [all] = (await report('journey-durations')).groups;
    expect(all.intervals.captureToReferral.count).toBe(2);
    expect(all.intervals.captureToAcceptance.count).toBe(1);
    expect(all.intervals.captureToPathway.count).toBe(1);
    expect(all.stages.ENGAGING.count).toBe(3);
    const partners = (await report('partners')).partners as {
      partnerId: string;
      received: number;
      accepted: number;
      declinedByReason: object;
    }[];
    const byId = (id: string) => partners.find((p) => p.partnerId === id);
    expect(byId(acceptingPartner)).toMatchObject({ received: expect.any(Number), accepted: expect.any(Number) });
    expect(byId(decliningPartner)?.declinedByReason).toMatchObject({ NOT_MOBILE: expect.any(Number) });
    const csv = (
      await sys.http().get(`/v1/reports/funnel?campaign=${campaign}&format=csv`).set('Authorization', bearer('manager')).expect(200)
    ).text;
    expect(csv).toContain('ALL,captured,4');
  });
});
