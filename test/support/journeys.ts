import { DEFAULT_POLICY, Policy } from '@walt/domain';
import { journeyWorkflowId, referralWorkflowId } from '@walt/temporal';
import { decideReferralUpdate, ReferralDecision } from '../../workflows/messages';
import { aForm } from './forms';
import { savePolicyVersion } from './policies';
import { eventually, TestSystem } from './test-system';

/** A policy where every duration is seconds, so a whole journey runs inside a test. */
export const FAST_POLICY: Policy = {
  ...DEFAULT_POLICY,
  nudgeOffsets: ['PT0S', 'PT1S', 'PT2S'],
  escalateUnresponsiveAfter: 'PT3S',
  closeUnreachableAfter: 'PT5S',
  partnerReminderAfter: 'PT1S',
  referralExpiresAfter: 'PT2S',
  appointmentReminderBefore: 'PT1S',
  checkInOffsets: ['PT1S', 'PT2S', 'PT3S'],
};

/** Every form sent by createCase, by case id: what must never appear in a workflow history. */
export const formsByCase = new Map<string, ReturnType<typeof aForm>>();

/**
 * Creates a case through the real intake, its journey on a policy version of its own (FAST_POLICY
 * with `policy` over it): the current policy, which other tests' journeys start with, is untouched.
 */
export async function createCase(sys: TestSystem, policy: Partial<Policy> = {}, form: Record<string, unknown> = {}) {
  const sent = aForm(form);
  sys.policies.use(sent.submissionId, await savePolicyVersion(sys.dataSource, { ...FAST_POLICY, ...policy }));
  const res = await sys.http().post('/v1/intake/forms').send(sent).expect(201);
  formsByCase.set(res.body.caseId, sent);
  // The form answers once its case is committed and the start requested, not started: the tests
  // that signal the journey next wait for it to exist, as a counsellor a few seconds later would find it.
  await eventually(async () => (await journeyOf(sys, res.body.caseId).describe()) && true, 'the journey started');
  return res.body.caseId as string;
}

export interface TimelineEvent {
  type: string;
  actor: string;
  at: Date;
  data: Record<string, any>;
}

export async function timelineOf(sys: TestSystem, caseId: string): Promise<TimelineEvent[]> {
  return sys.dataSource.query('SELECT type, actor, at, data FROM journey_events WHERE case_id = $1 ORDER BY at, seq, id', [caseId]);
}

export const stagesOf = (events: TimelineEvent[]) => events.filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.data.to as string);

export async function caseRow(sys: TestSystem, caseId: string) {
  const [row] = await sys.dataSource.query('SELECT * FROM cases WHERE id = $1', [caseId]);
  return row;
}

/** Waits for the case row to reach the stage (or one of the stages); answers the stage reached. */
export function waitForStage(sys: TestSystem, caseId: string, stage: string | string[], timeoutMs = 20_000): Promise<string> {
  const stages = [stage].flat();
  return eventually(
    async () => {
      const reached: string = (await caseRow(sys, caseId)).stage;
      return stages.includes(reached) ? reached : undefined;
    },
    `case ${caseId} to reach ${stages.join(' or ')}`,
    timeoutMs,
  );
}

export async function referralsOf(sys: TestSystem, caseId: string) {
  return sys.dataSource.query('SELECT * FROM referrals WHERE case_id = $1 ORDER BY attempt', [caseId]);
}

/** Waits for the pending referral of the given attempt (1 = first partner asked). */
export function pendingReferral(sys: TestSystem, caseId: string, attempt: number, timeoutMs = 20_000) {
  return eventually(
    async () => {
      const referral = (await referralsOf(sys, caseId)).find((r: { attempt: number }) => r.attempt === attempt);
      return referral?.status === 'PENDING' ? referral : undefined;
    },
    `a pending referral #${attempt} of case ${caseId}`,
    timeoutMs,
  );
}

/** The ids of a case's workflows: its journey and one referral child per attempt. */
export async function workflowIdsOf(sys: TestSystem, caseId: string): Promise<string[]> {
  const referrals = await referralsOf(sys, caseId);
  return [journeyWorkflowId(caseId), ...referrals.map((r: { attempt: number }) => referralWorkflowId(caseId, r.attempt))];
}

export const journeyOf = (sys: TestSystem, caseId: string) => sys.client.workflow.getHandle(journeyWorkflowId(caseId));

export function decide(sys: TestSystem, caseId: string, attempt: number, decision: ReferralDecision) {
  return sys.client.workflow.getHandle(referralWorkflowId(caseId, attempt)).executeUpdate(decideReferralUpdate, { args: [decision] });
}
