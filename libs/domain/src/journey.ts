import type { ClosureReason, Outcome, Segment, Stage } from './codes';

/**
 * What a journey workflow is started with. Nothing here identifies the young person: the case
 * id, and attributes that are shared by thousands of others.
 */
export interface JourneyInput {
  caseId: string;
  policyVersion: number;
  segment: Segment;
  departement: string;
  capturedAt: string;
}

/**
 * Types of the events in `journey_events`, the audit trail every duration is computed from.
 * A stage change is always its own `STAGE_CHANGED { from, to }` event (reports compute stage
 * durations from those alone); the other events say what happened and carry their facts.
 */
export const JOURNEY_EVENT_TYPES = [
  'CAPTURED', // { segment, departement }
  'STAGE_CHANGED', // { from, to, why? }
  'MESSAGE_QUEUED', // { purpose, channel, messageId }
  'YOUTH_REPLIED', // { channel }
  'CONTACT_LOGGED', // { channel, reached, note? }
  'PROFILE_UPDATED', // { fields, segment }
  'MATCHED', // { eligible: n, partnerIds: [...] }
  'REFERRAL_SENT', // { referralId, partnerId, partnerType, attempt, override? }
  'REFERRAL_REMINDED', // { referralId, partnerId }
  'REFERRAL_ACCEPTED', // { referralId, partnerId, partnerType, appointmentAt? }
  'REFERRAL_DECLINED', // { referralId, partnerId, partnerType, reason, comment? }
  'REFERRAL_EXPIRED', // { referralId, partnerId, partnerType }
  'REFERRAL_WITHDRAWN', // { referralId, partnerId }
  'ATTENDANCE_RECORDED', // { referralId, attended, at }
  'PATHWAY_STARTED', // { referralId, partnerId, partnerType }
  'CHECK_IN_RECORDED', // { seq, status, outcome? }
  'OUTCOME_REPORTED', // { outcome, by }
  'PAUSED', // { reason, until? }
  'RESUMED', // {}
  'NOTE_ADDED', // { text }
  'ESCALATED', // { why }
  'CLOSED', // { reason, outcome? }
  'MESSAGE_FAILED', // { messageId, purpose, channel, attempts } (the delivery gave up)
  'SMS_OPT_OUT', // { channel: 'SMS' } (the young person answered STOP)
  'PERSONAL_DATA_ERASED', // {} (identity removed on request)
] as const;
export type JourneyEventType = (typeof JOURNEY_EVENT_TYPES)[number];

/** `system`, `youth`, `counsellor:<sub>`, `partner:<partnerId>`, `intake`. */
export type Actor = string;

/** The live view the `state` query answers with. */
export interface JourneyState {
  caseId: string;
  stage: Stage;
  stageEnteredAt: string;
  segment: Segment;
  policyVersion: number;
  closure?: { reason: ClosureReason; outcome?: Outcome };
  eventSeq: number;
}
