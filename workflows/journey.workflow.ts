import {
  allHandlersFinished,
  ChildWorkflowHandle,
  condition,
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import { durationMs, JourneyInput, JourneyState, Stage } from '../libs/domain/src';
import type { JourneyActivities, JourneyStep } from '../activities/journey.activities';
import type { MatchingActivities } from '../activities/matching.activities';
import { referralWorkflowId } from '../libs/temporal/src/names';
import { DEPARTEMENT, JOURNEY_STAGE, SEGMENT } from '../libs/temporal/src/search-attributes';
import { elapsedMs, runClock, stopClock } from './active-clock';
import { Journey, JourneySnapshot, Override } from './journey-state';
import * as m from './messages';
import { referralWorkflow, ReferralResult } from './referral.workflow';

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '30 seconds' };
const { loadPolicy, recordStep } = proxyActivities<JourneyActivities>({ startToCloseTimeout: '30 seconds', retry });
const { matchPartners, partnerInfo } = proxyActivities<MatchingActivities>({ startToCloseTimeout: '1 minute', retry });

interface Choice {
  partnerId: string;
  actor: string;
  override?: Override;
  /** The counsellor request this choice answers (see JourneySnapshot.requestsMade). */
  serving: number;
}

/**
 * One young person's journey (PRODUCT.md): capture, engagement with nudges, orientation
 * (matching and referrals to partners), pathway start, follow-up check-ins, closure.
 * It carries the case id and non-identifying attributes only; every step is written to
 * `journey_events` and the projections by an idempotent activity, and every duration comes
 * from the policy version the journey started with.
 */
