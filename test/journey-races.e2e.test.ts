import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { JourneyStep } from '../activities/journey.activities';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { referralWorkflowId } from '@walt/temporal';
import {
  closeUpdate,
  pauseUpdate,
  recordAttendanceUpdate,
  resumeUpdate,
  rematchUpdate,
  stateQuery,
  withdrawReferralSignal,
  youthRepliedSignal,
} from '../workflows/messages';
import { caseRow, createCase, decide, journeyOf, pendingReferral, referralsOf, timelineOf } from './support/journeys';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

const counsellor = 'counsellor:c-races';
const UNHANDLED_COMMAND = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
/** Long enough that no timer of the journey fires during a test: only the actions race. */
const SLOW = {
  partnerReminderAfter: 'PT30S',
  referralExpiresAfter: 'PT60S',
  escalateUnresponsiveAfter: 'PT60S',
  closeUnreachableAfter: 'PT90S',
};

/**
 * The bound of an answer in these tests. After stopWorker, a task bound for the stopped worker's
 * sticky queue can wait out its schedule-to-start timeout (10 s) before going to the new worker,
 * so a bound of 10 s failed now and then on a clean clone.
 */
const AFTER_RESTART_MS = 30_000;

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

/** How long the worker waits before recording a step (0: at once); a test sets it to make two writes cross. */
let delayOf: (step: JourneyStep) => number = () => 0;
/** The same for the other activities, by activity name. */
let delayOfActivity: (activity: string, input: { caseId?: string }) => number = () => 0;
const slowSteps: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const [arg] = input.args as [JourneyStep];
      const ms = ctx.info.activityType === 'recordStep' ? delayOf(arg) : delayOfActivity(ctx.info.activityType, arg);
      if (ms) await sleep(ms);
      return next(input);
    },
  },
});

