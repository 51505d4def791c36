/**
 * Every signal, update and query of the journey and referral workflows, defined once;
 * imported by the workflows and by the API so both sides agree on names and payloads.
 *
 * Payloads carry ids, codes and the actor, never personal data: free text (notes, comments,
 * pause reasons) is stored in `case_notes` by the API and travels as `noteId`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CheckInStatus,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  JourneyState,
  Outcome,
  RetentionKind,
  Segment,
} from '../libs/domain/src';
import type { ChatEndReason, ChatStep, Question } from '../libs/chat/src/flow/steps';
import type { ReplyIntent } from '../libs/chat/src/flow/conversation';
import type { SimulationView } from '../libs/simulation/src/request';

/** `counsellor:<sub>`, `partner:<partnerId>`, `youth`, `system`. */
interface Acting {
  actor: string;
}

// ── Journey ────────────────────────────────────────────────────────────────────────────

export const stateQuery = defineQuery<JourneyState>('state');

/** The young person answered (inbound SMS, email, chat): fire-and-forget. */
export interface YouthReply {
  channel: 'SMS' | 'EMAIL' | 'CHAT' | 'PHONE';
}
export const youthRepliedSignal = defineSignal<[YouthReply]>('youthReplied');

export interface ContactLog extends Acting {
  channel: ContactChannel;
  reached: boolean;
  noteId?: string;
}
export const logContactUpdate = defineUpdate<void, [ContactLog]>('logContact');

/** The API has already saved the new profile; the journey re-segments and, while matching, re-matches. */
export interface ProfileChange extends Acting {
  segment: Segment;
  departement: string;
  fields: string[];
}
export const changeProfileUpdate = defineUpdate<void, [ProfileChange]>('changeProfile');

/** Counsellor override: refer to this partner now (criteria already checked by the API). */
export interface PartnerOverride extends Acting {
  partnerId: string;
  noteId?: string;
  forced: boolean;
}
export const referToPartnerUpdate = defineUpdate<void, [PartnerOverride]>('referToPartner');

export const rematchUpdate = defineUpdate<void, [Acting]>('rematch');

export interface CheckInReport extends Acting {
  status: CheckInStatus;
  outcome?: Outcome;
  noteId?: string;
}
export const recordCheckInUpdate = defineUpdate<void, [CheckInReport]>('recordCheckIn');

export interface PauseRequest extends Acting {
  noteId?: string;
  /** ISO time at which the journey resumes by itself. */
  until?: string;
}
export const pauseUpdate = defineUpdate<void, [PauseRequest]>('pause');
export const resumeUpdate = defineUpdate<void, [Acting]>('resume');

export interface ClosureRequest extends Acting {
  reason: ClosureReason;
  outcome?: Outcome;
  noteId?: string;
}
export const closeUpdate = defineUpdate<void, [ClosureRequest]>('close');

/** Partner, after accepting: did the young person come to the first appointment? */
export interface AttendanceReport extends Acting {
  referralId: string;
  attended: boolean;
  at?: string;
}
export const recordAttendanceUpdate = defineUpdate<void, [AttendanceReport]>('recordAttendance');

export interface OutcomeReport extends Acting {
  referralId: string;
  outcome: Outcome;
  noteId?: string;
}
export const reportOutcomeUpdate = defineUpdate<void, [OutcomeReport]>('reportOutcome');

// ── Referral (child workflow `referral-<caseId>-<attempt>`) ──────────────────────────────

/** `via`: the partner's portal (an account) or a signed link from the email, for the audit trail. */
export type ReferralDecision =
  | (Acting & { decision: 'ACCEPTED'; appointmentAt?: string; noteId?: string; via?: 'portal' | 'link' })
  | (Acting & { decision: 'DECLINED'; reason: DeclineReason; noteId?: string; via?: 'portal' | 'link' });
export const decideReferralUpdate = defineUpdate<void, [ReferralDecision]>('decide');

/** The journey no longer needs this referral (override, rematch, closure). */
export const withdrawReferralSignal = defineSignal<[{ actor: string }]>('withdraw');

export interface ReferralView {
  referralId: string;
  partnerId: string;
  attempt: number;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';
}
export const referralStateQuery = defineQuery<ReferralView>('referralState');

/** The `type` of the ApplicationFailure a validator throws for an action not allowed now (HTTP 409). */
export const NOT_ALLOWED = 'NotAllowed';

// ── Chat intake (`chat-<conversationId>`, one per conversation) ────────────────────────────
// The young person's text is stored in `chat_messages` by the API and travels as `messageId`;
// what a turn answers travels as codes, and the API reads the reply's text by `replyId`.

