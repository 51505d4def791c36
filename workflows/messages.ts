/**
 * Every signal, update and query of the journey and referral workflows, defined once;
 * imported by the workflows and by the API so both sides agree on names and payloads.
 *
 * Payloads carry ids, codes and the actor, never personal data: free text (notes, comments,
 * pause reasons) is stored in `case_notes` by the API and travels as `noteId`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CheckInStatus, ClosureReason, ContactChannel, DeclineReason, JourneyState, Outcome, Segment } from '../libs/domain/src';

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
