import { WorkflowUpdateFailedError } from '@temporalio/client';
import { assignVariant, DEFAULT_POLICY } from '@walt/domain';
import {
  closeUpdate,
  pauseUpdate,
  recordAttendanceUpdate,
  recordCheckInUpdate,
  resumeUpdate,
  youthRepliedSignal,
} from '../workflows/messages';
import { historyText, personalValues, saveHistory } from './support/history';
import {
  caseRow,
  createCase,
  decide,
  formsByCase,
  journeyOf,
  pendingReferral,
  referralsOf,
  stagesOf,
  timelineOf,
  waitForStage,
  workflowIdsOf,
} from './support/journeys';
import { startTestSystem, TestSystem } from './support/test-system';

const counsellor = 'counsellor:c-test';
const secondsBetween = (a: Date, b: Date) => (new Date(b).getTime() - new Date(a).getTime()) / 1000;

describe('the journey workflow on the real Temporal server (policy in seconds)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.stop());

  it('happy path: reply → matched → referred → accepted → attended → three check-ins → closed with an outcome', async () => {
    const caseId = await createCase(sys, {
      nudgeOffsets: ['PT0S', 'PT30S'],
      escalateUnresponsiveAfter: 'PT60S',
      closeUnreachableAfter: 'PT90S',
      referralExpiresAfter: 'PT60S',
      partnerReminderAfter: 'PT30S',
    });
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });

    const referral = await pendingReferral(sys, caseId, 1);
    const partner = `partner:${referral.partner_id}`;
    const appointmentAt = new Date(Date.now() + 3_600_000).toISOString();
    await decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: partner, appointmentAt });
    await waitForStage(sys, caseId, 'ACCEPTED');

    const journey = journeyOf(sys, caseId);
    await journey.executeUpdate(recordAttendanceUpdate, { args: [{ referralId: referral.id, attended: true, actor: partner }] });
    expect((await caseRow(sys, caseId)).stage).toBe('IN_PATHWAY');
    await journey.executeUpdate(recordCheckInUpdate, { args: [{ status: 'ON_TRACK', actor: counsellor }] });
    await journey.executeUpdate(recordCheckInUpdate, { args: [{ status: 'ON_TRACK', actor: counsellor }] });
    await journey.executeUpdate(recordCheckInUpdate, { args: [{ status: 'OUTCOME', outcome: 'EMPLOYMENT', actor: counsellor }] });

    const kase = await caseRow(sys, caseId);
    expect(kase).toMatchObject({ stage: 'CLOSED', closure_reason: 'OUTCOME_REACHED', closure_outcome: 'EMPLOYMENT' });
    expect(await journey.result()).toMatchObject({ stage: 'CLOSED', closure: { reason: 'OUTCOME_REACHED', outcome: 'EMPLOYMENT' } });

    const events = await timelineOf(sys, caseId);
    expect(stagesOf(events)).toEqual(['ENGAGING', 'MATCHING', 'REFERRED', 'ACCEPTED', 'IN_PATHWAY', 'CLOSED']);
    const step = (type: string) => events.filter((e) => e.type === type);
    expect(step('CAPTURED')[0].actor).toBe('intake');
    expect(step('YOUTH_REPLIED')[0]).toMatchObject({ actor: 'youth', data: { channel: 'SMS' } });
    expect(step('MATCHED')[0].data.eligible).toBeGreaterThan(0);
    expect(step('REFERRAL_SENT')[0]).toMatchObject({ actor: 'system', data: { partnerId: referral.partner_id, attempt: 1 } });
    expect(step('REFERRAL_ACCEPTED')[0]).toMatchObject({ actor: partner, data: { appointmentAt } });
    expect(step('ATTENDANCE_RECORDED')[0]).toMatchObject({ actor: partner, data: { attended: true } });
    expect(step('PATHWAY_STARTED')).toHaveLength(1);
    expect(step('CHECK_IN_RECORDED').map((e) => [e.actor, e.data.status])).toEqual([
      [counsellor, 'ON_TRACK'],
      [counsellor, 'ON_TRACK'],
      [counsellor, 'OUTCOME'],
    ]);
    expect(step('CLOSED')[0]).toMatchObject({ actor: counsellor, data: { reason: 'OUTCOME_REACHED', outcome: 'EMPLOYMENT' } });
    for (const e of events) expect(e.actor).toEqual(expect.any(String));

    const [accepted] = await referralsOf(sys, caseId);
    expect(accepted).toMatchObject({ status: 'ACCEPTED', attended: true, decided_by: partner });
    const checkIns = await sys.dataSource.query('SELECT seq, status FROM check_ins WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(checkIns).toEqual([
      { seq: 1, status: 'ON_TRACK' },
      { seq: 2, status: 'ON_TRACK' },
      { seq: 3, status: 'OUTCOME' },
    ]);
    const purposes = (await sys.dataSource.query('SELECT DISTINCT purpose FROM outbound_messages WHERE case_id = $1', [caseId])).map(
      (r: { purpose: string }) => r.purpose,
    );
    expect(purposes).toEqual(expect.arrayContaining(['WELCOME', 'REFERRAL_NEW', 'REFERRAL_ACCEPTED']));
    if (process.env.SAVE_HISTORIES) {
      await saveHistory(journeyOf(sys, caseId).workflowId, 'journey-happy-path');
      await saveHistory(`referral-${caseId}-1`, 'referral-accepted');
    }
  });

  it('a decline with a reason asks the next partner; a second decision on it is refused', async () => {
    const caseId = await createCase(sys, {
      referralExpiresAfter: 'PT60S',
      partnerReminderAfter: 'PT30S',
      escalateUnresponsiveAfter: 'PT60S',
      closeUnreachableAfter: 'PT90S',
    });
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'EMAIL' });
    const first = await pendingReferral(sys, caseId, 1);
    await decide(sys, caseId, 1, { decision: 'DECLINED', reason: 'CAPACITY_FULL', actor: `partner:${first.partner_id}` });
    const second = await pendingReferral(sys, caseId, 2);
    expect(second.partner_id).not.toBe(first.partner_id);
    const [declined] = await referralsOf(sys, caseId);
    expect(declined).toMatchObject({ status: 'DECLINED', reason: 'CAPACITY_FULL' });
    await expect(decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: `partner:${first.partner_id}` })).rejects.toThrow();
  });

  it('no answer: reminder, expiry, next partner; after the last attempt a counsellor takes over', async () => {
    const caseId = await createCase(sys, {
      partnerReminderAfter: 'PT1S',
      referralExpiresAfter: 'PT2S',
      maxReferralAttempts: 2,
      escalateUnresponsiveAfter: 'PT60S',
      closeUnreachableAfter: 'PT90S',
    });
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    await waitForStage(sys, caseId, 'NEEDS_COUNSELLOR', 30_000);

    const referrals = await referralsOf(sys, caseId);
    expect(referrals.map((r: { status: string; reason: string }) => [r.status, r.reason])).toEqual([
      ['EXPIRED', 'EXPIRED'],
      ['EXPIRED', 'EXPIRED'],
    ]);
    expect(new Set(referrals.map((r: { partner_id: string }) => r.partner_id)).size).toBe(2);
    for (const r of referrals) {
      expect(secondsBetween(r.sent_at, r.reminded_at)).toBeGreaterThanOrEqual(1);
      expect(secondsBetween(r.sent_at, r.decided_at)).toBeGreaterThanOrEqual(2);
    }
    const events = await timelineOf(sys, caseId);
    expect(events.filter((e) => e.type === 'REFERRAL_REMINDED')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'REFERRAL_EXPIRED')).toHaveLength(2);
    expect(events.find((e) => e.type === 'ESCALATED')?.data).toEqual({ why: 'ATTEMPTS_EXHAUSTED' });
    const [{ reminders }] = await sys.dataSource.query(
      `SELECT count(*)::int AS reminders FROM outbound_messages WHERE case_id = $1 AND purpose = 'REFERRAL_REMINDER'`,
      [caseId],
    );
    expect(reminders).toBe(2);
    if (process.env.SAVE_HISTORIES) {
      await saveHistory(journeyOf(sys, caseId).workflowId, 'journey-attempts-exhausted');
      await saveHistory(`referral-${caseId}-1`, 'referral-expired');
    }
  });

  it('an unresponsive young person: nudges at the offsets, escalation, then closed UNREACHABLE', async () => {
    const caseId = await createCase(sys);
    await waitForStage(sys, caseId, 'CLOSED', 30_000);
    const events = await timelineOf(sys, caseId);
    expect(stagesOf(events)).toEqual(['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED']);
    const engagingAt = events.find((e) => e.data.to === 'ENGAGING')!.at;
    const nudges = events.filter((e) => e.type === 'MESSAGE_QUEUED');
    expect(nudges.map((e) => e.data.purpose)).toEqual(['WELCOME', 'NUDGE_1', 'NUDGE_2']);
    nudges.forEach((nudge, i) => expect(secondsBetween(engagingAt, nudge.at)).toBeGreaterThanOrEqual(i));
    expect(secondsBetween(engagingAt, events.find((e) => e.type === 'ESCALATED')!.at)).toBeGreaterThanOrEqual(3);
    expect(secondsBetween(engagingAt, events.find((e) => e.type === 'CLOSED')!.at)).toBeGreaterThanOrEqual(5);
    expect(await caseRow(sys, caseId)).toMatchObject({ closure_reason: 'UNREACHABLE' });

    // The nudges are worded in the journey's variant of the experiment, recorded in the events and the messages.
    const variant = assignVariant(caseId, DEFAULT_POLICY.nudgeExperiment);
    expect(nudges.map((e) => e.data.variant)).toEqual([undefined, variant, variant]);
    const messages = await sys.dataSource.query(
      `SELECT DISTINCT purpose, experiment, variant FROM outbound_messages WHERE case_id = $1 AND recipient = 'YOUTH' ORDER BY purpose`,
      [caseId],
    );
    expect(messages).toEqual([
      { purpose: 'NUDGE_1', experiment: 'nudge-wording-1', variant },
      { purpose: 'NUDGE_2', experiment: 'nudge-wording-1', variant },
      { purpose: 'WELCOME', experiment: null, variant: null },
    ]);
    if (process.env.SAVE_HISTORIES) await saveHistory(journeyOf(sys, caseId).workflowId, 'journey-unreachable');
  });

  it('a reply before the escalation moves on to matching', async () => {
    const caseId = await createCase(sys, { partnerReminderAfter: 'PT30S', referralExpiresAfter: 'PT60S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    await waitForStage(sys, caseId, 'REFERRED');
    const events = await timelineOf(sys, caseId);
    expect(events.some((e) => e.type === 'ESCALATED')).toBe(false);
    expect(stagesOf(events).slice(0, 3)).toEqual(['ENGAGING', 'MATCHING', 'REFERRED']);
  });

  it('pause stops the clock toward escalation; resume restarts it; a second pause is refused naming the stage', async () => {
    const caseId = await createCase(sys, { nudgeOffsets: ['PT0S'], escalateUnresponsiveAfter: 'PT3S', closeUnreachableAfter: 'PT60S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    const journey = journeyOf(sys, caseId);
    await journey.executeUpdate(pauseUpdate, { args: [{ actor: counsellor }] });
    const refused = await journey.executeUpdate(pauseUpdate, { args: [{ actor: counsellor }] }).catch((e) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(refused.cause.message).toMatch(/PAUSED/);

    await new Promise((r) => setTimeout(r, 4500));
    expect((await caseRow(sys, caseId)).stage).toBe('PAUSED');
    await journey.executeUpdate(resumeUpdate, { args: [{ actor: counsellor }] });
    expect((await caseRow(sys, caseId)).stage).toBe('ENGAGING');
    await waitForStage(sys, caseId, 'NEEDS_COUNSELLOR');

    const events = await timelineOf(sys, caseId);
    const at = (type: string) => events.find((e) => e.type === type)!.at;
    const activeBeforePause = secondsBetween(events.find((e) => e.data.to === 'ENGAGING')!.at, at('PAUSED'));
    expect(activeBeforePause + secondsBetween(at('RESUMED'), at('ESCALATED'))).toBeGreaterThanOrEqual(2.9);
    expect(secondsBetween(at('RESUMED'), at('ESCALATED'))).toBeGreaterThan(1.5);
    await journey.executeUpdate(closeUpdate, { args: [{ reason: 'WITHDRAWN', actor: counsellor }] });
    expect((await caseRow(sys, caseId)).stage).toBe('CLOSED');
    if (process.env.SAVE_HISTORIES) await saveHistory(journey.workflowId, 'journey-paused-closed');
  });

  it('a worker stopped in the middle of a journey and a new one started: it completes, nothing twice', async () => {
    const caseId = await createCase(sys);
    await waitForStage(sys, caseId, 'ENGAGING');
    await sys.stopWorker();
    await new Promise((r) => setTimeout(r, 2500)); // timers fire with no worker to run them
    await sys.startWorker();
    await waitForStage(sys, caseId, 'CLOSED', 40_000);

    const events = await timelineOf(sys, caseId);
    expect(events.filter((e) => e.type === 'MESSAGE_QUEUED').map((e) => e.data.purpose)).toEqual(['WELCOME', 'NUDGE_1', 'NUDGE_2']);
    expect(events.filter((e) => e.type === 'ESCALATED')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'CLOSED')).toHaveLength(1);
    const messages = await sys.dataSource.query(
      'SELECT purpose, channel, count(*)::int AS n FROM outbound_messages WHERE case_id = $1 GROUP BY purpose, channel ORDER BY purpose, channel',
      [caseId],
    );
    expect(messages).toEqual([
      { purpose: 'COUNSELLOR_ALERT', channel: 'EMAIL', n: 1 },
      { purpose: 'NUDGE_1', channel: 'EMAIL', n: 1 },
      { purpose: 'NUDGE_1', channel: 'SMS', n: 1 },
      { purpose: 'NUDGE_2', channel: 'EMAIL', n: 1 },
      { purpose: 'NUDGE_2', channel: 'SMS', n: 1 },
      { purpose: 'WELCOME', channel: 'EMAIL', n: 1 },
      { purpose: 'WELCOME', channel: 'SMS', n: 1 },
    ]);
  });

  it('no personal data in any history of these journeys (journeys and their referrals)', async () => {
    expect(formsByCase.size).toBeGreaterThanOrEqual(7);
    for (const [caseId, form] of formsByCase) {
      for (const workflowId of await workflowIdsOf(sys, caseId)) {
        const history = await historyText(sys.client, workflowId);
        expect(history).toContain(caseId);
        const leaks = personalValues(form).filter((value) => history.includes(value));
        expect({ workflowId, leaks }).toEqual({ workflowId, leaks: [] });
      }
    }
  });
});