/** The start of `chatIntakeWorkflow`: the conversation and, if the page knows it, the campaign code. */
export interface ChatIntakeInput {
  conversationId: string;
  /** A campaign code (letters, digits, `-_.`), as the form's source.campaign. */
  campaign?: string;
}

export interface ChatMessageArrived {
  messageId: string;
}

/** One turn, answered: the reply's codes (its text is in chat_messages, rendered outside the workflow). */
export interface ChatTurn {
  turn: number;
  replyId: string;
  intent: ReplyIntent;
  detail?: string;
  /** The step the reply asks for; null once the conversation is over. */
  ask: ChatStep | null;
  /** The conversation has ended: the case exists, or the young person stopped it. */
  done: boolean;
  caseId?: string;
}
/** Update-with-start: the first message starts the conversation; messages are answered one at a time, in order. */
export const chatMessageUpdate = defineUpdate<ChatTurn, [ChatMessageArrived]>('chatMessage');

/** The young person ends the conversation (DELETE): the draft and transcript are deleted. */
export const endChatUpdate = defineUpdate<void, []>('endChat');

export interface ChatView {
  sessionId: string;
  step: ChatStep;
  filled: Question[];
  turns: number;
  done: boolean;
  ended: ChatEndReason | null;
  humanRequested: boolean;
  caseId?: string;
}
export const chatStateQuery = defineQuery<ChatView>('chatState');

/** The `type` of the failure a message gets once its session has ended (the API sends it again, to a new session). */
export const CHAT_ENDED = 'ChatEnded';

// ── Policy simulation (`policy-simulation-<simulationId>`, one per what-if) ──────────────────

/** Progress, then the result, of a what-if; the API's GET /v1/policy/simulations/{id} reads it. */
export const simulationStateQuery = defineQuery<SimulationView>('simulationState');
/** The daily retention purge (`retentionPurgeWorkflow`): no argument from the Schedule; tests give short delays. */
export interface RetentionPurgeInput {
  /** ISO durations replacing the configured RETENTION_* ones (tests: seconds). */
  delays?: Partial<Record<RetentionKind, string>>;
  batchSize?: number;
  /** Carried over by continue-as-new: the run's cut-offs, kinds finished and rows counted. */
  cutoffs?: Record<RetentionKind, string>;
  done?: RetentionKind[];
  purged?: Partial<Record<RetentionKind, number>>;
}

export interface RetentionPurgeResult {
  cutoffs: Record<RetentionKind, string>;
  purged: Record<RetentionKind, number>;
}

/** The daily anonymisation after inactivity (`anonymisationWorkflow`): no argument from the Schedule. */
export interface AnonymisationInput {
  /** Replaces the current policy's delays (tests: seconds). */
  policy?: { anonymiseAfterInactivity: string; anonymiseNoticeBefore: string };
  /** The instant the run judges by (tests inject it); default the workflow's time at start. */
  now?: string;
  pageSize?: number;
  /** Only these young people (a test's own, or an admin's re-run for chosen ids); default everyone. */
  youthIds?: string[];
  /** Carried over by continue-as-new: the last young person done, and the counts so far. */
  cursor?: string;
  counted?: AnonymisationResult;
}

export interface AnonymisationResult {
  noticed: number;
  anonymised: number;
}

// ── Simulated time (workflows on a `simulation-…` task queue only, workflows/simulation-clock.ts) ──

/** Where a simulated workflow stands, for the run's driver to know when an instant is over and which comes next. */
export interface SimulationClockState {
  /** The simulated instant it lives at (epoch ms); absent until the driver has told it. */
  now?: number;
  /** Activities, child starts and signals to other workflows not answered yet: the instant is not over. */
  pending: number;
  /** Deadlines of its timers still running (epoch ms of the simulated clock), soonest first. */
  deadlines: number[];
  /** The children it started (a journey's referrals), and whether it has seen each one end. */
  children: { workflowId: string; ended: boolean }[];
  /** Its workflow function returned. */
  done: boolean;
}

/** The header by which a start, a signal or an update of the driver (or of a parent) carries its instant (a number, epoch ms). */
export const SIMULATION_CLOCK_HEADER = 'simulation-now';
/** The driver's clock: the simulated instant is now `nowMs`; every timer due by then fires. */
export const simulationClockSignal = defineSignal<[nowMs: number]>('simulationClock');
export const simulationClockQuery = defineQuery<SimulationClockState>('simulationClock');
