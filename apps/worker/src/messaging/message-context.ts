import type { EntityManager } from 'typeorm';
import type { Consent, MessageRecipient, MessageStatus } from '@walt/persistence';
import { MessageContext, QuietHours } from '@walt/messaging';
import { placeOfCommune, timeZoneOfDepartement } from '@walt/territory';

/** One outbound message as the processor needs it. */
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

/** Both reads below go through `query` alone (a DataSource or an EntityManager). */
type Queryable = Pick<EntityManager, 'query'>;

/**
 * The columns of a message and everything its templates need (partner, referral, and the
 * journey event that queued it, whose key is the message's job id without
 * `:<index>:<channel>`), from `source`: the table itself or the rows a claim just wrote.
 */
const withContext = (source: string) =>
  `SELECT m.id, m.case_id, m.job_id, m.purpose, m.variant, m.channel, m.recipient, m.status, m.attempts, m.sending_until,
          c.departement, c.age_at_capture, c.stage AS case_stage,
          y.first_name, y.email, y.phone, y.consent, y.erased_at, y.sms_opt_out_at, y.diploma_level, y.wishes, y.commune_code,
          p.body -> 'quietHours' AS quiet_hours,
          pa.id AS partner_id, pa.name AS partner_name, pa.contact_email AS partner_contact_email, pa.departement AS partner_departement,
          r.id AS referral_id, r.sent_at AS referral_sent_at, r.due_at AS referral_due_at, r.appointment_at AS referral_appointment_at,
          e.data AS event_data
     FROM ${source} m
     JOIN cases c ON c.id = m.case_id
     JOIN youths y ON y.id = c.youth_id
     LEFT JOIN policies p ON p.version = c.policy_version
     LEFT JOIN partners pa ON pa.id = coalesce(m.partner_id, c.partner_id)
     LEFT JOIN referrals r ON r.id = m.referral_id
     LEFT JOIN journey_events e ON e.idempotency_key = regexp_replace(m.job_id, ':[^:]*:[^:]*$', '')`;

/** Messages as they are now, by id, without changing them; a message that does not exist is absent. */
export async function loadMessages(db: Queryable, messageIds: string[]): Promise<Map<string, MessageRow>> {
  const found: any[] = await db.query(`${withContext('outbound_messages')} WHERE m.id = ANY($1::uuid[])`, [messageIds]);
  return new Map(found.map((m) => [m.id, rowOf(m)]));
}

/**
 * Claims every message of `messageIds` that is pending and leased to no run at `now` (the
 * attempt counted, the row leased until `leaseUntil`) and reads it with its context, in one
 * statement: the rows answered are this run's to send. The UPDATE locks each row, and a second
 * claim of the same row waits for the first and then finds it leased, so two runs never both
 * claim one message. A message not answered was not claimable (absent, settled, or leased).
 * The ids are joined as a list rather than tested with `id = ANY(…)`: beside the status test,
 * the planner would also scan the whole pending index, dead entries included (23 ms instead of
 * 1 ms for 40 rows in bench/messaging's database).
 */
export async function claimMessages(db: Queryable, messageIds: string[], now: Date, leaseUntil: Date): Promise<Map<string, MessageRow>> {
  const found: any[] = await db.query(
    `WITH claimed AS (
       UPDATE outbound_messages o SET attempts = o.attempts + 1, sending_until = $3, updated_at = now()
         FROM unnest($1::uuid[]) AS v (id)
        WHERE o.id = v.id AND o.status IN ('QUEUED', 'DELAYED') AND (o.sending_until IS NULL OR o.sending_until <= $2)
       RETURNING o.*)
     ${withContext('claimed')}`,
    [messageIds, now, leaseUntil],
  );
  return new Map(found.map((m) => [m.id, rowOf(m)]));
}

function rowOf(m: any): MessageRow {
  const partner = m.partner_id ? { name: m.partner_name, contactEmail: m.partner_contact_email, departement: m.partner_departement } : null;
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
    partner,
    quietHours: m.quiet_hours,
    context: {
      purpose: m.purpose,
      variant: m.variant,
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
      partner: partner ? { name: partner.name, contactEmail: partner.contactEmail } : undefined,
      referral: m.referral_id
        ? { id: m.referral_id, sentAt: m.referral_sent_at, dueAt: m.referral_due_at, appointmentAt: m.referral_appointment_at }
        : undefined,
      event: m.event_data ?? {},
    },
  };
}
