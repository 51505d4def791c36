import { ApplicationFailure } from '@temporalio/common';
import type { ClosureReason, JourneyInput, JourneyState, Outcome, PartnerType, Policy, Segment, Stage } from '../libs/domain/src';
import { ActiveClock, startedClock } from './active-clock';
import { NOT_ALLOWED } from './messages';

/** Where the journey's story is: each phase is one part of journeyWorkflow. */
export type Phase = 'ENGAGEMENT' | 'ORIENTATION' | 'PATHWAY_START' | 'FOLLOW_UP';

export interface CurrentReferral {
  referralId: string;
  partnerId: string;
  partnerType: PartnerType;
  attempt: number;
}

export interface Override {
  partnerId: string;
  forced: boolean;
  noteId?: string;
  actor: string;
}

/** Everything continue-as-new carries: the journey resumes exactly where it was. */
export interface JourneySnapshot {
  stage: Stage;
  stageEnteredAt: string;
  /** The sequence number of the STAGE_CHANGED event of `stage`. */
  stageSeq: number;
  /** The newest STAGE_CHANGED written to PostgreSQL; the projection has `stage` once it reaches stageSeq. */
  recordedStageSeq: number;
  phase: Phase;
  segment: Segment;
  departement: string;
  policy: Policy;
  clock: ActiveClock;
  eventSeq: number;
  closure?: { reason: ClosureReason; outcome?: Outcome };
  pausedFrom?: Stage;
  pauseUntil?: string;
  respondedBy?: string;
  nudgesSent: number;
  escalated: boolean;
  phaseStartedAtMs: number;
  attempt: number;
  attemptsThisRound: number;
  asked: string[];
  needsCounsellor: boolean;
  override?: Override;
  /** The actor who asked for a new round of matching. */
  rematchRequested?: string;
  /**
   * Counsellor requests to orientation (override, rematch, re-match after a profile change):
   * each gets a number; orientation records the last one it has acted on (referred or
   * escalated), and the update that made the request answers once it has.
   */
  requestsMade: number;
  requestsServed: number;
  accepted?: CurrentReferral & { appointmentAt?: string };
  pathwayStartedAt?: string;
  /** Check-ins of the current pathway; rows are numbered after those of earlier pathways. */
  checkInsDone: number;
  checkInsPrompted: number;
  checkInSeqBase: number;
  appointmentReminded: boolean;
}

/** A refusal of an update: HTTP 409 with this message (which names the stage). */
export const notAllowed = (message: string) => ApplicationFailure.create({ type: NOT_ALLOWED, message, nonRetryable: true });

/**
 * The journey's entity state and its rules. Handlers and the workflow body delegate here;
 * it knows nothing of activities or timers, so the rules read on their own.
 */
export class Journey implements JourneySnapshot {
  stage: Stage = 'CAPTURED';
  stageEnteredAt: string;
  stageSeq = 0;
  recordedStageSeq = 0;
  phase: Phase = 'ENGAGEMENT';
  segment: Segment;
  departement: string;
  policy: Policy;
  clock: ActiveClock;
  eventSeq = 0;
  closure?: { reason: ClosureReason; outcome?: Outcome };
  pausedFrom?: Stage;
  pauseUntil?: string;
  respondedBy?: string;
  nudgesSent = 0;
  escalated = false;
  phaseStartedAtMs = 0;
  attempt = 0;
  attemptsThisRound = 0;
  asked: string[] = [];
  needsCounsellor = false;
  override?: Override;
  rematchRequested?: string;
  requestsMade = 0;
  requestsServed = 0;
  accepted?: CurrentReferral & { appointmentAt?: string };
  pathwayStartedAt?: string;
  checkInsDone = 0;
  checkInsPrompted = 0;
  checkInSeqBase = 0;
  appointmentReminded = false;
  /** Not carried: a referral in flight is withdrawn before continue-as-new. */
  current?: CurrentReferral;

  /** A new journey loads its policy version first thing; a continued one carries it. */
  constructor(
    readonly input: JourneyInput,
    now: number,
    snapshot?: JourneySnapshot,
  ) {
    this.stageEnteredAt = input.capturedAt;
    this.segment = input.segment;
    this.departement = input.departement;
    this.clock = startedClock(now);
    if (snapshot) Object.assign(this, snapshot);
  }

  snapshot(): JourneySnapshot {
    const { input: _input, current: _current, ...snapshot } = this;
    return JSON.parse(JSON.stringify(snapshot));
  }

  /** Numbers the journey's events in the order the journey decides them (the projection's order). */
  nextSeq(): number {
    this.eventSeq += 1;
    return this.eventSeq;
  }

  /** Enters a stage at once (validators see it) and numbers its STAGE_CHANGED event now. */
  enter(stage: Stage, at: string): number {
    this.stage = stage;
    this.stageEnteredAt = at;
    this.stageSeq = this.nextSeq();
    return this.stageSeq;
  }

