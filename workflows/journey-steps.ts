import {
  ChildWorkflowHandle,
  condition,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { ClosureReason, EscalationReason, JourneyEventPayloads, JourneyEventType, Outcome, Stage } from '../libs/domain/src';
import type { JourneyActivities, JourneyStep, StepEffects } from '../activities/journey.activities';
import type { MatchingActivities } from '../activities/matching.activities';
import { JOURNEY_STAGE } from '../libs/temporal/src/search-attributes';
import { durationMs } from '../libs/domain/src';
import { elapsedMs, runClock, stopClock } from './active-clock';
import { notAllowed, type Journey } from './journey-state';
import * as m from './messages';
import { referralWorkflow } from './referral.workflow';
import { writeSteps } from './step-writes';

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '30 seconds' };
export const { loadPolicy } = proxyActivities<JourneyActivities>({ startToCloseTimeout: '30 seconds', retry });

/** Journeys from this change on write CAPTURED, ENGAGING and the welcome in one step. */
export const FIRST_WRITE_IN_ONE_STEP = 'first-write-in-one-step';
export const { matchPartners, partnerInfo, takePlace, releasePlace } = proxyActivities<MatchingActivities>({
  startToCloseTimeout: '1 minute',
  retry,
});

export const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;

/** A step described before it is recorded (the cause of a stage change). */
type StepSpec = {
  [T in JourneyEventType]: { type: T; actor: string; data: JourneyEventPayloads[T]; effects?: StepEffects };
}[JourneyEventType];

/** What a STAGE_CHANGED event says besides from and to. */
type StageFacts = Omit<JourneyEventPayloads['STAGE_CHANGED'], 'from' | 'to'>;

/**
 * What every part of the journey does the same way: record a step (one event and what it
 * changes, through one idempotent activity), change the stage, escalate, pause, resume, close,
 * and wait on the journey's active clock. The phases and the handlers share one instance.
 */
export class JourneySteps {
  /** The referral child in flight, if any (not carried over continue-as-new: none is then). */
  referral?: ChildWorkflowHandle<typeof referralWorkflow>;
  /** Who withdrew the referral in flight, if anyone did (possibly while it was being sent). */
  private withdrawnBy?: string;
  private referralSent = false;

  constructor(readonly journey: Journey) {}

  nowIso(): string {
    return new Date().toISOString();
  }

  /** Time that counts toward the journey's deadlines (it stands still while paused). */
  activeMs(): number {
    return elapsedMs(this.journey.clock, Date.now());
  }

  /**
   * Records one step: an event of `type` with its own payload, and what it changes, through one
   * idempotent activity. `seq` is taken now unless the caller numbered the step already.
   */
  async step<T extends JourneyEventType>(
    type: T,
    actor: string,
    data: JourneyEventPayloads[T],
    effects: StepEffects = {},
    at = this.nowIso(),
    seq = this.journey.nextSeq(),
  ): Promise<void> {
    await writeSteps([this.describe(type, actor, data, effects, at, seq)]);
  }

  private describe<T extends JourneyEventType>(
    type: T,
    actor: string,
    data: JourneyEventPayloads[T],
    effects: StepEffects,
    at: string,
    seq: number,
  ): JourneyStep {
    const caseId = this.journey.input.caseId;
    // The compiler cannot follow T into the union; `type` and `data` are a matching pair by the signature.
    return { caseId, idempotencyKey: `${caseId}:${seq}`, seq, type, actor, at, data, ...effects } as JourneyStep;
  }

  /**
   * The journey's first write, one transaction: CAPTURED, the move to ENGAGING and, when the
   * policy's first nudge is immediate, the welcome (which goes out whatever happens next, see
   * engagement). Numbered in the order the separate steps had, so timelines read the same.
   */
  async begin(capturedAt: string): Promise<void> {
    const { journey } = this;
    const { segment, departement } = journey.input;
    const captured = this.describe('CAPTURED', 'intake', { segment, departement }, {}, capturedAt, journey.nextSeq());
    // Segment and département were set by the start (JourneyStarter sets all three): only the stage moves.
    journey.enterPhase('ENGAGEMENT', this.activeMs());
    const from = journey.stage;
    const at = this.nowIso();
    const seq = journey.enter('ENGAGING', at);
    upsertSearchAttributes([{ key: JOURNEY_STAGE, value: 'ENGAGING' }]);
    const batch = [captured, this.describe('STAGE_CHANGED', 'system', { from, to: 'ENGAGING' }, { stage: 'ENGAGING' }, at, seq)];
    const offsets = journey.policy.nudgeOffsets;
    if (offsets.length > 0 && durationMs(offsets[0]) === 0) {
      journey.nudgesSent = 1;
      const welcome = { purpose: 'WELCOME', recipient: 'YOUTH' } as const;
      batch.push(this.describe('MESSAGE_QUEUED', 'system', { purpose: 'WELCOME' }, { messages: [welcome] }, at, journey.nextSeq()));
    }
    await writeSteps(batch);
    journey.stageRecorded(seq);
  }