describe('the journey under concurrent actions (real Temporal server)', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem({ activityInterceptors: [slowSteps] })));
  afterAll(async () => sys?.stop());
  afterEach(() => {
    delayOf = () => 0;
    delayOfActivity = () => 0;
  });

  async function referredCase() {
    const caseId = await createCase(sys, SLOW);
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    return { caseId, referral, partner: `partner:${referral.partner_id}` };
  }

  /**
   * A workflow task that failed (an unhandled rejection, a bug in a handler) leaves this in the history.
   * Not counted: UNHANDLED_COMMAND, the server refusing a completion because an event arrived while
   * the task ran (the withdrawn referral's end, during the closing step's local write); the worker
   * takes the new event and completes in the next task, nothing of the journey's code failed.
   */
  async function failedWorkflowTasks(workflowId: string): Promise<number> {
    const history = await sys.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter(
      (e) => e.workflowTaskFailedEventAttributes && e.workflowTaskFailedEventAttributes.cause !== UNHANDLED_COMMAND,
    ).length;
  }

  it('1. a partner accepts while a counsellor closes: the journey closes, no workflow task fails', async () => {
    const cases = await Promise.all([1, 2, 3, 4].map(() => referredCase()));
    await Promise.all(
      cases.map(({ caseId, partner }) =>
        Promise.allSettled([
          decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: partner }),
          journeyOf(sys, caseId).executeUpdate(closeUpdate, { args: [{ reason: 'WITHDRAWN', actor: counsellor }] }),
        ]),
      ),
    );
    for (const { caseId } of cases) {
      const journey = journeyOf(sys, caseId);
      expect(await within(journey.result(), 15_000, `journey of ${caseId}`)).toMatchObject({ stage: 'CLOSED' });
      expect(await failedWorkflowTasks(journey.workflowId)).toBe(0);
      expect((await caseRow(sys, caseId)).stage).toBe('CLOSED');
      expect(['ACCEPTED', 'WITHDRAWN']).toContain((await referralsOf(sys, caseId))[0].status);
    }
  });

  it('1. the referral ended before the journey saw it, and a counsellor closes and rematches meanwhile', async () => {
    for (const action of ['close', 'rematch'] as const) {
      const { caseId } = await referredCase();
      const journey = journeyOf(sys, caseId);
      // With no worker running, the child's end and the counsellor's update reach the journey in one workflow task.
      await sys.stopWorker();
      await sys.client.workflow.getHandle(`referral-${caseId}-1`).terminate('ended elsewhere');
      const update =
        action === 'close'
          ? journey.executeUpdate(closeUpdate, { args: [{ reason: 'WITHDRAWN', actor: counsellor }] })
          : journey.executeUpdate(rematchUpdate, { args: [{ actor: counsellor }] });
      const answered = update.then(
        () => 'done',
        (err: Error) => err.message,
      );
      await new Promise((r) => setTimeout(r, 500));
      await sys.startWorker();
      expect(await within(answered, 15_000, `${action} of ${caseId}`)).toBe('done');
      expect(await failedWorkflowTasks(journey.workflowId)).toBe(0);
      if (action === 'close') expect((await caseRow(sys, caseId)).stage).toBe('CLOSED');
      else await pendingReferral(sys, caseId, 2);
    }
  });

  it.each(['while its place is taken', 'while its row is written'])(
    '1. a counsellor closes %s: the case stays CLOSED, no referral is left pending, the journey ends',
    async (when) => {
      const caseId = await createCase(sys, SLOW);
      const journey = journeyOf(sys, caseId);
      if (when === 'while its place is taken')
        delayOfActivity = (activity, arg) => (activity === 'takePlace' && arg.caseId === caseId ? 1500 : 0);
      else delayOf = (step) => (step.caseId === caseId && step.type === 'REFERRAL_SENT' ? 1500 : 0);
      await journey.signal(youthRepliedSignal, { channel: 'SMS' });
      await eventually(async () => (await timelineOf(sys, caseId)).some((e) => e.type === 'MATCHED') || undefined, 'the match');
      if (when === 'while its row is written') {
        await eventually(
          async () => (await sys.dataSource.query('SELECT 1 FROM partner_places WHERE case_id = $1', [caseId])).length || undefined,
          'the place',
        );
      }
      await journey.executeUpdate(closeUpdate, { args: [{ reason: 'WITHDRAWN', actor: counsellor }] });
      expect(await within(journey.result(), 15_000, 'the journey')).toMatchObject({ stage: 'CLOSED' });
      expect((await caseRow(sys, caseId)).stage).toBe('CLOSED');
      const statuses = (await referralsOf(sys, caseId)).map((r: { status: string }) => r.status);
      expect(statuses).toEqual(when === 'while its place is taken' ? [] : ['WITHDRAWN']);
      expect((await timelineOf(sys, caseId)).filter((e) => e.type === 'STAGE_CHANGED').at(-1)?.data.to).toBe('CLOSED');
    },
  );

  it('2. a pause during an escalation: the row, the state query and the last STAGE_CHANGED agree', async () => {
    const caseId = await createCase(sys, { nudgeOffsets: ['PT0S'], escalateUnresponsiveAfter: 'PT1S', closeUnreachableAfter: 'PT90S' });
    const escalation = (step: JourneyStep) =>
      step.type === 'ESCALATED' || (step.type === 'STAGE_CHANGED' && step.data.to === 'NEEDS_COUNSELLOR');
    // The escalation's writes are slow, so the pause's writes, issued later, commit first.
    delayOf = (step) => (step.caseId === caseId && escalation(step) ? 1500 : 0);
    const journey = journeyOf(sys, caseId);
    await eventually(async () => (await journey.query(stateQuery)).stage === 'NEEDS_COUNSELLOR' || undefined, 'the escalation to begin');
    await journey.executeUpdate(pauseUpdate, { args: [{ actor: counsellor }] });
    await eventually(
      async () => (await timelineOf(sys, caseId)).some((e) => e.type === 'STAGE_CHANGED' && e.data.to === 'NEEDS_COUNSELLOR') || undefined,
      'the escalation to be written',
    );

    expect((await journey.query(stateQuery)).stage).toBe('PAUSED');
    expect((await caseRow(sys, caseId)).stage).toBe('PAUSED');
    const stageChanges = (await timelineOf(sys, caseId)).filter((e) => e.type === 'STAGE_CHANGED');
    expect(stageChanges.map((e) => e.data.to)).toEqual(['ENGAGING', 'NEEDS_COUNSELLOR', 'PAUSED']);
  });

  it('3. a rematch overtaken by the partner’s acceptance answers 409 at once, and is not acted on later', async () => {
    const { caseId, referral, partner } = await referredCase();
    const journey = journeyOf(sys, caseId);
    await sys.stopWorker();
    const accepted = decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: partner }).then(
      () => true,
      () => false,
    );
    const rematch = journey.executeUpdate(rematchUpdate, { args: [{ actor: counsellor }] }).then(
      () => 'served',
      (err: unknown) => err,
    );
    await sleep(500);
    await sys.startWorker();
    const [acceptWon, rematchAnswer] = await within(Promise.all([accepted, rematch]), AFTER_RESTART_MS, 'the acceptance and the rematch');
    if (!acceptWon) {
      // The withdrawal reached the referral first: the rematch was served, the partner's late answer refused.
      expect(rematchAnswer).toBe('served');
      await pendingReferral(sys, caseId, 2);
      return;
    }
    expect(rematchAnswer).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((rematchAnswer as WorkflowUpdateFailedError).cause?.message).toMatch(/ACCEPTED/);
    expect((await caseRow(sys, caseId)).stage).toBe('ACCEPTED');

    // The refused rematch must not wait in the journey: after a no-show the journey waits for a counsellor.
    await journey.executeUpdate(recordAttendanceUpdate, { args: [{ referralId: referral.id, attended: false, actor: partner }] });
    expect((await caseRow(sys, caseId)).stage).toBe('NEEDS_COUNSELLOR');
    await sleep(1500);
    expect(await referralsOf(sys, caseId)).toHaveLength(1);
  });

  it('3. once the journey has withdrawn a referral, a partner decision on it is refused', async () => {
    const { caseId, partner } = await referredCase();
    const referral = sys.client.workflow.getHandle(referralWorkflowId(caseId, 1));
    await sys.stopWorker();
    await referral.signal(withdrawReferralSignal, { actor: counsellor });
    const decision = decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: partner }).then(
      () => 'accepted',
      (err: unknown) => err,
    );
    await sleep(500);
    await sys.startWorker();
    const answer = await within(decision, AFTER_RESTART_MS, 'the decision');
    expect(answer).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((answer as WorkflowUpdateFailedError).cause?.message).toMatch(/WITHDRAWN/);
    expect(await referral.result()).toMatchObject({ status: 'WITHDRAWN', actor: counsellor });
  });

  it('4. after a pause in IN_PATHWAY, check-in due dates move with the prompts: one clock for both', async () => {
    const caseId = await createCase(sys, { ...SLOW, checkInOffsets: ['PT4S', 'PT30S', 'PT60S'] });
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    const partner = `partner:${referral.partner_id}`;
    await decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: partner });
    const journey = journeyOf(sys, caseId);
    await eventually(async () => (await caseRow(sys, caseId)).stage === 'ACCEPTED' || undefined, 'ACCEPTED');
    await journey.executeUpdate(recordAttendanceUpdate, { args: [{ referralId: referral.id, attended: true, actor: partner }] });
    await sleep(1000);
    await journey.executeUpdate(pauseUpdate, { args: [{ actor: counsellor }] });
    await sleep(2000);
    await journey.executeUpdate(resumeUpdate, { args: [{ actor: counsellor }] });

    const prompt = await eventually(
      async () => (await timelineOf(sys, caseId)).find((e) => e.type === 'MESSAGE_QUEUED' && e.data.purpose === 'CHECK_IN'),
      'the first check-in prompt',
    );
    const [first] = await sys.dataSource.query('SELECT due_at FROM check_ins WHERE case_id = $1 ORDER BY seq', [caseId]);
    const started = (await timelineOf(sys, caseId)).find((e) => e.type === 'PATHWAY_STARTED')!.at;
    // Due 4 s of active time after the start: 6 s of wall time, the 2 s of pause included.
    expect(Math.abs(new Date(prompt.at).getTime() - new Date(first.due_at).getTime())).toBeLessThan(500);
    expect(new Date(first.due_at).getTime() - new Date(started).getTime()).toBeGreaterThan(5500);
  });

  it('8. a partner who accepts and records attendance at once gets two answers, no 409 and no wait', async () => {
    // The journey writes REFERRED slowly: the partner acts while the case row still says MATCHING.
    delayOf = (step) => (step.type === 'STAGE_CHANGED' && step.data.to === 'REFERRED' ? 1500 : 0);
    for (let i = 0; i < 2; i++) {
      const { caseId, referral } = await referredCase();
      const auth = `Bearer ${sys.token('partner', { partnerId: referral.partner_id })}`;
      const accepted = await sys.http().post(`/v1/partner/referrals/${referral.id}/accept`).set('Authorization', auth).send({});
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('ACCEPTED');
      const attended = await sys
        .http()
        .post(`/v1/partner/referrals/${referral.id}/attendance`)
        .set('Authorization', auth)
        .send({ attended: true });
      expect({ status: attended.status, body: attended.body }).toMatchObject({ status: 200, body: { attended: true } });
      expect((await caseRow(sys, caseId)).stage).toBe('IN_PATHWAY');
    }
  });

  it('9. the referral reminds and expires before the journey has written its row: the row ends EXPIRED, each event once', async () => {
    // The journey's REFERRAL_SENT step is slow (as after a worker crash or a PostgreSQL restart):
    // the referral's own timers fire first.
    delayOf = (step) => (step.type === 'REFERRAL_SENT' ? 4_000 : 0);
    const caseId = await createCase(sys, { partnerReminderAfter: 'PT1S', referralExpiresAfter: 'PT2S', maxReferralAttempts: 1 });
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const expired = await eventually(
      async () => {
        const [first] = await referralsOf(sys, caseId);
        return first?.status === 'EXPIRED' ? first : undefined;
      },
      'the first referral EXPIRED',
      30_000,
    );
    expect(expired.reminded_at).not.toBeNull();
    const types = (await timelineOf(sys, caseId)).map((e) => e.type).filter((t) => t.startsWith('REFERRAL_'));
    expect(types).toEqual(['REFERRAL_SENT', 'REFERRAL_REMINDED', 'REFERRAL_EXPIRED']);
    const messages = await sys.dataSource.query(
      `SELECT purpose, count(*)::int AS n FROM outbound_messages WHERE referral_id = $1 GROUP BY purpose ORDER BY purpose`,
      [expired.id],
    );
    expect(messages.map((m: { purpose: string }) => m.purpose)).toEqual(['REFERRAL_EXPIRED', 'REFERRAL_NEW', 'REFERRAL_REMINDER']);
  });
});
