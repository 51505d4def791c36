import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { redactPersonalData } from '@walt/domain';
import { JourneyEventsRepository } from '@walt/persistence';
import {
  Batcher,
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
import { loadMessages, MessageRow } from './message-context';

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

type ClaimResult = Outcome | { kind: 'claimed'; row: MessageRow; attempts: number } | 'again';
/** A decision to write on a row if it is still as read; `then` is the answer once written. */
interface Write {
  row: MessageRow;
  write: { status: string; attempts: number; leaseUntil?: Date; lastError?: string; scheduledAt?: Date };
  then: Exclude<ClaimResult, 'again'>;
}

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
  private readonly claims = new Batcher((ids: string[]) => this.claimBatch(ids));
  private readonly settlements = new Batcher((sent: { id: string; providerId: string }[]) => this.settleSent(sent));

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
   * run of the same job waits for the first instead of sending again. Claims and SENT writes of
   * the jobs running at the same time go to PostgreSQL together (see `Batcher`).
   */
  async send(messageId: string): Promise<Outcome> {
    let claim: ClaimResult;
    do claim = await this.claims.call(messageId);
    while (claim === 'again');
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
    await this.settlements.call({ id: row.id, providerId });
    return { kind: 'sent' };
  }

  /** SENT for every message of the batch whose provider accepted it: one UPDATE. */
  private async settleSent(sent: { id: string; providerId: string }[]): Promise<void[]> {
    await this.options.dataSource.query(
      `UPDATE outbound_messages m SET status = 'SENT', sent_at = now(), provider_id = v.provider_id, sending_until = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS v (id, provider_id) WHERE m.id = v.id`,
      [sent.map((s) => s.id), sent.map((s) => s.providerId)],
    );
    return sent.map(() => undefined);
  }

  /**
   * Decides from each row as read, then writes every decision in one UPDATE that changes a row
   * only if it is still in the state it was read in (status, attempts and lease change at every
   * claim and settlement); a message whose row another run changed first, or that appears twice
   * in the batch, answers 'again' and is decided anew from the new state in a later batch.
   * Compare-and-set instead of a locking transaction: two round trips per batch. (The lease is
   * compared at the millisecond JavaScript reads it with: a lease written in SQL has microseconds.)
   */
  private async claimBatch(messageIds: string[]): Promise<ClaimResult[]> {
    const rows = await loadMessages(this.options.dataSource.manager, [...new Set(messageIds)]);
    const seen = new Set<string>();
    const results: (ClaimResult | Write)[] = messageIds.map((id) => {
      if (seen.has(id)) return 'again';
      seen.add(id);
      const row = rows.get(id);
      if (!row || !PENDING.includes(row.status)) return { kind: 'skipped' };
      return this.decide(row);
    });
    const writes = results.filter((r): r is Write => typeof r === 'object' && 'write' in r);
    const written = new Set<string>();
    if (writes.length) {
      const column = <K extends keyof Write['write']>(key: K) => writes.map((w) => w.write[key] ?? null);
      const [changed]: [{ id: string }[], number] = await this.options.dataSource.query(
        `UPDATE outbound_messages m
            SET status = v.new_status, attempts = v.new_attempts, last_error = coalesce(v.last_error, m.last_error),
                scheduled_at = coalesce(v.scheduled_at, m.scheduled_at),
                sending_until = CASE WHEN v.new_attempts > m.attempts THEN v.lease_until ELSE m.sending_until END, updated_at = now()
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::int[], $7::timestamptz[], $8::text[], $9::timestamptz[])
                AS v (id, status, attempts, sending_until, new_status, new_attempts, lease_until, last_error, scheduled_at)
          WHERE m.id = v.id AND m.status = v.status AND m.attempts = v.attempts AND date_trunc('milliseconds', m.sending_until) IS NOT DISTINCT FROM v.sending_until
         RETURNING m.id`,
        [
          writes.map((w) => w.row.id),
          writes.map((w) => w.row.status),
          writes.map((w) => w.row.attempts),
          writes.map((w) => w.row.sendingUntil),
          column('status'),
          column('attempts'),
          column('leaseUntil'),
          column('lastError'),
          column('scheduledAt'),
        ],
      );
      changed.forEach((c) => written.add(c.id));
    }
    return results.map((r) => (typeof r === 'object' && 'write' in r ? (written.has(r.row.id) ? r.then : 'again') : r));
  }

  /** What to do with a pending row: wait for another run's lease, or a write (suppress, hold for quiet hours, claim). */
  private decide(row: MessageRow): ClaimResult | Write {
    if (row.sendingUntil && row.sendingUntil.getTime() > Date.now())
      return { kind: 'delayed', delayMs: row.sendingUntil.getTime() - Date.now() };
    const unchanged = { status: row.status, attempts: row.attempts };
    const suppressed = this.suppression(row);
    if (suppressed) return { row, write: { ...unchanged, status: 'SUPPRESSED', lastError: suppressed }, then: { kind: 'suppressed' } };
    if (row.channel === 'SMS' && row.recipient === 'YOUTH' && row.quietHours) {
      const now = this.now();
      const at = nextSendTime(now, timeZoneOfDepartement(row.context.youth.departement), row.quietHours);
      if (at > now)
        return {
          row,
          write: { ...unchanged, status: 'DELAYED', scheduledAt: at },
          then: { kind: 'delayed', delayMs: at.getTime() - now.getTime() },
        };
    }
    const attempts = row.attempts + 1;
    return {
      row,
      write: { ...unchanged, attempts, leaseUntil: new Date(Date.now() + SEND_LEASE_MS) },
      then: { kind: 'claimed', row, attempts },
    };
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
