import { randomUUID } from 'node:crypto';
import { aForm } from './support/forms';
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
});
