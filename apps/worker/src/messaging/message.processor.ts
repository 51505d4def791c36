import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { redactPersonalData } from '@walt/domain';
import { JourneyEventsRepository } from '@walt/persistence';
import {
  ChannelAdapter,
  DispatchableMessage,
  MessageChannelName,
  MessageDispatcher,
  MessageJob,
  MessagingConfig,
  nextSendTime,
  renderMessage,
} from '@walt/messaging';
import { timeZoneOfDepartement } from '@walt/territory';
import { loadMessage, MessageRow } from './message-context';

export interface MessageProcessorOptions {
  dataSource: DataSource;
  adapters: Record<MessageChannelName, ChannelAdapter>;
  /** Enqueues the counsellor alert of a message that finally failed. */
  dispatcher: MessageDispatcher;
  config: Pick<MessagingConfig, 'maxAttempts' | 'counsellorEmail' | 'publicBaseUrl'>;
  /** The partner's signed link to a referral, valid until `expiresAt`. */
  linkFor: (referralId: string, expiresAt: Date) => string;
  /** The clock of the rules (quiet hours); tests move it. */
  now?: () => Date;
}

type Outcome =
  | { kind: 'skipped' | 'suppressed' | 'sent' }
  | { kind: 'delayed'; delayMs: number }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string; alerts: DispatchableMessage[] };

const PENDING = ['QUEUED', 'DELAYED'];
/** Longer than any adapter's timeouts: past it, a claim whose worker died may be taken again. */
const SEND_LEASE_MS = 120_000;

/**
 * Sends one outbound message, exactly once as far as the provider allows: rows already SENT,
 * SUPPRESSED or FAILED are skipped, a row being sent is leased to one run, and SENT is written
 * only after the provider accepted. Every attempt is counted on the row, the source of truth.
 * (A crash after the provider accepted and before SENT is written resends on retry: the
 * message id goes to providers as Message-ID / Idempotency-Key so they can drop the repeat.)
 */
export class MessageProcessor {
  private readonly events: JourneyEventsRepository;
  private readonly now: () => Date;

  constructor(private readonly options: MessageProcessorOptions) {
    this.events = new JourneyEventsRepository(options.dataSource);
    this.now = options.now ?? (() => new Date());
  }

  /** The BullMQ processor of both channel queues. */
  async process(job: Job<MessageJob>, token?: string): Promise<string> {
    const outcome = await this.send(job.data.messageId);
    switch (outcome.kind) {
      case 'delayed':
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      case 'retry':
        throw new Error(outcome.error);
      case 'failed':
        await this.options.dispatcher.dispatch(outcome.alerts);
        throw new UnrecoverableError(outcome.error);
      default:
        return outcome.kind;
    }
  }

