import { ChildWorkflowHandle, condition, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { JourneyEventType, Stage } from '../libs/domain/src';
import type { JourneyActivities, JourneyStep } from '../activities/journey.activities';
import type { MatchingActivities } from '../activities/matching.activities';
import { JOURNEY_STAGE } from '../libs/temporal/src/search-attributes';
import { elapsedMs, runClock, stopClock } from './active-clock';
import type { Journey } from './journey-state';
import * as m from './messages';
import type { referralWorkflow } from './referral.workflow';

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '30 seconds' };
export const { loadPolicy, recordStep } = proxyActivities<JourneyActivities>({ startToCloseTimeout: '30 seconds', retry });
export const { matchPartners, partnerInfo } = proxyActivities<MatchingActivities>({ startToCloseTimeout: '1 minute', retry });

export const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;

/**
 * What every part of the journey does the same way: record a step (one event and what it
 * changes, through one idempotent activity), change the stage, escalate, pause, resume, close,
 * and wait on the journey's active clock. The phases and the handlers share one instance.
 */
export class JourneySteps {
  /** The referral child in flight, if any (not carried over continue-as-new: none is then). */
  referral?: ChildWorkflowHandle<typeof referralWorkflow>;

  constructor(readonly journey: Journey) {}

  nowIso(): string {
    return new Date().toISOString();
  }

  /** Time that counts toward the journey's deadlines (it stands still while paused). */
  activeMs(): number {
    return elapsedMs(this.journey.clock, Date.now());
  }

  async step(type: JourneyEventType, actor: string, data: Record<string, unknown>, extra: Partial<JourneyStep> = {}, at = this.nowIso()) {
    const idempotencyKey = this.journey.nextEventKey();
    await recordStep({ caseId: this.journey.input.caseId, idempotencyKey, type, actor, at, data, ...extra });
  }

  /**
   * Changes the stage: in memory at once (so validators see it), then, in order, the event that
   * caused it (if any) and the STAGE_CHANGED event that moves the projection.
   */
  async moveTo(
    stage: Stage,
    actor: string,
    data: Record<string, unknown> = {},
    extra: Partial<JourneyStep> = {},
    cause?: () => Promise<void>,
  ) {
    const from = this.journey.stage;
    this.journey.enter(stage, this.nowIso());
    upsertSearchAttributes([{ key: JOURNEY_STAGE, value: stage }]);
    await cause?.();
    await this.step('STAGE_CHANGED', actor, { from, to: stage, ...data }, { stage, ...extra });
    this.journey.recordedStage = stage;
  }

  async escalate(why: string, actor = 'system', data: Record<string, unknown> = {}) {
    await this.moveTo('NEEDS_COUNSELLOR', actor, { why }, {}, () =>
      this.step('ESCALATED', actor, { why, ...data }, { messages: [{ purpose: 'COUNSELLOR_ALERT', recipient: 'COUNSELLOR' }] }),
    );
  }

  async pause(request: m.PauseRequest) {
    this.journey.pausedFrom = this.journey.stage;
    this.journey.pauseUntil = request.until;
    stopClock(this.journey.clock, Date.now());
    await this.moveTo('PAUSED', request.actor, { until: request.until }, {}, () =>
      this.step('PAUSED', request.actor, { from: this.journey.pausedFrom, until: request.until, noteId: request.noteId }),
    );
  }

  async resume(actor: string) {
    const to = this.journey.pausedFrom ?? 'ENGAGING';
    this.journey.pausedFrom = undefined;
    this.journey.pauseUntil = undefined;
    runClock(this.journey.clock, Date.now());
    await this.moveTo(to, actor, {}, {}, () => this.step('RESUMED', actor, {}));
  }

  async close(request: { reason: m.ClosureRequest['reason']; outcome?: m.ClosureRequest['outcome']; noteId?: string; actor: string }) {
    this.journey.closure = { reason: request.reason, outcome: request.outcome };
    stopClock(this.journey.clock, Date.now());
    this.withdrawReferral(request.actor);
    await this.moveTo('CLOSED', request.actor, { reason: request.reason }, {}, () =>
      this.step(
        'CLOSED',
        request.actor,
        { reason: request.reason, outcome: request.outcome, noteId: request.noteId },
        {
          projection: { closure: { reason: request.reason, outcome: request.outcome }, nextActionAt: null },
        },
      ),
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
    if (!this.referral || !this.journey.current) return;
    this.referral.signal(m.withdrawReferralSignal, { actor }).catch(() => undefined);
  }

  /** Lets the orientation loop act on a counsellor's request; answers once it has (referred or escalated). */
  async orientationActsOn(request: () => void) {
    const ticket = ++this.journey.requestsMade;
    request();
    // Before a continue-as-new the story stops: the request is carried over and served after it.
    await condition(
      () => this.journey.requestsServed >= ticket || this.journey.isClosed || this.journey.isPaused || continueAsNewSuggested(),
    );
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