  /**
   * Changes the stage: in memory at once (so validators see it), then, in order, the event that
   * caused it (if any) and the STAGE_CHANGED event that moves the projection. Both are numbered
   * now, in the order the journey changed, so a slower write of an older change can never
   * overwrite the projection of a newer one (a pause during an escalation).
   */
  async moveTo(stage: Stage, actor: string, facts: StageFacts = {}, effects: StepEffects = {}, cause?: StepSpec) {
    // CLOSED is final: a story step that was under way when a counsellor closed does not reopen the case.
    if (this.journey.isClosed) return;
    const from = this.journey.stage;
    const at = this.nowIso();
    const causeSeq = cause && this.journey.nextSeq();
    const seq = this.journey.enter(stage, at);
    upsertSearchAttributes([{ key: JOURNEY_STAGE, value: stage }]);
    if (cause) await this.step(cause.type, cause.actor, cause.data, cause.effects, at, causeSeq);
    await this.step('STAGE_CHANGED', actor, { from, to: stage, ...facts }, { stage, ...effects }, at, seq);
    this.journey.stageRecorded(seq);
  }

  async escalate(why: EscalationReason, actor = 'system', partnerId?: string) {
    await this.moveTo(
      'NEEDS_COUNSELLOR',
      actor,
      { why },
      {},
      {
        type: 'ESCALATED',
        actor,
        data: { why, ...(partnerId ? { partnerId } : {}) },
        effects: { messages: [{ purpose: 'COUNSELLOR_ALERT', recipient: 'COUNSELLOR' }] },
      },
    );
  }

  async pause(request: m.PauseRequest) {
    const from = this.journey.stage;
    this.journey.pausedFrom = from;
    this.journey.pauseUntil = request.until;
    stopClock(this.journey.clock, Date.now());
    await this.moveTo(
      'PAUSED',
      request.actor,
      { until: request.until },
      {},
      {
        type: 'PAUSED',
        actor: request.actor,
        data: { from, until: request.until, noteId: request.noteId },
      },
    );
  }

  async resume(actor: string) {
    const to = this.journey.pausedFrom ?? 'ENGAGING';
    this.journey.pausedFrom = undefined;
    this.journey.pauseUntil = undefined;
    runClock(this.journey.clock, Date.now());
    // The pause pushed the check-ins still to come back by its length.
    const effects = this.journey.phase === 'FOLLOW_UP' ? this.checkInsToCome() : {};
    await this.moveTo(to, actor, {}, {}, { type: 'RESUMED', actor, data: {}, effects });
  }

  /** The wall-clock instant at which the active clock will read `activeMs` (if nothing pauses it). */
  wallTimeOfActive(activeMs: number): string {
    return new Date(Date.now() + activeMs - this.activeMs()).toISOString();
  }

  /**
   * The check-ins of this pathway not yet prompted, dated on the active clock (the one the
   * prompts wait on), and the next action they set: written at the pathway's start and again
   * after a pause, so the case page shows when each one will really come.
   */
  checkInsToCome(): StepEffects {
    const { journey } = this;
    const first = Math.max(journey.checkInsDone, journey.checkInsPrompted);
    const schedule = journey.policy.checkInOffsets
      .map((offset, i) => ({
        seq: journey.checkInSeqBase + i + 1,
        dueAt: this.wallTimeOfActive(journey.phaseStartedAtMs + durationMs(offset)),
      }))
      .slice(first);
    return { checkIns: { schedule }, projection: { nextActionAt: schedule[0]?.dueAt ?? null } };
  }

  async close(request: { reason: ClosureReason; outcome?: Outcome; noteId?: string; actor: string }) {
    const { reason, outcome, noteId, actor } = request;
    this.journey.closure = { reason, outcome };
    stopClock(this.journey.clock, Date.now());
    this.withdrawReferral(actor);
    await this.moveTo(
      'CLOSED',
      actor,
      { reason },
      {},
      {
        type: 'CLOSED',
        actor,
        data: { reason, outcome, noteId },
        effects: { projection: { closure: { reason, outcome }, nextActionAt: null } },
      },
    );
  }

