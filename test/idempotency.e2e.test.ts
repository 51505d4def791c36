import { randomUUID } from 'node:crypto';
import { signToken } from '@walt/auth';
import type { Policy } from '@walt/domain';
import { youthRepliedSignal } from '../workflows/messages';
import { aForm } from './support/forms';
import { journeyOf, pendingReferral, timelineOf, waitForStage } from './support/journeys';
import { savePolicyVersion } from './support/policies';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * API.md: writes by counsellors, partners and admins accept an `Idempotency-Key`; the same key
 * from the same caller within 24 h answers the first answer again and records nothing new.
 */
/** Keys of this run (a key is remembered 24 h, and a database may outlive a run). */
const RUN = randomUUID().slice(0, 8);
const k = (name: string) => `${name}-${RUN}`;

const SLOW_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S'],
  escalateUnresponsiveAfter: 'PT120S',
  closeUnreachableAfter: 'PT240S',
  partnerReminderAfter: 'PT60S',
  referralExpiresAfter: 'PT120S',
};

describe('Idempotency-Key on counsellor and partner actions', () => {
  let sys: TestSystem;
  let counsellor: string;
  let policyVersion: number;

  async function newCase(): Promise<string> {
    const form = aForm();
    sys.policies.use(form.submissionId, policyVersion);
    const caseId = (await sys.http().post('/v1/intake/forms').send(form).expect(201)).body.caseId;
    await waitForStage(sys, caseId, 'ENGAGING');
    return caseId;
  }
  const count = async (sql: string, params: unknown[]) => Number((await sys.dataSource.query(sql, params))[0].n);
  const eventsOf = async (caseId: string, type: string) => (await timelineOf(sys, caseId)).filter((e) => e.type === type).length;

  beforeAll(async () => {
    sys = await startTestSystem();
    counsellor = `Bearer ${sys.token('counsellor')}`;
    policyVersion = await savePolicyVersion(sys.dataSource, SLOW_POLICY);
  });
  afterAll(async () => sys?.stop());

  it('the same key and body: the first answer again, nothing recorded twice', async () => {
    const caseId = await newCase();
    const send = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/notes`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('note-1'))
        .send({ text: 'appelée' });
    const first = await send().expect(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await eventsOf(caseId, 'NOTE_ADDED')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM case_notes WHERE case_id = $1', [caseId])).toBe(1);
    // Without a key, the same request is a second note.
    await sys.http().post(`/v1/cases/${caseId}/notes`).set('Authorization', counsellor).send({ text: 'appelée' }).expect(200);
    expect(await eventsOf(caseId, 'NOTE_ADDED')).toBe(2);
  });

  it('the same key with another body, path or caller', async () => {
    const caseId = await newCase();
    const note = (text: string, auth = counsellor, path = `/v1/cases/${caseId}/notes`) =>
      sys.http().post(path).set('Authorization', auth).set('Idempotency-Key', k('shared-key')).send({ text });
    await note('first').expect(200);
    const res = await note('second').expect(409);
    expect(res.body).toEqual({
      error: 'Conflict',
      message: expect.stringContaining('Idempotency-Key'),
      details: [{ field: 'Idempotency-Key', message: expect.any(String) }],
    });
    const other = await newCase();
    await note('first', counsellor, `/v1/cases/${other}/notes`).expect(409);
    // Keys are per caller: another counsellor's same key is another request.
    await note('first', `Bearer ${signToken({ sub: 'another-counsellor', role: 'counsellor' })}`).expect(200);
    expect(await eventsOf(caseId, 'NOTE_ADDED')).toBe(2);
    expect(await eventsOf(other, 'NOTE_ADDED')).toBe(0);
  });

  it('a refusal is an answer too: replayed, not run again', async () => {
    const caseId = await newCase();
    const resume = () =>
      sys.http().post(`/v1/cases/${caseId}/resume`).set('Authorization', counsellor).set('Idempotency-Key', k('resume-1'));
    const first = await resume().expect(409);
    const again = await resume().expect(409);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // A validation error likewise, in the error shape.
    const bad = () =>
      sys.http().post(`/v1/cases/${caseId}/contacts`).set('Authorization', counsellor).set('Idempotency-Key', k('bad-1')).send({});
    expect((await bad().expect(400)).body.error).toBe('ValidationError');
    expect((await bad().expect(400)).headers['idempotent-replayed']).toBe('true');
  });

  it('a retry whose first answer was lost (the API died after the journey acted) does not act twice', async () => {
    const caseId = await newCase();
    const contact = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/contacts`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('contact-1'))
        .send({ channel: 'PHONE', reached: false });
    await contact().expect(200);
    // As if the process had died between the journey's update and recording the answer.
    await sys.dataSource.query(`DELETE FROM idempotency_keys WHERE key = '${k('contact-1')}'`);
    await contact().expect(200);
    expect(await eventsOf(caseId, 'CONTACT_LOGGED')).toBe(1);
    // An abandoned claim (its process died mid-request) is taken over once its lease is over.
    await sys.dataSource.query(
      `UPDATE idempotency_keys SET status = NULL, body = NULL, locked_until = now() + interval '1 minute' WHERE key = '${k('contact-1')}'`,
    );
    const busy = await contact().expect(409);
    expect(busy.headers['retry-after']).toBe('1');
    await sys.dataSource.query(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = '${k('contact-1')}'`);
    await contact().expect(200);
    expect(await eventsOf(caseId, 'CONTACT_LOGGED')).toBe(1);
  });

  it('a close retried after its answer was lost answers 200 again, though the journey it closed has ended', async () => {
    const caseId = await newCase();
    const close = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/close`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('close-1'))
        .send({ reason: 'WITHDRAWN' });
    await close().expect(200);
    await eventually(
      async () => ((await journeyOf(sys, caseId).describe()).status.name === 'COMPLETED' ? true : undefined),
      'the closed journey to end',
    );
    await sys.dataSource.query(`DELETE FROM idempotency_keys WHERE key = '${k('close-1')}'`);
    const retried = await close().expect(200);
    expect(retried.body.stage).toBe('CLOSED');
    expect(await eventsOf(caseId, 'CLOSED')).toBe(1);
    // Without the key it is another close, refused: the journey has ended.
    const other = await sys.http().post(`/v1/cases/${caseId}/close`).set('Authorization', counsellor).send({ reason: 'WITHDRAWN' });
    expect(other.status).toBe(409);
  });

  it('a note retried after its answer was lost is written once (no second note, no orphan row)', async () => {
    const caseId = await newCase();
    const notes = () => count('SELECT count(*) AS n FROM case_notes WHERE case_id = $1', [caseId]);
    const loseAnswer = (key: string) => sys.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [k(key)]);
    const note = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/notes`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('lost-note'))
        .send({ text: 'rappel lundi' });
    await note().expect(200);
    await loseAnswer('lost-note');
    await note().expect(200);
    expect(await eventsOf(caseId, 'NOTE_ADDED')).toBe(1);
    expect(await notes()).toBe(1);

    // An action's note: the retry's update is the first one again (same update id), so a second
    // note would be referred to by no event.
    const contact = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/contacts`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('lost-contact'))
        .send({ channel: 'PHONE', reached: false, note: 'messagerie' });
    await contact().expect(200);
    await loseAnswer('lost-contact');
    await contact().expect(200);
    expect(await eventsOf(caseId, 'CONTACT_LOGGED')).toBe(1);
    expect(await notes()).toBe(2);
    const orphans = await count(
      `SELECT count(*) AS n FROM case_notes n WHERE n.case_id = $1
          AND NOT EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = n.case_id AND e.data->>'noteId' = n.id::text)`,
      [caseId],
    );
    expect(orphans).toBe(0);

    // A retry refused because the first attempt ended the journey keeps the note that attempt wrote.
    const close = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/close`)
        .set('Authorization', counsellor)
        .set('Idempotency-Key', k('lost-close'))
        .send({ reason: 'WITHDRAWN', note: 'a déménagé' });
    await close().expect(200);
    await waitForStage(sys, caseId, 'CLOSED');
    await loseAnswer('lost-close');
    await close();
    const timeline = (await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', counsellor).expect(200)).body;
    expect(timeline.find((e: { type: string }) => e.type === 'CLOSED')?.note).toBe('a déménagé');
    expect(await notes()).toBe(3);
  });

  it('a partner decision retried with its key answers 200 again, from the portal and from a link', async () => {
    const caseId = await newCase();
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    const partner = `Bearer ${sys.token('partner', { partnerId: referral.partner_id })}`;
    const decline = () =>
      sys
        .http()
        .post(`/v1/partner/referrals/${referral.id}/decline`)
        .set('Authorization', partner)
        .set('Idempotency-Key', k('decline-1'))
        .send({ reason: 'CAPACITY_FULL' });
    const first = await decline().expect(200);
    const again = await decline().expect(200);
    expect(again.body).toEqual(first.body);
    expect(first.body.status).toBe('DECLINED');
    // Without the key, a second decline is refused: the referral is no longer pending.
    await sys
      .http()
      .post(`/v1/partner/referrals/${referral.id}/decline`)
      .set('Authorization', partner)
      .send({ reason: 'CAPACITY_FULL' })
      .expect(409);

    const second = await pendingReferral(sys, caseId, 2);
    const { url } = (
      await sys
        .http()
        .post(`/v1/partner/referrals/${second.id}/link`)
        .set('Authorization', `Bearer ${sys.token('admin')}`)
        .expect(200)
    ).body;
    const token = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
    const accept = () =>
      sys
        .http()
        .post(`/v1/partner/links/${encodeURIComponent(token)}/accept`)
        .set('Idempotency-Key', k('accept-1'))
        .send({});
    expect((await accept().expect(200)).body.status).toBe('ACCEPTED');
    expect((await accept().expect(200)).body.status).toBe('ACCEPTED');
    await waitForStage(sys, caseId, 'ACCEPTED');
    expect(await eventsOf(caseId, 'REFERRAL_DECLINED')).toBe(1);
    expect(await eventsOf(caseId, 'REFERRAL_ACCEPTED')).toBe(1);
  });

  it('a key of more than 200 characters → 400; the header is documented on every write', async () => {
    const caseId = await newCase();
    const res = await sys
      .http()
      .post(`/v1/cases/${caseId}/notes`)
      .set('Authorization', counsellor)
      .set('Idempotency-Key', 'k'.repeat(201))
      .send({ text: 'x' })
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    const doc = (await sys.http().get('/docs-json').expect(200)).body;
    const headerOf = (path: string, method: string) =>
      (doc.paths[path][method].parameters ?? []).find((p: { name: string }) => p.name === 'Idempotency-Key');
    expect(headerOf('/v1/cases/{caseId}/close', 'post')).toMatchObject({ in: 'header', required: false });
    expect(headerOf('/v1/partner/referrals/{referralId}/accept', 'post')).toBeDefined();
    expect(headerOf('/v1/partner/links/{token}/decline', 'post')).toBeDefined();
    expect(headerOf('/v1/policy', 'put')).toBeDefined();
    expect(headerOf('/v1/intake/forms', 'post')).toBeUndefined(); // its key is submissionId
    expect(headerOf('/v1/cases/{caseId}', 'get')).toBeUndefined();
  });
});
