import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { MESSAGE_CHANNELS, messagingConfig, QUEUE_BY_CHANNEL, QueueDispatcher } from '@walt/messaging';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueDepth = Record<(typeof QUEUE_STATES)[number], number>;

/** The outbound message queues as BullMQ counts them, for /ready and /metrics. */
@Injectable()
export class QueueDepths implements OnApplicationShutdown {
  // The dispatcher's queues and connection settings (no offline queue: a down Redis answers at once).
  private readonly dispatcher = new QueueDispatcher(messagingConfig(), () => undefined);

  async depths(): Promise<Record<string, QueueDepth>> {
    const entries = await Promise.all(
      MESSAGE_CHANNELS.map(async (channel) => {
        const counts = await this.dispatcher.queueOf(channel).getJobCounts(...QUEUE_STATES);
        return [QUEUE_BY_CHANNEL[channel], Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as QueueDepth] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