  startOrientation(needsCounsellor = false) {
    this.journey.enterPhase('ORIENTATION', this.activeMs());
    this.journey.attemptsThisRound = 0;
    this.journey.needsCounsellor = needsCounsellor;
  }

  /**
   * Tells the referral in flight that the journey no longer needs it. The child may have ended a
   * moment ago (the partner accepted while a counsellor closes): then the signal has no one to
   * reach, which is fine, since the child's result tells the journey what happened.
   */
  withdrawReferral(actor: string) {
    if (!this.journey.current) return;
    this.withdrawnBy ??= actor;
    if (this.referralSent) this.referral?.signal(m.withdrawReferralSignal, { actor }).catch(() => undefined);
  }

  /** Starts the referral's child; it is withdrawn only once its row exists (see referralIsSent). */
  async startReferral(options: { workflowId: string; args: Parameters<typeof referralWorkflow> }) {
    this.withdrawnBy = undefined;
    this.referralSent = false;
    this.referral = await startChild(referralWorkflow, { ...options, parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL });
    return this.referral;
  }

  /**
   * The referral's row and message are written: from now on the child may record a withdrawal
   * (before, its update would find no row and the row would then say PENDING for ever). A
   * withdrawal asked for while the referral was being sent reaches it now.
   */
  referralIsSent() {
    this.referralSent = true;
    if (this.withdrawnBy) this.referral?.signal(m.withdrawReferralSignal, { actor: this.withdrawnBy }).catch(() => undefined);
  }

  /** The referral has ended and the journey has its result. */
  referralEnded() {
    this.referral = undefined;
    this.withdrawnBy = undefined;
    this.referralSent = false;
    this.journey.current = undefined;
  }

  /**
   * Lets the orientation loop act on a counsellor's request; answers once it has (referred or
   * escalated). If the journey leaves orientation first (the partner accepted a moment ago, the
   * case closed), the request is dropped with the phase and, when `action` names it, refused:
   * a 409 naming the stage, at once, rather than a wait until the caller gives up.
   */
  async orientationActsOn(request: () => void, action?: string) {
    const { journey } = this;
    const ticket = ++journey.requestsMade;
    request();
    const served = () => journey.requestsServed >= ticket;
    const pastOrientation = () => journey.isClosed || !journey.mayOrient;
    // Refused once the stage that overtook it is written, so the caller then reads that stage.
    // Before a continue-as-new the story stops: the request is carried over and served after it.
    await condition(() => served() || (pastOrientation() && journey.isRecorded) || journey.isPaused || continueAsNewSuggested());
    if (!served() && pastOrientation() && action) throw notAllowed(`Cannot ${action}: the case is ${journey.stage} now.`);
  }

  /** The accepted referral, once the journey has recorded the acceptance (see Journey.acceptanceOnItsWay). */
  async acceptedReferral(referralId: string, action: string): Promise<NonNullable<Journey['accepted']>> {
    const { journey } = this;
    const seen = () => journey.accepted?.referralId === referralId && journey.isRecorded;
    await condition(() => seen() || journey.isClosed || (!journey.acceptanceOnItsWay(referralId) && journey.isRecorded));
    if (!seen()) throw notAllowed(`Cannot ${action}: the case is ${journey.stage} and this referral is not the accepted one.`);
    return journey.accepted!;
  }

  /**
   * Waits until the journey's active clock reaches `dueActiveMs` or `interrupt()` holds. While
   * paused the clock stands still; a pause with an end date resumes by itself.
   */
  async waitActive(dueActiveMs: number, interrupt: () => boolean): Promise<void> {
    while (!interrupt() && !this.journey.isClosed) {
      if (this.journey.isPaused) {
        const untilMs = this.journey.pauseUntil ? Date.parse(this.journey.pauseUntil) - Date.now() : undefined;
        if (untilMs !== undefined && untilMs <= 0) await this.resume('system');
        else if (untilMs !== undefined) await condition(() => !this.journey.isPaused || interrupt() || this.journey.isClosed, untilMs);
        else await condition(() => !this.journey.isPaused || interrupt() || this.journey.isClosed);
        continue;
      }
      const remaining = dueActiveMs - this.activeMs();
      if (remaining <= 0) return;
      await condition(() => interrupt() || this.journey.isPaused || this.journey.isClosed, remaining);
    }
  }
}
