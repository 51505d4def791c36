import { youthRepliedSignal } from '../workflows/messages';
import { createCase, journeyOf, pendingReferral, waitForStage } from './support/journeys';
import { startTestSystem, TestSystem } from './support/test-system';

/** Every read of a young person's personal data leaves a row: who, with which role, which case, what, when, from where. */
describe('the access log (GET /v1/audit/access)', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  const bearer = (token: string) => `Bearer ${token}`;
  const admin = () => bearer(sys.token('admin'));
  const accessOf = async (query: string) =>
    (await sys.http().get(`/v1/audit/access?${query}`).set('Authorization', admin()).expect(200)).body;

  it('logs the case page, the timeline and the matches a counsellor reads; not a read refused by territory', async () => {
    const caseId = await createCase(sys);
    await waitForStage(sys, caseId, 'ENGAGING');
    const counsellor = bearer(sys.token('counsellor'));
    await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', counsellor).set('User-Agent', 'console/1.0').expect(200);
    await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', counsellor).expect(200);
    await sys.http().get(`/v1/cases/${caseId}/matches`).set('Authorization', counsellor).expect(200);
    await sys
      .http()
      .get(`/v1/cases/${caseId}`)
      .set('Authorization', bearer(sys.token('counsellor', { territories: ['973'] })))
      .expect(404);

    const log = await accessOf(`caseId=${caseId}`);
    expect(log.total).toBe(3);
    expect(log.items.map((e: { what: string }) => e.what)).toEqual(['MATCHES', 'TIMELINE', 'CASE_PAGE']); // newest first
    expect(log.items[2]).toMatchObject({
      actor: 'counsellor:test-counsellor',
      role: 'counsellor',
      caseId,
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      userAgent: 'console/1.0',
      at: expect.any(String),
    });

    // By actor, and by period (`to` exclusive; a window in the future holds nothing).
    const byActor = await accessOf(`actor=${encodeURIComponent('counsellor:test-counsellor')}&caseId=${caseId}&pageSize=1`);
    expect(byActor).toMatchObject({ total: 3, page: 1, pageSize: 1, items: [{ what: 'MATCHES' }] });
    // An hour after the newest entry, by the database's clock that stamped it (not this process's).
    const later = new Date(Date.parse(log.items[0].at) + 3_600_000).toISOString();
    expect((await accessOf(`caseId=${caseId}&from=${later}`)).total).toBe(0);
    expect((await accessOf(`caseId=${caseId}&to=${later}`)).total).toBe(3);
  });

  it('logs a partner reading a referral once accepted (contact details shown), not before', async () => {
    const caseId = await createCase(sys, { referralExpiresAfter: 'PT60S', partnerReminderAfter: 'PT30S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    const partner = bearer(sys.token('partner', { partnerId: referral.partner_id }));

    await sys.http().get(`/v1/partner/referrals/${referral.id}`).set('Authorization', partner).expect(200);
    expect((await accessOf(`caseId=${caseId}&actor=partner:${referral.partner_id}`)).total).toBe(0);

    const accepted = await sys
      .http()
      .post(`/v1/partner/referrals/${referral.id}/accept`)
      .set('Authorization', partner)
      .send({})
      .expect(200);
    expect(accepted.body).toHaveProperty('phone');
    await sys.http().get(`/v1/partner/referrals/${referral.id}`).set('Authorization', partner).expect(200);
    await sys.http().get('/v1/partner/referrals?status=ACCEPTED&pageSize=200').set('Authorization', partner).expect(200);
    const log = await accessOf(`caseId=${caseId}&actor=partner:${referral.partner_id}`);
    expect(log.items.map((e: { what: string; role: string }) => [e.what, e.role])).toEqual([
      ['PARTNER_REFERRAL', 'partner'],
      ['PARTNER_REFERRAL', 'partner'],
      ['PARTNER_REFERRAL', 'partner'],
    ]);
  });

  it('admins only; bad filters are 400s; rows cannot be changed', async () => {
    await sys
      .http()
      .get('/v1/audit/access')
      .set('Authorization', bearer(sys.token('counsellor')))
      .expect(403);
    await sys
      .http()
      .get('/v1/audit/access')
      .set('Authorization', bearer(sys.token('manager')))
      .expect(403);
    const bad = await sys.http().get('/v1/audit/access?caseId=nope').set('Authorization', admin()).expect(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', details: [{ field: 'caseId', message: 'must be a UUID' }] });
    await sys.http().get('/v1/audit/access?from=yesterday').set('Authorization', admin()).expect(400);
    const t = new Date().toISOString();
    await sys.http().get(`/v1/audit/access?from=${t}&to=${t}`).set('Authorization', admin()).expect(400);
    await expect(sys.dataSource.query(`UPDATE access_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
  });
});
