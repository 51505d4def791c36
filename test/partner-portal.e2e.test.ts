import type { Policy } from '@walt/domain';
import { partnerLinkSecret, signReferralLink } from '@walt/messaging';
import { jwtSecret } from '@walt/auth';
import { youthRepliedSignal } from '../workflows/messages';
import { aForm } from './support/forms';
import { journeyOf, pendingReferral, referralsOf, waitForStage } from './support/journeys';
import { savePolicyVersion } from './support/policies';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * The partner's side of a referral, on the real API, worker, Temporal and PostgreSQL. Referrals
 * come from real journeys: intake under a policy in seconds, a reply, matching over the seed
 * directory. Durations leave room for the assertions (a referral stays pending for a minute).
 */
const SECONDS_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S'],
  escalateUnresponsiveAfter: 'PT60S',
  closeUnreachableAfter: 'PT120S',
  partnerReminderAfter: 'PT30S',
  referralExpiresAfter: 'PT60S',
  maxReferralAttempts: 3,
};

interface Referred {
  caseId: string;
  form: ReturnType<typeof aForm>;
  referralId: string;
  partnerId: string;
}

describe('partner portal and signed links', () => {
  let sys: TestSystem;
  let admin: string;
  let secondsPolicy: number;
  let accepting: Referred; // consents to share: accepted, attended, outcome
  let declining: Referred; // does not consent to share: declined from a signed link
  const linkSecret = () => partnerLinkSecret(jwtSecret());

  const partner = (partnerId: string) => `Bearer ${sys.token('partner', { partnerId })}`;
  const caseOf = async (caseId: string) => (await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', admin).expect(200)).body;
  const timelineOf = async (caseId: string) => (await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', admin)).body;

  /** On failure, the case's timeline goes into the message: that is what tells why. */
  async function explained<T>(caseId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      (err as Error).message += `\ntimeline of ${caseId}:\n${JSON.stringify(await timelineOf(caseId), null, 1)}`;
      throw err;
    }
  }

  /** A real journey up to a pending referral: intake, the young person replies, matching refers. */
  async function referredCase(overrides: Record<string, unknown> = {}): Promise<Referred> {
    const form = aForm(overrides);
    sys.policies.use(form.submissionId, secondsPolicy);
    const caseId = (await sys.http().post('/v1/intake/forms').send(form).expect(201)).body.caseId;
    return explained(caseId, async () => {
      await waitForStage(sys, caseId, 'ENGAGING');
      await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
      const referral = await pendingReferral(sys, caseId, 1);
      return { caseId, form, referralId: referral.id, partnerId: referral.partner_id };
    });
  }

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = `Bearer ${sys.token('admin')}`;
    secondsPolicy = await savePolicyVersion(sys.dataSource, SECONDS_POLICY);
    [accepting, declining] = await Promise.all([
      referredCase(),
      referredCase({ consent: { dataProcessing: true, shareWithPartners: false, channels: ['SMS', 'EMAIL'] } }),
    ]);
  });
  afterAll(async () => sys?.stop());

  it("the referral's partner sees it, without contact details; barriers only with consent", async () => {
    const auth = partner(accepting.partnerId);
    const list = (await sys.http().get('/v1/partner/referrals?status=PENDING&pageSize=200').set('Authorization', auth).expect(200)).body;
    expect(list).toMatchObject({ page: 1, pageSize: 200, total: expect.any(Number) });
    const item = list.items.find((i: { referralId: string }) => i.referralId === accepting.referralId);
    expect(item).toEqual({
      referralId: accepting.referralId,
      caseId: accepting.caseId,
      status: 'PENDING',
      attempt: 1,
      sentAt: expect.any(String),
      dueAt: expect.any(String),
      firstName: 'Léa',
      age: 20,
      diplomaLevel: 'CAP_BEP',
      commune: 'Paris',
      departement: '75',
      segment: expect.any(String),
      barriers: ['MOBILITY'],
      wishes: ['JOB'],
    });
    const one = (await sys.http().get(`/v1/partner/referrals/${accepting.referralId}`).set('Authorization', auth).expect(200)).body;
    expect(one).toEqual(item);

    const withoutConsent = (
      await sys.http().get(`/v1/partner/referrals/${declining.referralId}`).set('Authorization', partner(declining.partnerId)).expect(200)
    ).body;
    expect(withoutConsent).not.toHaveProperty('barriers');
    expect(withoutConsent).not.toHaveProperty('lastName');

    const page = (await sys.http().get('/v1/partner/referrals?pageSize=1').set('Authorization', auth).expect(200)).body;
    expect(page.items.length).toBe(1);
    await sys.http().get('/v1/partner/referrals?status=LOST').set('Authorization', auth).expect(400);
  });

  it('another partner gets 404, never 403, and does not see it in its list', async () => {
    const other = partner('not-this-partner');
    for (const [method, path] of [
      ['get', ''],
      ['post', '/accept'],
      ['post', '/decline'],
      ['post', '/attendance'],
      ['post', '/outcome'],
    ] as const) {
      const req = sys.http()[method](`/v1/partner/referrals/${accepting.referralId}${path}`).set('Authorization', other);
      const res = await (
        method === 'post'
          ? req.send(
              path === '/decline'
                ? { reason: 'CAPACITY_FULL' }
                : path === '/attendance'
                  ? { attended: true }
                  : path === '/outcome'
                    ? { outcome: 'OTHER' }
                    : {},
            )
          : req
      ).expect(404);
      expect(res.body.error).toBe('NotFound');
    }
    const list = (await sys.http().get('/v1/partner/referrals').set('Authorization', other).expect(200)).body;
    expect(list.items.map((i: { referralId: string }) => i.referralId)).not.toContain(accepting.referralId);
    // Not a partner at all: the role is wrong.
    await sys
      .http()
      .get('/v1/partner/referrals')
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .expect(403);
  });

  it('bodies are checked: a decline needs a reason, OTHER needs a comment, an appointment is in the future', async () => {
    const url = `/v1/partner/referrals/${accepting.referralId}`;
    const auth = partner(accepting.partnerId);
    const fieldsOf = (res: { body: { details: { field: string }[] } }) => res.body.details.map((d) => d.field);
    expect(fieldsOf(await sys.http().post(`${url}/decline`).set('Authorization', auth).send({}).expect(400))).toContain('reason');
    expect(fieldsOf(await sys.http().post(`${url}/decline`).set('Authorization', auth).send({ reason: 'EXPIRED' }).expect(400))).toContain(
      'reason',
    );
    const other = await sys.http().post(`${url}/decline`).set('Authorization', auth).send({ reason: 'OTHER', comment: '  ' }).expect(400);
    expect(other.body).toMatchObject({
      error: 'ValidationError',
      details: [{ field: 'comment', message: expect.stringMatching(/OTHER/) }],
    });
    const past = await sys
      .http()
      .post(`${url}/accept`)
      .set('Authorization', auth)
      .send({ appointmentAt: '2020-01-01T09:00:00Z' })
      .expect(400);
    expect(fieldsOf(past)).toEqual(['appointmentAt']);
    expect(
      fieldsOf(
        await sys
          .http()
          .post(`${url}/accept`)
          .set('Authorization', auth)
          .send({ message: 'x'.repeat(2001) })
          .expect(400),
      ),
    ).toEqual(['message']);
    await sys.http().get('/v1/partner/referrals/not-a-uuid').set('Authorization', auth).expect(400);
    // Still pending after all of these.
    expect((await referralsOf(sys, accepting.caseId))[0].status).toBe('PENDING');
  });

  it('attendance before the referral is accepted → 409', async () => {
    const res = await sys
      .http()
      .post(`/v1/partner/referrals/${accepting.referralId}/attendance`)
      .set('Authorization', partner(accepting.partnerId))
      .send({ attended: true })
      .expect(409);
    expect(res.body.message).toMatch(/ACCEPTED.*PENDING/);
  });

  it('accept → 200 with the contact details; the case follows to ACCEPTED; the message is a case note', async () => {
    await explained(accepting.caseId, async () => {
      const appointmentAt = new Date(Date.now() + 86_400_000).toISOString();
      const res = await sys
        .http()
        .post(`/v1/partner/referrals/${accepting.referralId}/accept`)
        .set('Authorization', partner(accepting.partnerId))
        .send({ appointmentAt, message: 'Rendez-vous avec Mme Diallo, 2e étage.' })
        .expect(200);
      expect(res.body).toMatchObject({
        referralId: accepting.referralId,
        status: 'ACCEPTED',
        decidedAt: expect.any(String),
        appointmentAt,
        lastName: accepting.form.lastName,
        email: accepting.form.email,
        phone: expect.stringMatching(/^\+\d{11,12}$/), // E.164 (aForm's numbers may be overseas mobiles)
      });
      // The answer is the referral as the acceptance wrote it; the journey follows a moment later.
      await waitForStage(sys, accepting.caseId, 'ACCEPTED');
      const [note] = await sys.dataSource.query('SELECT id, author, text FROM case_notes WHERE case_id = $1', [accepting.caseId]);
      expect(note).toMatchObject({ author: `partner:${accepting.partnerId}`, text: 'Rendez-vous avec Mme Diallo, 2e étage.' });
      const accepted = (await timelineOf(accepting.caseId)).find((e: { type: string }) => e.type === 'REFERRAL_ACCEPTED');
      expect(accepted).toMatchObject({ actor: `partner:${accepting.partnerId}`, data: { noteId: note.id, appointmentAt, via: 'portal' } });
    });
  });

  it('once decided: accept or decline again → 409; the signed link → 409 "already used", and shows nothing any more', async () => {
    const url = `/v1/partner/referrals/${accepting.referralId}`;
    const auth = partner(accepting.partnerId);
    const again = await sys.http().post(`${url}/accept`).set('Authorization', auth).send({}).expect(409);
    expect(again.body).toMatchObject({ error: 'Conflict', message: expect.stringMatching(/ACCEPTED/) });
    await sys
      .http()
      .post(`${url}/decline`)
      .set('Authorization', auth)
      .send({ reason: 'CAPACITY_FULL', comment: 'plus de place' })
      .expect(409);
    expect(await sys.dataSource.query('SELECT 1 FROM case_notes WHERE case_id = $1', [accepting.caseId])).toHaveLength(1); // no orphan note

    const token = signReferralLink(accepting.referralId, new Date(Date.now() + 3_600_000), linkSecret());
    const used = await sys.http().post(`/v1/partner/links/${token}/accept`).send({}).expect(409);
    expect(used.body.message).toBe('This link has already been used: the referral is ACCEPTED.');
    await sys.http().post(`/v1/partner/links/${token}/decline`).send({ reason: 'DUPLICATE' }).expect(409);
    const shown = (await sys.http().get(`/v1/partner/links/${token}`).expect(409)).body;
    expect(shown).toEqual({ error: 'Conflict', message: 'This link has already been used: the referral is ACCEPTED.', details: [] });
  });

  it('attendance → 200, the case is IN_PATHWAY; then the outcome closes it', async () => {
    await explained(accepting.caseId, async () => {
      const url = `/v1/partner/referrals/${accepting.referralId}`;
      const auth = partner(accepting.partnerId);
      const attended = await sys.http().post(`${url}/attendance`).set('Authorization', auth).send({ attended: true }).expect(200);
      expect(attended.body).toMatchObject({ status: 'ACCEPTED', attended: true, attendanceAt: expect.any(String) });
      expect((await caseOf(accepting.caseId)).stage).toBe('IN_PATHWAY');
      const twice = await sys.http().post(`${url}/attendance`).set('Authorization', auth).send({ attended: true }).expect(409);
      expect(twice.body.message).toMatch(/IN_PATHWAY/); // the journey validator's own words

      const outcome = await sys
        .http()
        .post(`${url}/outcome`)
        .set('Authorization', auth)
        .send({ outcome: 'TRAINING', note: 'Entrée en formation le 3.' })
        .expect(200);
      expect(outcome.body).toMatchObject({ outcome: 'TRAINING' });
      expect(await caseOf(accepting.caseId)).toMatchObject({
        stage: 'CLOSED',
        closure: { reason: 'OUTCOME_REACHED', outcome: 'TRAINING' },
      });
    });
  });

  it('a counsellor gets a signed link to a pending referral; a partner cannot ask for one', async () => {
    const url = `/v1/partner/referrals/${declining.referralId}/link`;
    const res = await sys
      .http()
      .post(url)
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .expect(200);
    const [row] = await referralsOf(sys, declining.caseId);
    expect(res.body).toEqual({
      url: expect.stringMatching(/\/lien\/[\w-]+\.[\w-]+$/), // the web page, which calls /v1/partner/links/{token}
      expiresAt: new Date(row.due_at).toISOString(),
    });
    await sys
      .http()
      .post(url)
      .set('Authorization', `Bearer ${sys.token('counsellor', { territories: ['971'] })}`)
      .expect(404);
    await sys.http().post(url).set('Authorization', partner(declining.partnerId)).expect(403);
    await sys.http().post(`/v1/partner/referrals/${accepting.referralId}/link`).set('Authorization', admin).expect(409);
  });

  it('signed link: shows the referral without contact details; tampered or expired → 401', async () => {
    const token = signReferralLink(declining.referralId, new Date(Date.now() + 3_600_000), linkSecret());
    const shown = (await sys.http().get(`/v1/partner/links/${token}`).expect(200)).body;
    expect(shown).toMatchObject({ referralId: declining.referralId, status: 'PENDING', firstName: 'Léa', commune: 'Paris' });
    for (const hidden of ['lastName', 'email', 'phone', 'barriers']) expect(shown).not.toHaveProperty(hidden);

    const [payload, signature] = token.split('.');
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await sys.http().get(`/v1/partner/links/${tampered}`).expect(401);
    expect(bad.body).toMatchObject({ error: 'Unauthorized', message: expect.stringMatching(/not valid/) });
    await sys.http().post(`/v1/partner/links/${tampered}/accept`).send({}).expect(401);
    const forged = signReferralLink(declining.referralId, new Date(Date.now() + 3_600_000), 'not-the-secret-of-the-api');
    await sys.http().post(`/v1/partner/links/${forged}/decline`).send({ reason: 'DUPLICATE' }).expect(401);

    const expired = signReferralLink(declining.referralId, new Date(Date.now() - 1000), linkSecret());
    const late = await sys.http().post(`/v1/partner/links/${expired}/accept`).send({}).expect(401);
    expect(late.body.message).toMatch(/expired/);
    expect((await referralsOf(sys, declining.caseId))[0].status).toBe('PENDING');
  });

  it('decline from a signed link with a reason → 200; the journey asks another partner; the link is then used', async () => {
    await explained(declining.caseId, async () => {
      const token = signReferralLink(declining.referralId, new Date(Date.now() + 3_600_000), linkSecret());
      await sys.http().post(`/v1/partner/links/${token}/decline`).send({ reason: 'OTHER' }).expect(400);
      const res = await sys
        .http()
        .post(`/v1/partner/links/${token}/decline`)
        .send({ reason: 'CAPACITY_FULL', comment: 'Complet jusqu’en mars.' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'DECLINED',
        reason: 'CAPACITY_FULL',
        comment: 'Complet jusqu’en mars.',
        decidedAt: expect.any(String),
      });
      expect(res.body).not.toHaveProperty('lastName');

      const next = await pendingReferral(sys, declining.caseId, 2);
      expect(next.partner_id).not.toBe(declining.partnerId);
      const declined = (await timelineOf(declining.caseId)).find((e: { type: string }) => e.type === 'REFERRAL_DECLINED');
      expect(declined).toMatchObject({ actor: `partner:${declining.partnerId}`, data: { reason: 'CAPACITY_FULL', via: 'link' } });

      const used = await sys.http().post(`/v1/partner/links/${token}/accept`).send({}).expect(409);
      expect(used.body.message).toBe('This link has already been used: the referral is DECLINED.');

      // The next partner declines from the portal, OTHER with its comment.
      const other = await sys
        .http()
        .post(`/v1/partner/referrals/${next.id}/decline`)
        .set('Authorization', partner(next.partner_id))
        .send({ reason: 'OTHER', comment: 'Hors de notre public.' })
        .expect(200);
      expect(other.body).toMatchObject({ status: 'DECLINED', reason: 'OTHER', comment: 'Hors de notre public.' });
    });
  });
});
