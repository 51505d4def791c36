import { Job, Queue } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { MESSAGE_CHANNELS, MessageChannelName, MessagingConfig } from './config';
import { bullJobId, jobOptions, MessageJob, QUEUE_BY_CHANNEL } from './queues';

/** What the dispatcher needs of an outbound_messages row. */
export interface DispatchableMessage {
  id: string;
  jobId: string;
  channel: string;
  /** A future time (quiet hours) delays the job until then. */
  scheduledAt?: Date | null;
}

/** Puts committed outbound_messages rows on their queue. */
export interface MessageDispatcher {
  dispatch(messages: DispatchableMessage[]): Promise<void>;
}

/**
 * Enqueues rows as BullMQ jobs with their deterministic id. `enqueue` throws when Redis is down;
 * `dispatch` (what activities call after their commit) only logs, since the row is already safe
 * in PostgreSQL and the worker's sweeper enqueues whatever is missing.
 */
export class QueueDispatcher implements MessageDispatcher {
  readonly queues: Record<MessageChannelName, Queue<MessageJob>>;
  private readonly connection: Redis;

  constructor(
    private readonly config: MessagingConfig,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {
    // Fail fast rather than queue commands while Redis is away: the sweeper catches up.
    this.connection = new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.connection.on('error', () => undefined);
    this.queues = Object.fromEntries(
      MESSAGE_CHANNELS.map((channel) => [
        channel,
        new Queue<MessageJob>(QUEUE_BY_CHANNEL[channel], { connection: this.connection, prefix: config.prefix }),
      ]),
    ) as QueueDispatcher['queues'];
  }

  queueOf(channel: string): Queue<MessageJob> {
    const queue = this.queues[channel as MessageChannelName];
    if (!queue) throw new Error(`No queue for channel ${channel}`);
    return queue;
  }

  /**
   * All the messages' jobs, whatever their channel, in one pipeline: one round trip to Redis
   * (BullMQ's `addBulk` takes one per queue). Each job is added by BullMQ's own script, so an
   * id already in a queue stays a no-op. A message of an unknown channel throws, after the others.
   */
  async enqueue(messages: DispatchableMessage[], now = Date.now()): Promise<void> {
    const options = jobOptions(this.config);
    const known = messages.filter((m) => MESSAGE_CHANNELS.includes(m.channel as MessageChannelName));
    if (known.length) {
      const queues = known.map((m) => this.queueOf(m.channel));
      // The queues share one connection, so BullMQ's client of any of them (its scripts loaded)
      // pipelines for all; addJob queues its command at once and answers once the pipeline ran.
      const [client] = await Promise.all([...new Set(queues)].map((q) => q.client));
      const pipeline = client.pipeline();
      const added = known.map((m, i) => {
        const jobId = bullJobId(m.jobId);
        const opts = { ...options, jobId, delay: Math.max(0, (m.scheduledAt?.getTime() ?? now) - now) };
        return new Job<MessageJob>(queues[i], 'send', { messageId: m.id }, opts, jobId).addJob(pipeline);
      });
      await Promise.all([pipeline.exec(), ...added]);
    }
    const unknown = messages.find((m) => !known.includes(m));
    if (unknown) throw new Error(`No queue for channel ${unknown.channel}`);
  }

  async dispatch(messages: DispatchableMessage[]): Promise<void> {
    if (!messages.length) return;
    try {
      await this.enqueue(messages);
    } catch (err) {
      this.log(`[messaging] could not enqueue ${messages.length} message(s), the sweeper will: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}
