import { youthRepliedSignal } from '../workflows/messages';
import { aForm } from './support/forms';
import { createCase, journeyOf, pendingReferral, referralsOf, timelineOf, waitForStage } from './support/journeys';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/** The young person's rights, exercised by a counsellor: access (export) and consent withdrawal. */
describe('GET /v1/youths/{caseId}/export and PUT /v1/youths/{caseId}/consent', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  const bearer = (token: string) => `Bearer ${token}`;
  const counsellor = () => bearer(sys.token('counsellor'));

  it('exports everything held: profile, consents, timeline with notes, messages, in JSON and as a page; the read is logged', async () => {
    const form = aForm();
    const caseId = await createCase(sys, {}, form);
    await waitForStage(sys, caseId, ['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED']);
    const note = `Rappeler <script>alert(1)</script> ${form.lastName}`;
    await sys.http().post(`/v1/cases/${caseId}/notes`).set('Authorization', counsellor()).send({ text: note }).expect(200);

    const data = (await sys.http().get(`/v1/youths/${caseId}/export`).set('Authorization', counsellor()).expect(200)).body;
    expect(data.profile).toMatchObject({ firstName: form.firstName, lastName: form.lastName, email: form.email, consent: form.consent });
    expect(data.cases).toHaveLength(1);
    expect(data.cases[0]).toMatchObject({ caseId, referrals: expect.any(Array), checkIns: expect.any(Array) });
    expect(data.cases[0].timeline.find((e: { type: string }) => e.type === 'NOTE_ADDED')).toMatchObject({ note });
    expect(data.consentHistory[0]).toMatchObject({ caseId, type: 'CAPTURED' });
    expect(data.messages.map((m: { purpose: string }) => m.purpose)).toContain('WELCOME');
    expect(data).toHaveProperty('chat', []);

    const page = await sys
      .http()
      .get(`/v1/youths/${caseId}/export`)
      .set('Authorization', counsellor())
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain(form.lastName);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)</script>');

    await sys
      .http()
      .get(`/v1/youths/${caseId}/export`)
      .set('Authorization', bearer(sys.token('manager')))
      .expect(403);
    await sys
      .http()
      .get(`/v1/youths/${caseId}/export`)
      .set('Authorization', bearer(sys.token('counsellor', { territories: ['973'] })))
      .expect(404);
    const log = (
      await sys
        .http()
        .get(`/v1/audit/access?caseId=${caseId}`)
        .set('Authorization', bearer(sys.token('admin')))
        .expect(200)
    ).body;
    expect(log.items.filter((e: { what: string }) => e.what === 'EXPORT')).toHaveLength(2);
  });

  it('withdrawing channels is kept where the message processor reads it when a nudge is due; the change is an event with its actor', async () => {
    const caseId = await createCase(sys);
    await waitForStage(sys, caseId, ['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED']);
    const changed = await sys
      .http()
      .put(`/v1/youths/${caseId}/consent`)
      .set('Authorization', counsellor())
      .send({ channels: ['EMAIL'] })
      .expect(200);
    expect(changed.body.profile.consent).toMatchObject({ channels: ['EMAIL'], shareWithPartners: true, dataProcessing: true });
    // The processor suppresses a youth message whose channel is not in youths.consent.channels (message.processor.ts).
    const [youth] = await sys.dataSource.query('SELECT y.consent FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1', [
      caseId,
    ]);
    expect(youth.consent.channels).toEqual(['EMAIL']);
    // The same consent again records nothing.
    await sys
      .http()
      .put(`/v1/youths/${caseId}/consent`)
      .set('Authorization', counsellor())
      .send({ channels: ['EMAIL'] })
      .expect(200);
    const events = (await timelineOf(sys, caseId)).filter((e) => e.type === 'CONSENT_CHANGED');
    expect(events).toEqual([expect.objectContaining({ actor: 'counsellor:test-counsellor', data: { channels: ['EMAIL'] } })]);
  });

  it('withdrawing sharing with partners withdraws the pending referral', async () => {
    const caseId = await createCase(sys, { referralExpiresAfter: 'PT60S', partnerReminderAfter: 'PT30S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    const res = await sys
      .http()
      .put(`/v1/youths/${caseId}/consent`)
      .set('Authorization', counsellor())
      .send({ shareWithPartners: false })
      .expect(200);
    expect(res.body.profile.consent.shareWithPartners).toBe(false);
    await eventually(async () => {
      const [first] = await referralsOf(sys, caseId);
      return first.status === 'WITHDRAWN' ? first : undefined;
    }, 'the referral to be withdrawn');
    const events = await timelineOf(sys, caseId);
    expect(events.find((e) => e.type === 'CONSENT_CHANGED')).toMatchObject({
      data: { shareWithPartners: false, withdrawnReferralId: referral.id },
    });
    expect(events.filter((e) => e.type === 'REFERRAL_WITHDRAWN')).toHaveLength(1);
  });

  it('bad bodies are 400s; nothing changes', async () => {
    const caseId = await createCase(sys);
    await sys.http().put(`/v1/youths/${caseId}/consent`).set('Authorization', counsellor()).send({}).expect(400);
    const bad = await sys
      .http()
      .put(`/v1/youths/${caseId}/consent`)
      .set('Authorization', counsellor())
      .send({ channels: ['FAX'] })
      .expect(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', details: [{ field: 'channels', message: 'must be one of SMS, EMAIL' }] });
    await sys
      .http()
      .put(`/v1/youths/${caseId}/consent`)
      .set('Authorization', bearer(sys.token('partner', { partnerId: 'x' })))
      .send({ channels: [] })
      .expect(403);
    expect((await timelineOf(sys, caseId)).filter((e) => e.type === 'CONSENT_CHANGED')).toHaveLength(0);
  });
});
