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
import { claimMessages, loadMessages, MessageRow } from './message-context';

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
/** A claimed message that must not go now, given back: suppressed, or held until quiet hours end. */
interface GiveBack {
  row: MessageRow;
  write: { status: 'SUPPRESSED' | 'DELAYED'; lastError?: string; scheduledAt?: Date };
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
   * Claim (one conditional write that reads the message back), send (no transaction: a slow
   * provider never holds a database connection), settle. The claim counts the attempt and takes a lease, so a second
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
   * Claims every message of the batch in one statement (see `claimMessages`), then decides from
   * each claimed row: send it, or give it back (suppressed, held for quiet hours) with its
   * attempt uncounted, all give-backs in one more UPDATE. Only messages the claim did not take
   * are read again, to tell a settled one (skipped) from one another run is sending (wait for
   * its lease). The common case is one round trip for the whole batch. A message that appears
   * twice in the batch, or whose row changed between the two statements, answers 'again' and
   * is claimed anew in a later batch. (Leases are compared in SQL against this process's clock,
   * passed as `now`, the clock every lease is written with.)
   */
  private async claimBatch(messageIds: string[]): Promise<ClaimResult[]> {
    const db = this.options.dataSource;
    const now = new Date();
    const unique = [...new Set(messageIds)];
    const claimed = await claimMessages(db, unique, now, new Date(now.getTime() + SEND_LEASE_MS));
    const unclaimed = unique.filter((id) => !claimed.has(id));
    const others = unclaimed.length ? await loadMessages(db, unclaimed) : new Map<string, MessageRow>();
    const seen = new Set<string>();
    const results: (ClaimResult | GiveBack)[] = messageIds.map((id) => {
      if (seen.has(id)) return 'again';
      seen.add(id);
      const row = claimed.get(id);
      if (row) return this.decide(row);
      const other = others.get(id);
      if (!other || !PENDING.includes(other.status)) return { kind: 'skipped' };
      if (other.sendingUntil) return { kind: 'delayed', delayMs: Math.max(0, other.sendingUntil.getTime() - now.getTime()) };
      return 'again';
    });
    const giveBacks = results.filter((r): r is GiveBack => typeof r === 'object' && 'write' in r);
    const givenBack = giveBacks.length ? await this.giveBack(giveBacks) : new Set<string>();
    return results.map((r) => (typeof r === 'object' && 'write' in r ? (givenBack.has(r.row.id) ? r.then : 'again') : r));
  }

  /**
   * Writes the give-backs in one UPDATE, each only on a row still as this run's claim left it
   * (attempt count and lease): the attempt is uncounted and the lease released, since nothing
   * was tried. Answers the ids written.
   */
  private async giveBack(giveBacks: GiveBack[]): Promise<Set<string>> {
    const [changed]: [{ id: string }[], number] = await this.options.dataSource.query(
      `UPDATE outbound_messages m
          SET status = v.status, attempts = v.attempts - 1, sending_until = NULL, last_error = coalesce(v.last_error, m.last_error),
              scheduled_at = coalesce(v.scheduled_at, m.scheduled_at), updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[])
              AS v (id, attempts, sending_until, status, last_error, scheduled_at)
        WHERE m.id = v.id AND m.attempts = v.attempts AND m.sending_until = v.sending_until
       RETURNING m.id`,
      [
        giveBacks.map((g) => g.row.id),
        giveBacks.map((g) => g.row.attempts),
        giveBacks.map((g) => g.row.sendingUntil),
        giveBacks.map((g) => g.write.status),
        giveBacks.map((g) => g.write.lastError ?? null),
        giveBacks.map((g) => g.write.scheduledAt ?? null),
      ],
    );
    return new Set(changed.map((c) => c.id));
  }

  /** What to do with a message this run has just claimed: send it, or give it back (suppress, hold for quiet hours). */
  private decide(row: MessageRow): ClaimResult | GiveBack {
    const suppressed = this.suppression(row);
    if (suppressed) return { row, write: { status: 'SUPPRESSED', lastError: suppressed }, then: { kind: 'suppressed' } };
    if (row.channel === 'SMS' && row.recipient === 'YOUTH' && row.quietHours) {
      const now = this.now();
      const at = nextSendTime(now, timeZoneOfDepartement(row.context.youth.departement), row.quietHours);
      if (at > now)
        return { row, write: { status: 'DELAYED', scheduledAt: at }, then: { kind: 'delayed', delayMs: at.getTime() - now.getTime() } };
    }
    return { kind: 'claimed', row, attempts: row.attempts };
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
