import { randomUUID } from 'node:crypto';
import { JourneyEventsRepository } from '@walt/persistence';
import { signInbound } from '@walt/messaging';
import { journeyWorkflowId, TASK_QUEUE } from '@walt/temporal';
import { closeUpdate, type AnonymisationInput, type AnonymisationResult } from '../workflows/messages';
import { aForm } from './support/forms';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * Anonymisation after inactivity with a policy in seconds (600 s, notice 200 s before) and an
 * injected clock: each run judges at an instant the test gives, counted from the cases' last
 * event as PostgreSQL dated it, so nothing depends on when (or how fast) the test runs.
 */
const INBOUND_SECRET = 'inbound-secret-for-tests-0123';

describe('automatic anonymisation after inactivity', () => {
  let sys: TestSystem;
  const policy = { anonymiseAfterInactivity: 'PT600S', anonymiseNoticeBefore: 'PT200S' };
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => sys.dataSource.query(sql, params);
  const cases: { quiet: string; answering: string } = { quiet: '', answering: '' };
  const youthIds: string[] = [];
  let base = 0; // ms: the later of the two cases' last events

  const run = (atSeconds: number, extra: Partial<AnonymisationInput> = {}) =>
    sys.client.workflow.execute<(i: AnonymisationInput) => Promise<AnonymisationResult>>('anonymisationWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `anonymisation-test-${randomUUID()}`,
      args: [{ policy, now: new Date(base + atSeconds * 1000).toISOString(), youthIds, pageSize: 1, ...extra }],
    });
  const lastEventAt = async (caseId: string) =>
    (await q<{ at: Date }>(`SELECT max(at) AS at FROM journey_events WHERE case_id = $1`, [caseId]))[0].at.getTime();
  /** The notice steps of a case; each queued its message on every channel the young person consented to. */
  const notices = async (caseId: string) => {
    const steps = await q(
      `SELECT id FROM journey_events WHERE case_id = $1 AND type = 'MESSAGE_QUEUED' AND data->>'purpose' = 'ANONYMISATION_NOTICE'`,
      [caseId],
    );
    const messages = await q(
      `SELECT 1 FROM outbound_messages WHERE case_id = $1 AND purpose = 'ANONYMISATION_NOTICE' AND recipient = 'YOUTH'`,
      [caseId],
    );
    expect(messages.length).toBeGreaterThanOrEqual(steps.length);
    return steps;
  };

  beforeAll(async () => {
    sys = await startTestSystem();
    for (const name of ['quiet', 'answering'] as const) {
      cases[name] = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body.caseId;
      // The journey's first steps (captured, matched, welcome…) are activity: wait until they are written.
      await eventually(
        async () => ((await q(`SELECT 1 FROM outbound_messages WHERE case_id = $1`, [cases[name]])).length ? true : undefined),
        'welcome',
      );
      youthIds.push((await q<{ youth_id: string }>(`SELECT youth_id FROM cases WHERE id = $1`, [cases[name]]))[0].youth_id);
    }
    base = Math.max(await lastEventAt(cases.quiet), await lastEventAt(cases.answering));
  });
  afterAll(async () => sys?.stop());

  it('notices after delay − notice, then anonymises as an erasure does; a reply keeps the file; repeats change nothing', async () => {
    // 300 s in: not yet (the notice is due at 600 − 200 = 400 s).
    expect(await run(300)).toEqual({ noticed: 0, anonymised: 0 });
    // 450 s: both get a notice, once (a second run the same day sends none).
    expect(await run(450)).toEqual({ noticed: 2, anonymised: 0 });
    expect(await run(500)).toEqual({ noticed: 0, anonymised: 0 });
    expect(await notices(cases.quiet)).toHaveLength(1);
    expect(await notices(cases.answering)).toHaveLength(1);

    // One answers at 460 s: that is activity, their file stays. Recorded as the journey records a
    // reply (YOUTH_REPLIED), but at the injected instant: the journey's own clock is the real one,
    // which the injected clock is ahead of.
    await new JourneyEventsRepository(sys.dataSource).record({
      caseId: cases.answering,
      idempotencyKey: `test-reply:${cases.answering}`,
      type: 'YOUTH_REPLIED',
      actor: 'youth',
      at: new Date(base + 460_000),
      data: { channel: 'SMS' },
    });

    // 700 s: the quiet one is past the delay with a notice 250 s old: anonymised, the journey closed;
    // the one who answered is inactive for 240 s only.
    expect(await run(700)).toEqual({ noticed: 0, anonymised: 1 });
    expect(await notices(cases.answering)).toHaveLength(1);
    const [quiet] = await q<Record<string, unknown>>(
      `SELECT y.first_name, y.last_name, y.birth_date, y.email, y.phone, y.erased_at IS NOT NULL AS erased, c.stage
         FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`,
      [cases.quiet],
    );
    expect(quiet).toEqual({ first_name: null, last_name: null, birth_date: null, email: null, phone: null, erased: true, stage: 'CLOSED' });
    const erasedEvents = await q(`SELECT actor FROM journey_events WHERE case_id = $1 AND type = 'PERSONAL_DATA_ERASED'`, [cases.quiet]);
    expect(erasedEvents).toEqual([{ actor: 'system:anonymisation' }]);
    const [answering] = await q<{ erased: boolean }>(
      `SELECT y.erased_at IS NOT NULL AS erased FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`,
      [cases.answering],
    );
    expect(answering.erased).toBe(false);

    // Idempotent: the same run again anonymises no one twice.
    expect(await run(701)).toEqual({ noticed: 0, anonymised: 0 });
    // 900 s: 440 s after the reply, a new period of inactivity: a new notice.
    expect(await run(900)).toEqual({ noticed: 1, anonymised: 0 });
    expect(await notices(cases.answering)).toHaveLength(2);
  });

  it('a reply by SMS to the notice on a closed case is recorded as activity (no journey runs to hear it)', async () => {
    await sys.client.workflow
      .getHandle(journeyWorkflowId(cases.answering))
      .executeUpdate(closeUpdate, { args: [{ actor: 'counsellor:test', reason: 'OTHER' }] });
    await eventually(
      async () =>
        (await q<{ stage: string }>(`SELECT stage FROM cases WHERE id = $1`, [cases.answering]))[0].stage === 'CLOSED' ? true : undefined,
      'the case closed',
    );
    const [{ phone }] = await q<{ phone: string }>(`SELECT y.phone FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`, [
      cases.answering,
    ]);
    process.env.SMS_INBOUND_SECRET = INBOUND_SECRET;
    const raw = JSON.stringify({ from: phone, text: 'Oui je veux garder mon dossier' });
    const res = await sys
      .http()
      .post('/v1/intake/sms/inbound')
      .set('content-type', 'application/json')
      .set('x-signature', signInbound(INBOUND_SECRET, raw))
      .send(raw)
      .expect(200);
    expect(res.body).toEqual({ action: 'REPLY' });
    const replies = await q(
      `SELECT actor FROM journey_events WHERE case_id = $1 AND type = 'YOUTH_REPLIED' AND idempotency_key LIKE 'youth-reply:%'`,
      [cases.answering],
    );
    expect(replies).toEqual([{ actor: 'youth' }]);

    // The manager's report counts it in its month.
    const report = await sys
      .http()
      .get('/v1/reports/anonymisations')
      .set('Authorization', `Bearer ${sys.token('manager')}`)
      .expect(200);
    expect(report.body.total).toBeGreaterThanOrEqual(1);
    expect(report.body.months[0]).toEqual({ month: expect.stringMatching(/^\d{4}-\d{2}$/), cases: expect.any(Number) });
    await sys
      .http()
      .get('/v1/reports/anonymisations')
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .expect(403);
  });
});
