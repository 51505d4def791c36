import { journeyWorkflowId } from '@walt/temporal';
import { aForm, yearsAgo } from './support/forms';
import { historyText } from './support/history';
import { TestClock } from './support/clock';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

describe('intake: a form starts a journey', () => {
  let sys: TestSystem;
  const clock = new TestClock();
  beforeAll(async () => (sys = await startTestSystem({ clock })));
  afterAll(async () => sys?.stop());
  afterEach(() => clock.reset());

  const counsellor = () => `Bearer ${sys.token('counsellor')}`;
  const caseOf = (caseId: string) => sys.http().get(`/v1/cases/${caseId}`).set('Authorization', counsellor());

  it('creates a case that reaches ENGAGING, with CAPTURED in its timeline and no personal data in Temporal', async () => {
    const form = aForm({ postalCode: '97300', barriers: ['HEALTH', 'HOUSING'] });
    const res = await sys.http().post('/v1/intake/forms').send(form).expect(201);
    expect(res.body).toMatchObject({ stage: 'CAPTURED', eligible: true, segment: 'EMPECHE' });
    expect(res.body.message).toEqual(expect.any(String));
    const { caseId } = res.body;

    const kase = await eventually(async () => {
      const page = await caseOf(caseId).expect(200);
      return page.body.stage === 'ENGAGING' ? page.body : undefined;
    }, 'the case to reach ENGAGING');
    expect(kase).toMatchObject({
      caseId,
      eligible: true,
      segment: 'EMPECHE',
      policyVersion: expect.any(Number),
      profile: { firstName: 'Léa', email: form.email, postalCode: '97300', departement: '973', communeCode: '97302' },
    });

    const timeline = (await sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', counsellor()).expect(200)).body;
    expect(timeline.map((e: { type: string }) => e.type).slice(0, 2)).toEqual(['CAPTURED', 'STAGE_CHANGED']);
    expect(timeline[0]).toMatchObject({ actor: 'intake', data: { segment: 'EMPECHE', departement: '973' } });
    expect(timeline[1]).toMatchObject({ actor: 'system', data: { from: 'CAPTURED', to: 'ENGAGING' } });

    const handle = sys.client.workflow.getHandle(journeyWorkflowId(caseId));
    expect(await handle.query('state')).toMatchObject({ caseId, stage: 'ENGAGING' });
    const description = await handle.describe();
    const ours = description.typedSearchAttributes.getAll().filter((p) => ['JourneyStage', 'Segment', 'Departement'].includes(p.key.name));
    expect(ours.map((p) => [p.key.name, p.value]).sort()).toEqual([
      ['Departement', '973'],
      ['JourneyStage', 'ENGAGING'],
      ['Segment', 'EMPECHE'],
    ]);

    const history = await historyText(sys.client, journeyWorkflowId(caseId));
    expect(history).toContain(caseId);
    const phoneDigits = form.phone.replace(/^0/, '');
    for (const personal of [form.firstName, form.lastName, form.email, form.birthDate, form.phone, phoneDigits]) {
      expect(history).not.toContain(personal);
    }
  });

  it('the same submissionId twice, and the same person with a new submissionId, give one case and one journey', async () => {
    const form = aForm();
    const first = await sys.http().post('/v1/intake/forms').send(form).expect(201);
    const again = await sys.http().post('/v1/intake/forms').send(form).expect(200);
    const samePerson = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ email: form.email.toUpperCase(), phone: undefined, consent: { ...form.consent, channels: ['EMAIL'] } }))
      .expect(200);
    const samePhone = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ phone: `+33 ${form.phone.slice(1)}` }))
      .expect(200);
    expect([again.body.caseId, samePerson.body.caseId, samePhone.body.caseId]).toEqual(Array(3).fill(first.body.caseId));

    const [{ count }] = await sys.dataSource.query('SELECT count(*)::int AS count FROM youths WHERE email = $1', [form.email]);
    expect(count).toBe(1);
    const executions = [];
    for await (const wf of sys.client.workflow.list({ query: `WorkflowId = '${journeyWorkflowId(first.body.caseId)}'` }))
      executions.push(wf);
    expect(executions).toHaveLength(1);
  });

  it('concurrent duplicates of one submission still make one case', async () => {
    const form = aForm();
    const answers = await Promise.all([1, 2, 3, 4].map(() => sys.http().post('/v1/intake/forms').send(form)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
  });

  it.each([
    [15, 'too young'],
    [26, 'too old'],
  ])('an age of %d is out of scope (%s): the case is created and closed OUT_OF_SCOPE, no journey', async (age) => {
    const res = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ birthDate: yearsAgo(age as number) }))
      .expect(201);
    expect(res.body).toMatchObject({ eligible: false, stage: 'CLOSED' });
    expect(res.body.message).toMatch(/16 à 25 ans/);
    const kase = (await caseOf(res.body.caseId).expect(200)).body;
    expect(kase.closure).toEqual({ reason: 'OUT_OF_SCOPE' });
    const timeline = (await sys.http().get(`/v1/cases/${res.body.caseId}/timeline`).set('Authorization', counsellor())).body;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(['CAPTURED', 'STAGE_CHANGED', 'CLOSED']);
    await expect(sys.client.workflow.getHandle(journeyWorkflowId(res.body.caseId)).describe()).rejects.toThrow(/not found/i);
  });

  // Born on 1 March 2010: 16 from local midnight on 1 March 2026, which comes four hours later in
  // Guadeloupe (UTC-4) than in Paris (UTC+1 in winter). The instants are fixed, whatever today is.
  it.each([
    ['2026-02-28T23:30:00Z', '75011', true], // 00:30 on 1 March in Paris: 16
    ['2026-02-28T23:30:00Z', '97110', false], // 19:30 on 28 February in Guadeloupe: still 15
    ['2026-03-01T04:30:00Z', '97110', true], // 00:30 on 1 March in Guadeloupe: 16
    ['2026-02-28T22:30:00Z', '75011', false], // 23:30 on 28 February in Paris: still 15
  ])('at %s, a young person born 2010-03-01 living at %s is in scope: %s (their own calendar)', async (instant, postalCode, eligible) => {
    clock.standAt(instant);
    const res = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ birthDate: '2010-03-01', postalCode }))
      .expect(201);
    expect(res.body.eligible).toBe(eligible);
    expect(res.body.stage).toBe(eligible ? 'CAPTURED' : 'CLOSED');
    const [row] = await sys.dataSource.query('SELECT age_at_capture FROM cases WHERE id = $1', [res.body.caseId]);
    expect(row.age_at_capture).toBe(eligible ? 16 : 15);
  });
});
