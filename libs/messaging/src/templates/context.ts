/**
 * Everything a template may say, read from PostgreSQL at send time by the worker. Templates
 * are pure functions of this, so the wording is unit-tested without a database.
 */
export interface MessageContext {
  purpose: string;
  /** The journey's variant of the nudge experiment (null: the original wording). */
  variant?: string | null;
  channel: 'SMS' | 'EMAIL';
  caseId: string;
  /** Time zone of the recipient: the young person's département, or the partner's. */
  timeZone: string;
  youth: {
    firstName: string | null;
    age: number;
    diplomaLevel: string;
    wishes: string[];
    communeName: string | null;
    departement: string;
  };
  partner?: { name: string; contactEmail: string };
  referral?: {
    id: string;
    sentAt: Date;
    dueAt: Date;
    appointmentAt: Date | null;
    /** The partner's signed link, expiring at `dueAt` (REFERRAL_NEW, REFERRAL_REMINDER). */
    link?: string;
  };
  /** The data of the journey event that queued the message (why, seq, failed message…). */
  event: Record<string, unknown>;
  /** Where staff open the case. */
  caseUrl: string;
}

export interface RenderedMessage {
  subject?: string;
  text: string;
}
