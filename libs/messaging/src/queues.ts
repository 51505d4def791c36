import type { JobsOptions, RateLimiterOptions } from 'bullmq';
import type { MessageChannelName, MessagingConfig } from './config';

/** One BullMQ queue per channel, so each has its own rate limit. */
export const QUEUE_BY_CHANNEL: Readonly<Record<MessageChannelName, string>> = {
  SMS: 'outbound-sms',
  EMAIL: 'outbound-email',
};

/** The whole job: personal data is read from PostgreSQL at send time, never carried in Redis. */
export interface MessageJob {
  messageId: string;
}

/**
 * The BullMQ id of a message's job: its deterministic `job_id`, with `:` (which BullMQ reserves
 * for its keys) written `/`. Adding a job whose id exists is a no-op, so a repeat never sends twice.
 */
export const bullJobId = (jobId: string): string => jobId.replaceAll(':', '/');

export function jobOptions(config: Pick<MessagingConfig, 'maxAttempts' | 'backoffMs'>): JobsOptions {
  return {
    attempts: config.maxAttempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    // The outbound_messages row keeps the history; Redis keeps only what is still to do.
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
}

/**
 * A BullMQ limiter that keeps every 1-second window at or under `perSecond` sends: jobs are
 * spaced evenly (small bursts above 100/s) with a 10% margin that absorbs processing jitter,
 * so the provider never sees a burst at the edge of two windows.
 */
export function limiterFor(perSecond: number | undefined): RateLimiterOptions | undefined {
  if (!perSecond) return undefined;
  if (perSecond <= 100) return { max: 1, duration: Math.ceil(1100 / perSecond) };
  return { max: Math.floor(perSecond / 11), duration: 100 };
}