  stageRecorded(seq: number): void {
    this.recordedStageSeq = Math.max(this.recordedStageSeq, seq);
  }

  enterPhase(phase: Phase, activeMs: number): void {
    this.phase = phase;
    this.phaseStartedAtMs = activeMs;
    // No request outlives the phase that could serve it (nor rides a continue-as-new past it).
    if (!this.mayOrient) {
      this.override = undefined;
      this.rematchRequested = undefined;
    }
  }

  /** Before or during orientation: a counsellor's override or rematch can still be served. */
  get mayOrient(): boolean {
    return this.phase === 'ENGAGEMENT' || this.phase === 'ORIENTATION';
  }

  get isClosed(): boolean {
    return this.stage === 'CLOSED';
  }

  /** Every stage change so far is in PostgreSQL: an update may answer, its caller will read it. */
  get isRecorded(): boolean {
    return this.recordedStageSeq >= this.stageSeq;
  }

  get isPaused(): boolean {
    return this.stage === 'PAUSED';
  }

  // ── What each action needs (validators: a refusal is HTTP 409 naming the stage) ─────────

  private requireOpen(action: string): void {
    if (this.isClosed) throw notAllowed(`Cannot ${action}: the case is CLOSED.`);
  }

  private requireStage(action: string, stages: Stage[], hint = ''): void {
    this.requireOpen(action);
    if (!stages.includes(this.stage)) {
      throw notAllowed(`Cannot ${action} while the case is ${this.stage} (allowed in ${stages.join(', ')}).${hint ? ` ${hint}` : ''}`);
    }
  }

  canLogContact(): void {
    this.requireOpen('log a contact');
  }

  canChangeProfile(): void {
    this.requireOpen('change the profile');
  }

  canOverride(partnerId: string): void {
    this.requireStage(
      'refer to a partner',
      ['ENGAGING', 'MATCHING', 'REFERRED', 'NEEDS_COUNSELLOR'],
      this.isPaused ? 'Resume the case first.' : '',
    );
    if (this.current?.partnerId === partnerId) throw notAllowed(`The case is already REFERRED to partner ${partnerId}.`);
  }

  canRematch(): void {
    this.requireStage('rematch', ['MATCHING', 'REFERRED', 'NEEDS_COUNSELLOR'], this.isPaused ? 'Resume the case first.' : '');
  }

  canRecordCheckIn(): void {
    const inFollowUp = this.phase === 'FOLLOW_UP';
    if (!inFollowUp || !['IN_PATHWAY', 'NEEDS_COUNSELLOR'].includes(this.stage)) {
      this.requireOpen('record a check-in');
      throw notAllowed(
        `Cannot record a check-in while the case is ${this.stage}: check-ins start once the pathway has started (IN_PATHWAY).`,
      );
    }
    if (this.checkInsDone >= this.policy.checkInOffsets.length) {
      throw notAllowed(`All ${this.checkInsDone} check-ins of the case are recorded; close the case with its outcome.`);
    }
  }

  canPause(): void {
    this.requireStage(
      'pause',
      ['ENGAGING', 'MATCHING', 'NEEDS_COUNSELLOR', 'ACCEPTED', 'IN_PATHWAY'],
      this.stage === 'REFERRED' ? 'A partner is deciding on a referral: wait for the answer or rematch first.' : '',
    );
  }

  canResume(): void {
    this.requireStage('resume', ['PAUSED']);
  }

  canClose(): void {
    this.requireOpen('close the case');
  }

  /**
   * The partner's acceptance answers as soon as the referral records it; the journey sees it a
   * moment later. An action on that referral in between is taken, and waits for the journey.
   */
  acceptanceOnItsWay(referralId: string): boolean {
    return this.stage === 'REFERRED' && this.current?.referralId === referralId;
  }

  canRecordAttendance(referralId: string): void {
    if (this.acceptanceOnItsWay(referralId)) return;
    this.requireStage('record attendance', ['ACCEPTED']);
    if (this.accepted?.referralId !== referralId) throw notAllowed('Attendance is recorded on the accepted referral only.');
  }

  canReportOutcome(referralId: string): void {
    if (this.acceptanceOnItsWay(referralId)) return;
    this.requireStage('report an outcome', ['ACCEPTED', 'IN_PATHWAY', 'NEEDS_COUNSELLOR']);
    if (this.accepted?.referralId !== referralId) throw notAllowed('An outcome is reported on the accepted referral only.');
  }

  view(): JourneyState {
    return {
      caseId: this.input.caseId,
      stage: this.stage,
      stageEnteredAt: this.stageEnteredAt,
      segment: this.segment,
      policyVersion: this.input.policyVersion,
      closure: this.closure,
      eventSeq: this.eventSeq,
    };
  }
}
