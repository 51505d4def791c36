import { MESSAGE_CHANNELS, MessageChannel } from '@walt/domain';
import { publicBaseUrl } from './referral-link';
/** Outbound messaging settings, all from the environment (documented in the README). */
export { MESSAGE_CHANNELS };
export type MessageChannelName = MessageChannel;

export interface MessagingConfig {
  redisUrl: string;
  /** BullMQ key prefix: lets several systems (or test runs) share one Redis. */
  prefix: string;
  /** Sends per second per channel; undefined = no limit. */
  ratePerSecond: Partial<Record<MessageChannelName, number>>;
  maxAttempts: number;
  /** First retry delay; doubles at each attempt. */
  backoffMs: number;
  sweepIntervalMs: number;
  /**
   * Jobs processed at once per channel by one worker process (default 100). The processor's
   * PostgreSQL statements carry every job running at once (Batcher), at most two of each kind
   * in flight whatever this number, so more jobs at once means bigger batches, not more
   * connections: at 10, about 5 messages a statement; at 100, about 45 (bench/README.md,
   * "messaging"). A rate limit (SMS_RATE_PER_SECOND) still paces the sends; SMTP sends share a
   * pool of 5 connections.
   */
  concurrency: number;
  /** Mailbox of the counsellor team (COUNSELLOR recipients). */
  counsellorEmail?: string;
  /** Base of the links in messages (partner links, case pages). */
  publicBaseUrl: string;
}

const positive = (value: string | undefined, fallback?: number): number | undefined => {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Expected a positive number, got "${value}"`);
  return n;
};

export function messagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return {
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix: env.MESSAGE_QUEUE_PREFIX || 'walt',
    ratePerSecond: { SMS: positive(env.SMS_RATE_PER_SECOND), EMAIL: positive(env.EMAIL_RATE_PER_SECOND) },
    maxAttempts: Math.floor(positive(env.MESSAGE_MAX_ATTEMPTS, 5)!),
    backoffMs: positive(env.MESSAGE_BACKOFF_MS, 30_000)!,
    sweepIntervalMs: positive(env.MESSAGE_SWEEP_INTERVAL_MS, 60_000)!,
    concurrency: Math.floor(positive(env.MESSAGE_CONCURRENCY, 100)!),
    counsellorEmail: env.COUNSELLOR_EMAIL || undefined,
    publicBaseUrl: publicBaseUrl(env),
  };
}
