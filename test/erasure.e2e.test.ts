import { randomUUID } from 'node:crypto';
import { aForm } from './support/forms';
import { historyText, personalValues } from './support/history';
import { createCase, pendingReferral, waitForStage, workflowIdsOf } from './support/journeys';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

describe('DELETE /v1/youths/{caseId}/personal-data: identity erased, statistics kept', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  const as = (role: 'admin' | 'counsellor' | 'manager') => `Bearer ${sys.token(role)}`;

  it('erases names, birth date and contacts and the notes about them; keeps the journey and its events', async () => {
    const form = aForm();
    const { caseId } = (await sys.http().post('/v1/intake/forms').send(form).expect(201)).body;
    await eventually(async () => {
      const [row] = await sys.dataSource.query('SELECT stage FROM cases WHERE id = $1', [caseId]);
      return row.stage === 'ENGAGING' ? true : undefined;
    }, 'the journey to start');
    await sys
      .http()
      .post(`/v1/cases/${caseId}/notes`)
      .set('Authorization', as('counsellor'))
      .send({ text: `Appelé ${form.firstName} ${form.lastName}` })
      .expect(200);
    const eventsBefore = (await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', as('admin'))).body.length;

    await sys.http().delete(`/v1/youths/${caseId}/personal-data`).set('Authorization', as('counsellor')).expect(403);
    const erased = (await sys.http().delete(`/v1/youths/${caseId}/personal-data`).set('Authorization', as('admin')).expect(200)).body;
    expect(erased.profile).toMatchObject({
      firstName: null,
      lastName: null,
      birthDate: null,
      email: null,
      phone: null,
      postalCode: form.postalCode,
    });
    expect(erased).toMatchObject({ caseId, stage: 'ENGAGING', segment: expect.any(String) });

    const [row] = await sys.dataSource.query(
      `SELECT y.erased_at, (SELECT count(*)::int FROM case_notes WHERE case_id = $1) AS notes FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`,
      [caseId],
    );
    expect(row.erased_at).not.toBeNull();
    expect(row.notes).toBe(0);
    const timeline = (await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', as('admin'))).body;
    expect(timeline).toHaveLength(eventsBefore + 1);
    expect(timeline.at(-1)).toMatchObject({ type: 'PERSONAL_DATA_ERASED', actor: 'admin:test-admin' });
    const found = (await sys.http().get('/v1/cases').query({ q: form.email }).set('Authorization', as('counsellor')).expect(200)).body;
    expect(found.total).toBe(0);

    // Again: nothing more to erase, nothing more recorded.
    await sys.http().delete(`/v1/youths/${caseId}/personal-data`).set('Authorization', as('admin')).expect(200);
    expect((await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', as('admin'))).body).toHaveLength(eventsBefore + 1);
    // The same person can come back: a new form is a new case, not the erased one.
    const again = await sys
      .http()
      .post('/v1/intake/forms')
      .send({ ...form, submissionId: randomUUID() })
      .expect(201);
    expect(again.body.caseId).not.toBe(caseId);
  });

  it('an unknown case → 404, a malformed id → 400', async () => {
    await sys.http().delete(`/v1/youths/${randomUUID()}/personal-data`).set('Authorization', as('admin')).expect(404);
    await sys.http().delete('/v1/youths/nope/personal-data').set('Authorization', as('admin')).expect(400);
  });

  it('reaches every copy: no text or jsonb column of any table, and no Temporal history, holds the person or their notes', async () => {
    const campaign = `erasure-${randomUUID()}`;
    const person = { firstName: 'Ysaline', lastName: `Quenouille-${randomUUID().slice(0, 8)}`, birthDate: '2003-09-21' };
    const slow = {
      nudgeOffsets: ['PT0S'],
      partnerReminderAfter: 'PT1H',
      referralExpiresAfter: 'PT2H',
      checkInOffsets: ['PT1H', 'PT2H', 'PT3H'],
    };
    const caseId = await createCase(sys, slow, { ...person, source: { channel: 'TIKTOK', campaign } });
    const [{ email, phone }] = await sys.dataSource.query(
      'SELECT y.email, y.phone FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1',
      [caseId],
    );
    await waitForStage(sys, caseId, 'ENGAGING');
    const counsellor = as('counsellor');
    const texts = (what: string) => `${what} au sujet de ${person.firstName} ${person.lastName} (${randomUUID().slice(0, 6)})`;
    const notes = {
      contact: texts('Appel'),
      note: texts('Note'),
      decline: texts('Refus'),
      accept: texts('Accueil'),
      checkIn: texts('Suivi'),
      pause: texts('Pause'),
    };
    const act = (path: string, body: object, auth = counsellor) =>
      sys.http().post(`/v1/cases/${caseId}/${path}`).set('Authorization', auth).send(body).expect(200);
    const partnerAct = async (attempt: number, action: string, body: object) => {
      const referral = await pendingReferral(sys, caseId, attempt);
      const auth = `Bearer ${sys.token('partner', { partnerId: referral.partner_id })}`;
      await sys.http().post(`/v1/partner/referrals/${referral.id}/${action}`).set('Authorization', auth).send(body).expect(200);
      return { referral, auth };
    };

    await act('contacts', { channel: 'PHONE', reached: true, note: notes.contact });
    await act('notes', { text: notes.note });
    await partnerAct(1, 'decline', { reason: 'OTHER', comment: notes.decline });
    const appointmentAt = new Date(Date.now() + 86_400_000).toISOString();
    const { referral, auth } = await partnerAct(2, 'accept', { appointmentAt, message: notes.accept });
    await sys
      .http()
      .post(`/v1/partner/referrals/${referral.id}/attendance`)
      .set('Authorization', auth)
      .send({ attended: true })
      .expect(200);
    await act('check-ins', { status: 'ON_TRACK', note: notes.checkIn });
    await act('pause', { reason: notes.pause });
    await act('resume', {});

    const statistics = async () => ({
      stages: await sys.dataSource.query(
        `SELECT data, at FROM journey_events WHERE case_id = $1 AND type = 'STAGE_CHANGED' ORDER BY at, seq`,
        [caseId],
      ),
      durations: (await sys.http().get('/v1/reports/journey-durations').query({ campaign }).set('Authorization', as('manager')).expect(200))
        .body,
      funnel: (await sys.http().get('/v1/reports/funnel').query({ campaign }).set('Authorization', as('manager')).expect(200)).body,
    });
    const before = await statistics();
    await sys.http().delete(`/v1/youths/${caseId}/personal-data`).set('Authorization', as('admin')).expect(200);
    expect(await statistics()).toEqual(before);

    const secrets = [...personalValues({ ...person, email, phone }), ...Object.values(notes)];
    expect(await tablesHolding(secrets)).toEqual([]);
    for (const workflowId of await workflowIdsOf(sys, caseId)) {
      const history = await historyText(sys.client, workflowId);
      for (const secret of secrets)
        expect({ workflowId, found: history.includes(secret) ? secret : null }).toEqual({ workflowId, found: null });
    }
  });

  /** Every table and column (text, jsonb, dates, all of it as the row's JSON) that still holds one of the values. */
  async function tablesHolding(values: string[]): Promise<string[]> {
    const tables: { table_name: string }[] = await sys.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const found: string[] = [];
    for (const { table_name: table } of tables) {
      const rows: { row: string }[] = await sys.dataSource.query(
        `SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE ${values.map((_, i) => `row_to_json(t)::text ILIKE $${i + 1}`).join(' OR ')}`,
        values.map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
      );
      for (const { row } of rows) found.push(`${table}: ${values.filter((v) => row.toLowerCase().includes(v.toLowerCase())).join(', ')}`);
    }
    return found;
  }
});