export async function journeyWorkflow(input: JourneyInput, snapshot?: JourneySnapshot): Promise<JourneyState> {
  const journey = new Journey(input, snapshot?.policy as never, Date.now(), snapshot);
  const caseId = input.caseId;
  let referral: ChildWorkflowHandle<typeof referralWorkflow> | undefined;

  const nowIso = () => new Date().toISOString();
  const activeMs = () => elapsedMs(journey.clock, Date.now());
  const ms = (iso: string) => durationMs(iso);

  // ── Handlers: validators refuse what the stage does not allow; handlers delegate to steps ──

  setHandler(m.stateQuery, () => journey.view());

  // The answer is recorded before the journey moves on, so the timeline shows cause then effect.
  setHandler(m.youthRepliedSignal, async (reply) => {
    if (journey.isClosed) return;
    await step('YOUTH_REPLIED', 'youth', { channel: reply.channel });
    if (journey.phase === 'ENGAGEMENT') journey.respondedBy ??= 'youth';
  });

  setHandler(
    m.logContactUpdate,
    async (contact) => {
      const leavesEngagement = contact.reached && journey.phase === 'ENGAGEMENT';
      await step('CONTACT_LOGGED', contact.actor, { channel: contact.channel, reached: contact.reached, noteId: contact.noteId });
      if (leavesEngagement) journey.respondedBy ??= contact.actor;
      if (leavesEngagement) await condition(() => (journey.phase !== 'ENGAGEMENT' && journey.isRecorded) || journey.isClosed || journey.isPaused || continueAsNewSuggested());
    },
    { validator: (_: m.ContactLog) => journey.canLogContact() },
  );

  setHandler(
    m.changeProfileUpdate,
    async (change) => {
      journey.segment = change.segment;
      journey.departement = change.departement;
      upsertSearchAttributes([
        { key: SEGMENT, value: change.segment },
        { key: DEPARTEMENT, value: change.departement },
      ]);
      await step('PROFILE_UPDATED', change.actor, { fields: change.fields, segment: change.segment }, {
        projection: { segment: change.segment, departement: change.departement },
      });
      const stillMatching = journey.phase === 'ORIENTATION' && (journey.stage === 'MATCHING' || journey.needsCounsellor);
      if (stillMatching) await orientationActsOn(() => (journey.rematchRequested = change.actor));
    },
    { validator: (_: m.ProfileChange) => journey.canChangeProfile() },
  );

  setHandler(
    m.referToPartnerUpdate,
    async (override) => {
      if (journey.phase === 'ENGAGEMENT') journey.respondedBy ??= override.actor;
      else if (journey.phase !== 'ORIENTATION') journey.enterPhase('ORIENTATION', activeMs());
      await orientationActsOn(() => {
        journey.override = override;
        withdrawReferral(override.actor);
      });
    },
    { validator: (override) => journey.canOverride(override.partnerId) },
  );

  setHandler(
    m.rematchUpdate,
    async ({ actor }) => {
      if (journey.phase !== 'ORIENTATION') journey.enterPhase('ORIENTATION', activeMs());
      await orientationActsOn(() => {
        journey.rematchRequested = actor;
        withdrawReferral(actor);
      });
    },
    { validator: (_: { actor: string }) => journey.canRematch() },
  );

  setHandler(
    m.recordCheckInUpdate,
    async (report) => {
      journey.checkInsDone += 1;
      const seq = journey.checkInSeqBase + journey.checkInsDone;
      const at = nowIso();
      await step('CHECK_IN_RECORDED', report.actor, { seq, status: report.status, outcome: report.outcome, noteId: report.noteId }, {
        checkIns: { record: { seq, at, status: report.status, outcome: report.outcome, noteId: report.noteId } },
      });
      switch (report.status) {
        case 'ON_TRACK':
          if (journey.stage === 'NEEDS_COUNSELLOR') await moveTo('IN_PATHWAY', report.actor);
          break;
        case 'NEEDS_SUPPORT':
          if (journey.stage !== 'NEEDS_COUNSELLOR') await escalate('NEEDS_SUPPORT', report.actor);
          break;
        case 'DROPPED_OUT':
          journey.accepted = undefined;
          startOrientation();
          await moveTo('MATCHING', report.actor, { why: 'DROPPED_OUT' });
          break;
        case 'OUTCOME':
          await close({ reason: 'OUTCOME_REACHED', outcome: report.outcome, actor: report.actor });
          break;
      }
    },
    { validator: (_: m.CheckInReport) => journey.canRecordCheckIn() },
  );

  setHandler(
    m.pauseUpdate,
    async (request) => pause(request),
    { validator: (_: m.PauseRequest) => journey.canPause() },
  );

  setHandler(m.resumeUpdate, async ({ actor }) => resume(actor), { validator: (_: { actor: string }) => journey.canResume() });

  setHandler(m.closeUpdate, async (request) => close(request), { validator: (_: m.ClosureRequest) => journey.canClose() });

  setHandler(
    m.recordAttendanceUpdate,
    async (report) => {
      const accepted = journey.accepted!;
      const at = report.at ?? nowIso();
      const facts = { referralId: accepted.referralId, partnerId: accepted.partnerId, partnerType: accepted.partnerType };
      if (report.attended) {
        journey.pathwayStartedAt = at;
        journey.checkInSeqBase += journey.checkInsDone;
        journey.checkInsDone = 0;
        journey.checkInsPrompted = 0;
        journey.enterPhase('FOLLOW_UP', activeMs());
        await step('ATTENDANCE_RECORDED', report.actor, { ...facts, attended: true, at }, {
          referral: { id: accepted.referralId, change: { attended: true, attendanceAt: at } },
        });
        const start = Date.now();
        const schedule = journey.policy.checkInOffsets.map((offset, i) => ({
          seq: journey.checkInSeqBase + i + 1,
          dueAt: new Date(start + ms(offset)).toISOString(),
        }));
        await step('PATHWAY_STARTED', report.actor, facts, { checkIns: { schedule }, projection: { nextActionAt: schedule[0]?.dueAt ?? null } });
        await moveTo('IN_PATHWAY', report.actor, facts);
      } else {
        journey.needsCounsellor = true;
        startOrientation(true);
        await step('ATTENDANCE_RECORDED', report.actor, { ...facts, attended: false, at }, {
          referral: { id: accepted.referralId, change: { attended: false, attendanceAt: at } },
          messages: [{ purpose: 'NO_SHOW', recipient: 'YOUTH', partnerId: accepted.partnerId, referralId: accepted.referralId }],
        });
        await escalate('NO_SHOW', report.actor);
      }
    },
    { validator: (report) => journey.canRecordAttendance(report.referralId) },
  );

  setHandler(
    m.reportOutcomeUpdate,
    async (report) => {
      const accepted = journey.accepted!;
      await step('OUTCOME_REPORTED', report.actor, { referralId: accepted.referralId, outcome: report.outcome, noteId: report.noteId }, {
        referral: { id: accepted.referralId, change: { outcome: report.outcome } },
      });
      await close({ reason: 'OUTCOME_REACHED', outcome: report.outcome, actor: report.actor });
    },
    { validator: (report) => journey.canReportOutcome(report.referralId) },
  );

  // ── The story ─────────────────────────────────────────────────────────────────────────

  if (!snapshot) {
    journey.policy = await loadPolicy(input.policyVersion);
    await step('CAPTURED', 'intake', { segment: input.segment, departement: input.departement }, {}, input.capturedAt);
    upsertSearchAttributes([
      { key: SEGMENT, value: input.segment },
      { key: DEPARTEMENT, value: input.departement },
    ]);
    journey.enterPhase('ENGAGEMENT', activeMs());
    await moveTo('ENGAGING', 'system');
  }

  const phases = { ENGAGEMENT: engagement, ORIENTATION: orientation, PATHWAY_START: pathwayStart, FOLLOW_UP: followUp };
  while (!journey.isClosed) {
    if (continueAsNewSuggested()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof journeyWorkflow>(input, journey.snapshot());
    }
    await phases[journey.phase]();
  }
  await condition(allHandlersFinished);
  return journey.view();

  /** Nudges at the policy's offsets until the young person answers or is reached. */
  async function engagement(): Promise<void> {
    const policy = journey.policy;
    const nudges = policy.nudgeOffsets.map(ms);
    const escalateAfter = ms(policy.escalateUnresponsiveAfter);
    const closeAfter = ms(policy.closeUnreachableAfter);
    const inPhase = () => journey.phase === 'ENGAGEMENT' && !journey.isClosed && !continueAsNewSuggested();
    const answered = () => journey.respondedBy !== undefined && !journey.isPaused;

    while (inPhase()) {
      // An immediate welcome goes out even to someone reached at once: it confirms their request.
      const welcomed = journey.nudgesSent > 0 || nudges.length === 0 || nudges[0] > 0;
      if (answered() && welcomed) {
        startOrientation();
        await moveTo('MATCHING', journey.respondedBy!);
        return;
      }
      const waited = activeMs() - journey.phaseStartedAtMs;
      if (journey.nudgesSent < nudges.length && waited >= nudges[journey.nudgesSent] && (journey.nudgesSent === 0 || !answered())) {
        const purpose = journey.nudgesSent === 0 ? 'WELCOME' : `NUDGE_${journey.nudgesSent}`;
        journey.nudgesSent += 1;
        await step('MESSAGE_QUEUED', 'system', { purpose }, { messages: [{ purpose, recipient: 'YOUTH' }] });
      } else if (!journey.escalated && waited >= escalateAfter) {
        journey.escalated = true;
        await escalate('UNRESPONSIVE');
      } else if (waited >= closeAfter) {
        await close({ reason: 'UNREACHABLE', actor: 'system' });
      } else {
        const next = Math.min(nudges[journey.nudgesSent] ?? Infinity, journey.escalated ? Infinity : escalateAfter, closeAfter);
        await waitActive(journey.phaseStartedAtMs + next, () => answered() || !inPhase());
      }
    }
  }

  /** Matching and referrals, partner after partner, until one accepts or a counsellor takes over. */
  async function orientation(): Promise<void> {
    // A referral in flight is awaited to its end (refer), so continue-as-new never cuts one.
    const inPhase = () => journey.phase === 'ORIENTATION' && !journey.isClosed && !continueAsNewSuggested();
    while (inPhase()) {
      await waitActive(activeMs(), () => !inPhase());
      if (!inPhase()) return;
      const choice = await nextChoice(inPhase);
      if (!choice || !inPhase() || journey.isPaused) continue;
      const result = await refer(choice);
      if (result?.status === 'ACCEPTED') return;
    }
  }

  /** The partner to ask next, or undefined after escalating or being interrupted. */
  async function nextChoice(inPhase: () => boolean): Promise<Choice | undefined> {
    const serving = journey.requestsMade;
    if (journey.override) {
      const override = journey.override;
      journey.override = undefined;
      journey.needsCounsellor = false;
      return { partnerId: override.partnerId, actor: override.actor, override, serving };
    }
    let actor = 'system';
    if (journey.rematchRequested) {
      actor = journey.rematchRequested;
      journey.rematchRequested = undefined;
      journey.needsCounsellor = false;
      journey.attemptsThisRound = 0;
    } else if (journey.needsCounsellor) {
      await condition(() => !!journey.override || !!journey.rematchRequested || !inPhase());
      return undefined;
    }
    if (journey.attemptsThisRound >= journey.policy.maxReferralAttempts) {
      journey.needsCounsellor = true;
      await escalate('ATTEMPTS_EXHAUSTED');
      journey.requestsServed = serving;
      return undefined;
    }
    if (journey.stage !== 'MATCHING') await moveTo('MATCHING', actor);
    const result = await matchPartners({ caseId, excluded: journey.asked });
    await step('MATCHED', 'system', { eligible: result.eligible.length, partnerIds: result.eligible.slice(0, 5).map((p) => p.partnerId) });
    if (!inPhase() || journey.override || journey.rematchRequested) return undefined;
    if (result.eligible.length === 0) {
      journey.needsCounsellor = true;
      await escalate('NO_ELIGIBLE_PARTNER');
      journey.requestsServed = serving;
      return undefined;
    }
    return { partnerId: result.eligible[0].partnerId, actor: 'system', serving };
  }

  /** Asks one partner through a child workflow and waits for its answer. */
  async function refer(choice: Choice): Promise<ReferralResult | undefined> {
    const partner = await partnerInfo({ partnerId: choice.partnerId });
    if (!partner) {
      journey.needsCounsellor = true;
      await escalate('PARTNER_UNKNOWN', choice.actor, { partnerId: choice.partnerId });
      journey.requestsServed = choice.serving;
      return undefined;
    }
    journey.attempt += 1;
    journey.attemptsThisRound += 1;
    const attempt = journey.attempt;
    const referralId = uuid4();
    const sentAt = nowIso();
    const expiresAfterMs = ms(partner.referralExpiresAfter ?? journey.policy.referralExpiresAfter);
    const dueAt = new Date(Date.parse(sentAt) + expiresAfterMs).toISOString();
    const facts = { referralId, partnerId: partner.partnerId, partnerType: partner.partnerType, attempt };
    journey.asked.push(partner.partnerId);
    journey.current = { referralId, partnerId: partner.partnerId, partnerType: partner.partnerType, attempt };

    // The child first: once the partner can see the referral (row, message), it can decide on it.
    referral = await startChild(referralWorkflow, {
      workflowId: referralWorkflowId(caseId, attempt),
      args: [{ ...facts, caseId, sentAt, reminderAfterMs: ms(journey.policy.partnerReminderAfter), expiresAfterMs }],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    await step('REFERRAL_SENT', choice.actor, { ...facts, override: !!choice.override, forced: choice.override?.forced, noteId: choice.override?.noteId }, {
      referral: { id: referralId, create: { partnerId: partner.partnerId, attempt, sentAt, dueAt, noteId: choice.override?.noteId } },
      projection: { partnerId: partner.partnerId, nextActionAt: dueAt },
      messages: [{ purpose: 'REFERRAL_NEW', recipient: 'PARTNER', partnerId: partner.partnerId, referralId }],
    });
    await moveTo('REFERRED', choice.actor, { referralId, partnerId: partner.partnerId });
    journey.requestsServed = choice.serving;
    const result = await referral.result();
    referral = undefined;
    journey.current = undefined;

    if (result.status === 'ACCEPTED' && !journey.isClosed) {
      journey.accepted = { ...facts, appointmentAt: result.appointmentAt };
      journey.appointmentReminded = false;
      journey.enterPhase('PATHWAY_START', activeMs());
      await moveTo('ACCEPTED', result.actor, facts, { projection: { nextActionAt: result.appointmentAt ?? null } });
      await step('MESSAGE_QUEUED', 'system', { purpose: 'REFERRAL_ACCEPTED', referralId }, {
        messages: [{ purpose: 'REFERRAL_ACCEPTED', recipient: 'YOUTH', partnerId: partner.partnerId, referralId }],
      });
    }
    return result;
  }

  /** After acceptance: remind the young person before the appointment; attendance moves on. */
  async function pathwayStart(): Promise<void> {
    const inPhase = () => journey.phase === 'PATHWAY_START' && !journey.isClosed;
    const accepted = journey.accepted;
    if (accepted?.appointmentAt && !journey.appointmentReminded) {
      const remindIn = Date.parse(accepted.appointmentAt) - ms(journey.policy.appointmentReminderBefore) - Date.now();
      if (remindIn <= 0 || !(await condition(() => !inPhase(), remindIn))) {
        journey.appointmentReminded = true;
        if (inPhase() && Date.parse(accepted.appointmentAt) > Date.now()) {
          await step('MESSAGE_QUEUED', 'system', { purpose: 'APPOINTMENT_REMINDER', referralId: accepted.referralId }, {
            messages: [{ purpose: 'APPOINTMENT_REMINDER', recipient: 'YOUTH', partnerId: accepted.partnerId, referralId: accepted.referralId }],
          });
        }
      }
    }
    await condition(() => !inPhase() || continueAsNewSuggested());
  }

  /** Check-ins at the policy's offsets after the pathway starts; the counsellor records them. */
  async function followUp(): Promise<void> {
    const offsets = journey.policy.checkInOffsets.map(ms);
    const inPhase = () => journey.phase === 'FOLLOW_UP' && !journey.isClosed && !continueAsNewSuggested();
    while (inPhase()) {
      const next = Math.max(journey.checkInsPrompted, journey.checkInsDone);
      if (next >= offsets.length) {
        await condition(() => !inPhase());
        return;
      }
      await waitActive(journey.phaseStartedAtMs + offsets[next], () => !inPhase() || journey.checkInsDone > next);
      if (!inPhase() || journey.checkInsDone > next) continue;
      journey.checkInsPrompted = next + 1;
      const dueNext = offsets[next + 1];
      await step('MESSAGE_QUEUED', 'system', { purpose: 'CHECK_IN', seq: journey.checkInSeqBase + next + 1 }, {
        messages: [
          { purpose: 'CHECK_IN', recipient: 'YOUTH' },
          { purpose: 'CHECK_IN_DUE', recipient: 'COUNSELLOR' },
        ],
        projection: { nextActionAt: dueNext === undefined ? null : new Date(Date.now() + dueNext - offsets[next]).toISOString() },
      });
    }
  }

  // ── Steps: each is one event (and what it changes), recorded once ───────────────────────

  async function step(type: string, actor: string, data: Record<string, unknown>, extra: Partial<JourneyStep> = {}, at = nowIso()) {
    const idempotencyKey = journey.nextEventKey();
    await recordStep({ caseId, idempotencyKey, type, actor, at, data: withoutUndefined(data), ...extra });
  }

  /**
   * Changes the stage: in memory at once (so validators see it), then, in order, the event that
   * caused it (if any) and the STAGE_CHANGED event that moves the projection.
   */
  async function moveTo(stage: Stage, actor: string, data: Record<string, unknown> = {}, extra: Partial<JourneyStep> = {}, cause?: () => Promise<void>) {
    const from = journey.stage;
    journey.enter(stage, nowIso());
    upsertSearchAttributes([{ key: JOURNEY_STAGE, value: stage }]);
    await cause?.();
    await step('STAGE_CHANGED', actor, { from, to: stage, ...data }, { stage, ...extra });
    journey.recordedStage = stage;
  }

  async function escalate(why: string, actor = 'system', data: Record<string, unknown> = {}) {
    await moveTo('NEEDS_COUNSELLOR', actor, { why }, {}, () =>
      step('ESCALATED', actor, { why, ...data }, { messages: [{ purpose: 'COUNSELLOR_ALERT', recipient: 'COUNSELLOR' }] }),
    );
  }

  async function pause(request: m.PauseRequest) {
    journey.pausedFrom = journey.stage;
    journey.pauseUntil = request.until;
    stopClock(journey.clock, Date.now());
    await moveTo('PAUSED', request.actor, { until: request.until }, {}, () =>
      step('PAUSED', request.actor, { from: journey.pausedFrom, until: request.until, noteId: request.noteId }),
    );
  }

  async function resume(actor: string) {
    const to = journey.pausedFrom ?? 'ENGAGING';
    journey.pausedFrom = undefined;
    journey.pauseUntil = undefined;
    runClock(journey.clock, Date.now());
    await moveTo(to, actor, {}, {}, () => step('RESUMED', actor, {}));
  }

  async function close(request: { reason: m.ClosureRequest['reason']; outcome?: m.ClosureRequest['outcome']; noteId?: string; actor: string }) {
    journey.closure = { reason: request.reason, outcome: request.outcome };
    stopClock(journey.clock, Date.now());
    withdrawReferral(request.actor);
    await moveTo('CLOSED', request.actor, { reason: request.reason }, {}, () =>
      step('CLOSED', request.actor, { reason: request.reason, outcome: request.outcome, noteId: request.noteId }, {
        projection: { closure: { reason: request.reason, outcome: request.outcome }, nextActionAt: null },
      }),
    );
  }

  function startOrientation(needsCounsellor = false) {
    journey.enterPhase('ORIENTATION', activeMs());
    journey.attemptsThisRound = 0;
    journey.needsCounsellor = needsCounsellor;
  }

  function withdrawReferral(actor: string) {
    if (referral && journey.current) void referral.signal(m.withdrawReferralSignal, { actor });
  }

  /** Lets the orientation loop act on a counsellor's request; answers once it has (referred or escalated). */
  async function orientationActsOn(request: () => void) {
    const ticket = ++journey.requestsMade;
    request();
    // Before a continue-as-new the story stops: the request is carried over and served after it.
    await condition(() => journey.requestsServed >= ticket || journey.isClosed || journey.isPaused || continueAsNewSuggested());
  }

  /**
   * Waits until the journey's active clock reaches `dueActiveMs` or `interrupt()` holds. While
   * paused the clock stands still; a pause with an end date resumes by itself.
   */
  async function waitActive(dueActiveMs: number, interrupt: () => boolean): Promise<void> {
    while (!interrupt() && !journey.isClosed) {
      if (journey.isPaused) {
        const untilMs = journey.pauseUntil ? Date.parse(journey.pauseUntil) - Date.now() : undefined;
        if (untilMs !== undefined && untilMs <= 0) await resume('system');
        else if (untilMs !== undefined) await condition(() => !journey.isPaused || interrupt() || journey.isClosed, untilMs);
        else await condition(() => !journey.isPaused || interrupt() || journey.isClosed);
        continue;
      }
      const remaining = dueActiveMs - activeMs();
      if (remaining <= 0) return;
      await condition(() => interrupt() || journey.isPaused || journey.isClosed, remaining);
    }
  }
}

const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;

function withoutUndefined(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}
