import type { EntityManager } from 'typeorm';
import type { Consent, MessageRecipient, MessageStatus } from '@walt/persistence';
import { MessageContext, QuietHours } from '@walt/messaging';
import { placeOfCommune, timeZoneOfDepartement } from '@walt/territory';

/** One outbound message as the processor needs it, locked for the duration of its attempt. */
export interface MessageRow {
  id: string;
  caseId: string;
  jobId: string;
  purpose: string;
  channel: 'SMS' | 'EMAIL';
  recipient: MessageRecipient;
  status: MessageStatus;
  /** The case's stage now: a nudge delayed past a closure must not go. */
  caseStage: string;
  attempts: number;
  /** Lease of a run that is sending it now. */
  sendingUntil: Date | null;
  youth: { email: string | null; phone: string | null; consent: Consent; erasedAt: Date | null; smsOptOutAt: Date | null };
  partner: { name: string; contactEmail: string; departement: string } | null;
  quietHours: QuietHours | null;
  context: Omit<MessageContext, 'caseUrl' | 'referral'> & { referral?: Omit<NonNullable<MessageContext['referral']>, 'link'> };
}

/** The key of the journey event that queued a message: its job id without `:<index>:<channel>`. */
export const eventKeyOf = (jobId: string) => jobId.split(':').slice(0, -2).join(':');

/**
 * Reads a message and everything its template needs from PostgreSQL, locking the message row
 * (FOR UPDATE) so two runs of the same job can never both send it. Null if it does not exist.
 */
export async function loadMessage(manager: EntityManager, messageId: string): Promise<MessageRow | null> {
  const [m] = await manager.query(
    `SELECT m.id, m.case_id, m.job_id, m.purpose, m.channel, m.recipient, m.status, m.attempts, m.sending_until, m.referral_id,
            coalesce(m.partner_id, c.partner_id) AS partner_id, c.departement, c.age_at_capture, c.stage AS case_stage,
            y.first_name, y.email, y.phone, y.consent, y.erased_at, y.sms_opt_out_at, y.diploma_level, y.wishes, y.commune_code,
            p.body -> 'quietHours' AS quiet_hours
       FROM outbound_messages m
       JOIN cases c ON c.id = m.case_id
       JOIN youths y ON y.id = c.youth_id
       LEFT JOIN policies p ON p.version = c.policy_version
      WHERE m.id = $1
        FOR UPDATE OF m`,
    [messageId],
  );
  if (!m) return null;
  // One after the other: a transaction is one connection.
  const [partner] = m.partner_id ? await manager.query('SELECT name, contact_email, departement FROM partners WHERE id = $1', [m.partner_id]) : [];
  const [referral] = m.referral_id ? await manager.query('SELECT id, sent_at, due_at, appointment_at FROM referrals WHERE id = $1', [m.referral_id]) : [];
  const [event] = await manager.query('SELECT data FROM journey_events WHERE idempotency_key = $1', [eventKeyOf(m.job_id)]);
  const youthZone = timeZoneOfDepartement(m.departement);
  return {
    id: m.id,
    caseId: m.case_id,
    jobId: m.job_id,
    purpose: m.purpose,
    channel: m.channel,
    recipient: m.recipient,
    status: m.status,
    caseStage: m.case_stage,
    attempts: m.attempts,
    sendingUntil: m.sending_until,
    youth: { email: m.email, phone: m.phone, consent: m.consent, erasedAt: m.erased_at, smsOptOutAt: m.sms_opt_out_at },
    partner: partner ? { name: partner.name, contactEmail: partner.contact_email, departement: partner.departement } : null,
    quietHours: m.quiet_hours,
    context: {
      purpose: m.purpose,
      channel: m.channel,
      caseId: m.case_id,
      // Partners read dates in their own time zone; everyone else in the young person's.
      timeZone: m.recipient === 'PARTNER' && partner ? timeZoneOfDepartement(partner.departement) : youthZone,
      youth: {
        firstName: m.first_name,
        age: m.age_at_capture,
        diplomaLevel: m.diploma_level,
        wishes: m.wishes ?? [],
        communeName: m.commune_code ? (placeOfCommune(m.commune_code)?.communeName ?? null) : null,
        departement: m.departement,
      },
      partner: partner ? { name: partner.name, contactEmail: partner.contact_email } : undefined,
      referral: referral
        ? { id: referral.id, sentAt: referral.sent_at, dueAt: referral.due_at, appointmentAt: referral.appointment_at }
        : undefined,
      event: event?.data ?? {},
    },
  };
}