  /**
   * Claim (one read, one conditional write), send (no transaction: a slow provider never holds
   * a database connection), settle. The claim counts the attempt and takes a lease, so a second
   * run of the same job waits for the first instead of sending again.
   */
  async send(messageId: string): Promise<Outcome> {
    const claim = await this.claim(messageId);
    if (claim.kind !== 'claimed') return claim;
    const { row, attempts } = claim;
    let providerId: string;
    try {
      const rendered = renderMessage(row.recipient, this.contextOf(row));
      ({ providerId } = await this.options.adapters[row.channel].send({ to: this.addressOf(row)!, ...rendered, messageId: row.id }));
    } catch (err) {
      // Contact details never go into last_error or the timeline, even when a provider echoes them.
      const error = redactPersonalData((err as Error).message || String(err));
      const final = attempts >= this.options.config.maxAttempts;
      return this.options.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE outbound_messages SET status = $2, last_error = $3, sending_until = NULL, updated_at = now() WHERE id = $1`,
          [row.id, final ? 'FAILED' : 'QUEUED', error],
        );
        return final
          ? { kind: 'failed', error, alerts: await this.recordFailure(manager, row, attempts, error) }
          : { kind: 'retry', error };
      });
    }
    // Outside the try: a failure here is not the provider's (and the lease keeps a retry from resending for a while).
    await this.options.dataSource.query(
      `UPDATE outbound_messages SET status = 'SENT', sent_at = now(), provider_id = $2, sending_until = NULL, updated_at = now() WHERE id = $1`,
      [row.id, providerId],
    );
    return { kind: 'sent' };
  }

  /**
   * Decides from the row as read, then writes the decision only if the row is still in the state
   * it was read in (status, attempts and lease change at every claim and settlement); if another
   * run got there first, decides again from the new state. Compare-and-set instead of a locking
   * transaction: two round trips per claim instead of four.
   */
  private async claim(messageId: string): Promise<Outcome | { kind: 'claimed'; row: MessageRow; attempts: number }> {
    for (;;) {
      const row = await loadMessage(this.options.dataSource.manager, messageId);
      if (!row || !PENDING.includes(row.status)) return { kind: 'skipped' };
      if (row.sendingUntil && row.sendingUntil.getTime() > Date.now())
        return { kind: 'delayed', delayMs: row.sendingUntil.getTime() - Date.now() };
      const setIfUnchanged = async (assignments: string, values: unknown[]): Promise<boolean> => {
        const [, changed] = await this.options.dataSource.query(
          `UPDATE outbound_messages SET ${assignments}, updated_at = now()
            WHERE id = $1 AND status = $2 AND attempts = $3 AND sending_until IS NOT DISTINCT FROM $4`,
          [row.id, row.status, row.attempts, row.sendingUntil, ...values],
        );
        return changed === 1;
      };

      const suppressed = this.suppression(row);
      if (suppressed) {
        if (!(await setIfUnchanged(`status = 'SUPPRESSED', last_error = $5`, [suppressed]))) continue;
        return { kind: 'suppressed' };
      }
      if (row.channel === 'SMS' && row.recipient === 'YOUTH' && row.quietHours) {
        const now = this.now();
        const at = nextSendTime(now, timeZoneOfDepartement(row.context.youth.departement), row.quietHours);
        if (at > now) {
          if (!(await setIfUnchanged(`status = 'DELAYED', scheduled_at = $5`, [at]))) continue;
          return { kind: 'delayed', delayMs: at.getTime() - now.getTime() };
        }
      }
      const attempts = row.attempts + 1;
      if (!(await setIfUnchanged(`attempts = $5, sending_until = $6`, [attempts, new Date(Date.now() + SEND_LEASE_MS)]))) continue;
      return { kind: 'claimed', row, attempts };
    }
  }

  /** Why this message must not go at all (consent, STOP, no address), or null. */
  private suppression(row: MessageRow): string | null {
    if (row.recipient === 'YOUTH') {
      const y = row.youth;
      if (y.erasedAt) return 'personal data erased';
      if (row.caseStage === 'CLOSED') return 'the case is closed';
      if (!y.consent?.channels?.includes(row.channel)) return `no consent for ${row.channel}`;
      if (row.channel === 'SMS' && y.smsOptOutAt) return 'opted out of SMS (STOP)';
    }
    if (row.recipient === 'COUNSELLOR' && !this.options.config.counsellorEmail) return 'no counsellor mailbox (COUNSELLOR_EMAIL)';
    return this.addressOf(row) ? null : `no ${row.channel === 'SMS' ? 'phone number' : 'email address'} for ${row.recipient}`;
  }

  private addressOf(row: MessageRow): string | null | undefined {
    if (row.recipient === 'YOUTH') return row.channel === 'SMS' ? row.youth.phone : row.youth.email;
    if (row.recipient === 'PARTNER') return row.partner?.contactEmail;
    return this.options.config.counsellorEmail;
  }

  private contextOf(row: MessageRow) {
    const r = row.context.referral;
    return {
      ...row.context,
      referral: r && { ...r, link: this.options.linkFor(r.id, r.dueAt) },
      caseUrl: `${this.options.config.publicBaseUrl}/v1/cases/${row.caseId}`,
    };
  }

  /**
   * A message that will never go: MESSAGE_FAILED on the case's timeline and, unless it was
   * itself for the counsellors, an alert to them (DELIVERY_FAILED) so someone calls instead.
   */
  private async recordFailure(manager: EntityManager, row: MessageRow, attempts: number, error: string): Promise<DispatchableMessage[]> {
    const key = `message-failed:${row.id}`;
    const data = { messageId: row.id, purpose: row.purpose, channel: row.channel, recipient: row.recipient, attempts, error };
    const at = new Date();
    const recorded = await this.events.recordIn(manager, {
      caseId: row.caseId,
      idempotencyKey: key,
      type: 'MESSAGE_FAILED',
      actor: 'system',
      at,
      data,
    });
    if (!recorded || row.recipient === 'COUNSELLOR') return [];
    const alert = { id: randomUUID(), jobId: `${key}:0:EMAIL`, channel: 'EMAIL', scheduledAt: at };
    await manager.query(
      `INSERT INTO outbound_messages (id, case_id, job_id, purpose, channel, recipient, status, scheduled_at)
       VALUES ($1, $2, $3, 'DELIVERY_FAILED', 'EMAIL', 'COUNSELLOR', 'QUEUED', $4) ON CONFLICT (job_id) DO NOTHING`,
      [alert.id, row.caseId, alert.jobId, at],
    );
    return [alert];
  }
}
