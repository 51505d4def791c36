import { noteIdOf } from '@walt/domain';
import type { TimelineEntryDto } from './dto/case-view.dto';
import type { CaseEntity, CheckInEntity, JourneyEventEntity, OutboundMessageEntity, ReferralEntity, YouthEntity } from '@walt/persistence';

/** A referral row with its partner's name (joined from `partners`). */
export type ReferralRow = ReferralEntity & { partnerName: string | null };

/** What the journey wrote beside the case: asks to partners, follow-up check-ins, messages. */
export interface CaseActivity {
  referrals: ReferralRow[];
  checkIns: CheckInEntity[];
  messages: OutboundMessageEntity[];
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? undefined;

/** Drops undefined keys, so optional fields of API.md (`reason?`, `at?`) are absent rather than null. */
const present = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

/** `GET /v1/cases/{caseId}` as API.md spells it (referrals, check-ins and messages included). */
export function caseView(kase: CaseEntity, youth: YouthEntity, activity: CaseActivity) {
  return {
    caseId: kase.id,
    stage: kase.stage,
    stageEnteredAt: kase.stageEnteredAt.toISOString(),
    segment: kase.segment,
    eligible: kase.eligible,
    ...(kase.closureReason ? { closure: { reason: kase.closureReason, outcome: kase.closureOutcome ?? undefined } } : {}),
    policyVersion: kase.policyVersion,
    counsellorId: kase.counsellorId,
    partnerId: kase.partnerId,
    nextActionAt: kase.nextActionAt?.toISOString() ?? null,
    profile: {
      firstName: youth.firstName,
      lastName: youth.lastName,
      birthDate: youth.birthDate,
      email: youth.email,
      phone: youth.phone,
      postalCode: youth.postalCode,
      communeCode: youth.communeCode,
      departement: kase.departement,
      diplomaLevel: youth.diplomaLevel,
      situation: youth.situation,
      barriers: youth.barriers,
      wishes: youth.wishes,
      consent: youth.consent,
      source: { channel: kase.sourceChannel, campaign: kase.sourceCampaign ?? undefined },
    },
    referrals: activity.referrals.map(referralView),
    checkIns: activity.checkIns.map(checkInView),
    messages: activity.messages.map(messageView),
  };
}

export type CaseView = ReturnType<typeof caseView>;

/** API.md's fields, plus what the pathway adds once accepted (appointment, attendance, outcome). */
const referralView = (r: ReferralRow) => ({
  referralId: r.id,
  partnerId: r.partnerId,
  partnerName: r.partnerName,
  attempt: r.attempt,
  status: r.status,
  ...present({
    reason: r.reason,
    comment: r.comment,
  }),
  sentAt: r.sentAt.toISOString(),
  dueAt: r.dueAt.toISOString(),
  ...present({
    decidedAt: iso(r.decidedAt),
    appointmentAt: iso(r.appointmentAt),
    attended: r.attended,
    outcome: r.outcome,
  }),
});

const checkInView = (c: CheckInEntity) => ({
  seq: c.seq,
  dueAt: c.dueAt.toISOString(),
  ...present({ at: iso(c.at), status: c.status, outcome: c.outcome, note: c.note }),
});

/** `at`: when it went out, or when it is (or was) due to go while still queued. */
const messageView = (m: OutboundMessageEntity) => ({
  purpose: m.purpose,
  channel: m.channel,
  recipient: m.recipient,
  status: m.status,
  at: (m.sentAt ?? m.scheduledAt).toISOString(),
});

/** One step of the journey; `note` is the text of the note the step refers to, for staff. */
export const timelineEntry = (e: JourneyEventEntity, notes: Map<string, string> = new Map()): TimelineEntryDto => {
  const noteId = noteIdOf(e.data);
  const note = noteId ? notes.get(noteId) : undefined;
  return { at: e.at.toISOString(), type: e.type, actor: e.actor, data: e.data, ...(note !== undefined ? { note } : {}) };
};
