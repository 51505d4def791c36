import type {
  CheckInStatus,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  MessageChannel,
  Outcome,
  PartnerType,
  Segment,
  Stage,
} from './codes';

/**
 * What each event of `journey_events` carries: the audit trail every duration is computed
 * from, typed in one place. Ids, codes and ISO times only: free text is stored in `case_notes`
 * and travels as `noteId`; no name, email, phone or birth date ever appears here.
 */

/** The referral an event is about. */
export interface ReferralFacts {
  referralId: string;
  partnerId: string;
  partnerType: PartnerType;
  attempt: number;
}

/** Why a journey was handed to a counsellor. */
export type EscalationReason =
  'UNRESPONSIVE' | 'NO_ELIGIBLE_PARTNER' | 'ATTEMPTS_EXHAUSTED' | 'PARTNER_UNKNOWN' | 'NO_SHOW' | 'NEEDS_SUPPORT';

export type DecisionChannel = 'portal' | 'link';

export interface JourneyEventPayloads {
  /** Written by the journey (or by intake, for a case closed out of scope at once). */
  CAPTURED: { segment: Segment; departement: string };
  /** Every stage change is its own event: reports compute stage durations from these alone. */
  STAGE_CHANGED: {
    from: Stage;
    to: Stage;
    why?: EscalationReason | 'DROPPED_OUT';
    reason?: ClosureReason;
    until?: string;
    referralId?: string;
    partnerId?: string;
    partnerType?: PartnerType;
    attempt?: number;
  };
  MESSAGE_QUEUED: { purpose: string; referralId?: string; seq?: number; experiment?: string; variant?: string };
  YOUTH_REPLIED: { channel: 'SMS' | 'EMAIL' | 'CHAT' | 'PHONE' };
  CONTACT_LOGGED: { channel: ContactChannel; reached: boolean; noteId?: string };
  PROFILE_UPDATED: { fields: string[]; segment: Segment };
  /** The first five eligible partners, best first. */
  MATCHED: { eligible: number; partnerIds: string[] };
  REFERRAL_SENT: ReferralFacts & { override: boolean; forced?: boolean; noteId?: string };
  REFERRAL_REMINDED: ReferralFacts;
  REFERRAL_ACCEPTED: ReferralFacts & { appointmentAt?: string; noteId?: string; via?: DecisionChannel };
  REFERRAL_DECLINED: ReferralFacts & { reason: DeclineReason; noteId?: string; via?: DecisionChannel };
  REFERRAL_EXPIRED: ReferralFacts;
  /** `REFERRAL_ENDED`: the referral's own workflow ended without a decision (terminated). */
  REFERRAL_WITHDRAWN: ReferralFacts & { why?: 'REFERRAL_ENDED' };
  ATTENDANCE_RECORDED: Omit<ReferralFacts, 'attempt'> & { attended: boolean; at: string };
  PATHWAY_STARTED: Omit<ReferralFacts, 'attempt'>;
  CHECK_IN_RECORDED: { seq: number; status: CheckInStatus; outcome?: Outcome; noteId?: string };
  OUTCOME_REPORTED: { referralId: string; outcome: Outcome; noteId?: string };
  PAUSED: { from: Stage; until?: string; noteId?: string };
  RESUMED: Record<string, never>;
  NOTE_ADDED: { noteId: string };
  ESCALATED: { why: EscalationReason; partnerId?: string };
  CLOSED: { reason: ClosureReason; outcome?: Outcome; noteId?: string };
  /** The delivery of a message gave up; `error` is redacted of contact details. */
  MESSAGE_FAILED: { messageId: string; purpose: string; channel: MessageChannel; recipient: string; attempts: number; error: string };
  /** The young person answered STOP. */
  SMS_OPT_OUT: { channel: 'SMS' };
  /** Identity removed on request. */
  PERSONAL_DATA_ERASED: Record<string, never>;
  /** The young person changed what they consent to (PUT /v1/youths/{caseId}/consent): the new values of what changed. */
  CONSENT_CHANGED: { shareWithPartners?: boolean; channels?: MessageChannel[]; withdrawnReferralId?: string };
}

export type JourneyEventType = keyof JourneyEventPayloads;

/** An event type with its payload: the only pairs a writer accepts. */
export type JourneyEventBody = { [T in JourneyEventType]: { type: T; data: JourneyEventPayloads[T] } }[JourneyEventType];

export const JOURNEY_EVENT_TYPES = [
  'CAPTURED',
  'STAGE_CHANGED',
  'MESSAGE_QUEUED',
  'YOUTH_REPLIED',
  'CONTACT_LOGGED',
  'PROFILE_UPDATED',
  'MATCHED',
  'REFERRAL_SENT',
  'REFERRAL_REMINDED',
  'REFERRAL_ACCEPTED',
  'REFERRAL_DECLINED',
  'REFERRAL_EXPIRED',
  'REFERRAL_WITHDRAWN',
  'ATTENDANCE_RECORDED',
  'PATHWAY_STARTED',
  'CHECK_IN_RECORDED',
  'OUTCOME_REPORTED',
  'PAUSED',
  'RESUMED',
  'NOTE_ADDED',
  'ESCALATED',
  'CLOSED',
  'MESSAGE_FAILED',
  'SMS_OPT_OUT',
  'PERSONAL_DATA_ERASED',
  'CONSENT_CHANGED',
] as const satisfies readonly JourneyEventType[];

// Every type of the payload map is listed above (the compiler fails here otherwise).
type Missing = Exclude<JourneyEventType, (typeof JOURNEY_EVENT_TYPES)[number]>;
const everyTypeListed: Missing extends never ? true : Missing = true;
void everyTypeListed;

/** The note an event refers to, if its payload has one (the text itself lives in `case_notes`). */
export function noteIdOf(data: JourneyEventPayloads[JourneyEventType]): string | undefined {
  return 'noteId' in data && typeof data.noteId === 'string' ? data.noteId : undefined;
}
