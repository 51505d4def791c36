import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { JourneyStarter } from './journey-starter';
import { TASK_QUEUE } from './names';

/** The default bound on the journeys' workflow backlog (JOURNEY_START_MAX_BACKLOG). */
export const DEFAULT_MAX_BACKLOG = 50;

/**
 * How many new journeys Temporal can take now. A journey's first workflow task waits in the task
 * queue's backlog behind every other one, and so does any task that falls back there from a busy
 * worker's sticky queue, such as the one that runs a counsellor's or a partner's update. When
 * forms come faster than the workers take journeys (a campaign's peak), that backlog grows and
 * people's actions wait behind it: over a minute in bench/soak. With a bound, intake leaves the
 * start of a journey beyond it to the reconciler, which starts the oldest cases as room frees up:
 * the excess waits in PostgreSQL, in order, and the backlog stays short.
 */
export class JourneyAdmission {
  private places = 0;
  private readAt = -Infinity;
  private reading?: Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly maxBacklog = DEFAULT_MAX_BACKLOG,
    private readonly taskQueue = TASK_QUEUE,
    /** The backlog is read at most this often; the places taken in between are counted here. */
    private readonly readEveryMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!Number.isInteger(maxBacklog) || maxBacklog < 1) {
      throw new Error(`JOURNEY_START_MAX_BACKLOG must be a whole number of at least 1, got "${maxBacklog}"`);
    }
  }

  /** Takes a place for one journey's start if there is one. */
  async admit(): Promise<boolean> {
    if (this.now() - this.readAt > this.readEveryMs) {
      this.reading ??= this.read().finally(() => (this.reading = undefined));
      await this.reading;
    }
    if (this.places <= 0) return false;
    this.places -= 1;
    return true;
  }

  /** A backlog that cannot be read admits: the start itself then says what is wrong, and the reconciler retries. */
  private async read(): Promise<void> {
    try {
      this.places = this.maxBacklog - (await this.backlog());
    } catch {
      this.places = Infinity;
    }
    this.readAt = this.now();
  }

  /** The workflow tasks waiting in the queue, as the server counts them (approximate: it can lag the starts by a moment). */
  async backlog(): Promise<number> {
    const { stats } = await this.client.workflowService.describeTaskQueue({
      namespace: this.client.options.namespace,
      taskQueue: { name: this.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    });
    return Number(stats?.approximateBacklogCount ?? 0);
  }
}

/** A starter that starts only what the admission lets through; the rest is the reconciler's (resolves without starting). */
export function admittedStarter(starter: Pick<JourneyStarter, 'start'>, admission: JourneyAdmission): Pick<JourneyStarter, 'start'> {
  return {
    async start(kase, policy) {
      if (await admission.admit()) await starter.start(kase, policy);
    },
  };
}

export function maxBacklogFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return env.JOURNEY_START_MAX_BACKLOG ? Number(env.JOURNEY_START_MAX_BACKLOG) : DEFAULT_MAX_BACKLOG;
}
