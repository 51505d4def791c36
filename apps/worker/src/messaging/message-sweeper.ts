import type { DataSource } from 'typeorm';
import { bullJobId, DispatchableMessage, QueueDispatcher } from '@walt/messaging';
import { PeriodicTask } from '../periodic-task';

/** Job states in which a pending message will never run again unless it is enqueued anew. */
const LOST = new Set(['unknown', 'completed', 'failed']);

/**
 * PostgreSQL is the source of truth, Redis only the transport: every N seconds, any message
 * still QUEUED or DELAYED whose job Redis no longer holds (a flush, a lost instance, a crash
 * between commit and enqueue) is enqueued again with the same job id. Running it when nothing
 * is lost changes nothing, and the processor skips rows already sent.
 */
export class MessageSweeper {
  private readonly periodic = new PeriodicTask(
    () => this.sweepOnce(),
    (err) => this.log(`[messaging] sweeper: ${err.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: QueueDispatcher,
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly batchSize = 500,
  ) {}

  /** Returns how many messages it enqueued again. */
  async sweepOnce(): Promise<number> {
    let requeued = 0;
    let after: { scheduledAt: Date; id: string } | undefined;
    for (;;) {
      const rows: { id: string; job_id: string; channel: string; scheduled_at: Date }[] = await this.dataSource.query(
        `SELECT id, job_id, channel, scheduled_at FROM outbound_messages
          WHERE status IN ('QUEUED', 'DELAYED') ${after ? 'AND (scheduled_at, id) > ($2, $3)' : ''}
          ORDER BY scheduled_at, id LIMIT $1`,
        after ? [this.batchSize, after.scheduledAt, after.id] : [this.batchSize],
      );
      if (!rows.length) break;
      const lost: DispatchableMessage[] = [];
      await Promise.all(
        rows.map(async (row) => {
          const queue = this.dispatcher.queueOf(row.channel);
          const id = bullJobId(row.job_id);
          const state = await queue.getJobState(id);
          if (!LOST.has(state)) return;
          if (state !== 'unknown') await queue.remove(id);
          lost.push({ id: row.id, jobId: row.job_id, channel: row.channel, scheduledAt: row.scheduled_at });
        }),
      );
      await this.dispatcher.enqueue(lost);
      requeued += lost.length;
      const last = rows[rows.length - 1];
      after = { scheduledAt: last.scheduled_at, id: last.id };
      if (rows.length < this.batchSize) break;
    }
    if (requeued) this.log(`[messaging] sweeper enqueued ${requeued} message(s) missing from Redis`);
    return requeued;
  }

  every(intervalMs: number): void {
    this.periodic.every(intervalMs);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
