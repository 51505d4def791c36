import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  adaptersFromEnv,
  ChannelAdapter,
  limiterFor,
  spacedTo,
  MESSAGE_CHANNELS,
  MessageChannelName,
  MessageJob,
  messagingConfig,
  MessagingConfig,
  partnerLinkSecret,
  QUEUE_BY_CHANNEL,
  QueueDispatcher,
  referralLinkUrl,
  signReferralLink,
} from '@walt/messaging';
import { jwtSecret } from '@walt/auth';
import { MessageProcessor } from './message.processor';
import { MessageSweeper } from './message-sweeper';

export interface MessagingOptions {
  dataSource: DataSource;
  env?: NodeJS.ProcessEnv;
  /** Overrides of the environment's settings (tests, benchmarks). */
  config?: Partial<MessagingConfig>;
  adapters?: Record<MessageChannelName, ChannelAdapter>;
  now?: () => Date;
  log?: (line: string) => void;
  /** Start the channel workers (default true); false gives a process that only enqueues. */
  process?: boolean;
}

export interface Messaging {
  config: MessagingConfig;
  dispatcher: QueueDispatcher;
  sweeper: MessageSweeper;
  workers: Worker<MessageJob>[];
  close(): Promise<void>;
}

/** The partner link of a referral, signed with the key the API verifies it with. */
export function partnerLinks(config: MessagingConfig, env: NodeJS.ProcessEnv) {
  const secret = partnerLinkSecret(jwtSecret(env), env);
  return (referralId: string, expiresAt: Date) =>
    referralLinkUrl(signReferralLink(referralId, expiresAt, secret), { PUBLIC_BASE_URL: config.publicBaseUrl });
}

/**
 * Outbound messaging in the worker process: one BullMQ worker per channel queue (each with
 * its rate limit), the one processor behind them, and the sweeper that re-enqueues from
 * PostgreSQL whatever Redis lost. Its dispatcher is what the journey activities enqueue with.
 */
export async function startMessaging(options: MessagingOptions): Promise<Messaging> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const config = { ...messagingConfig(env), ...options.config };
  const given = options.adapters ?? adaptersFromEnv(options.dataSource, env, log);
  const adapters = Object.fromEntries(
    MESSAGE_CHANNELS.map((channel) => [channel, spacedTo(given[channel], config.ratePerSecond[channel])]),
  ) as Record<MessageChannelName, ChannelAdapter>;
  const dispatcher = new QueueDispatcher(config, log);
  const processor = new MessageProcessor({
    dataSource: options.dataSource,
    adapters,
    dispatcher,
    config,
    linkFor: partnerLinks(config, env),
    now: options.now,
  });

  const connections: IORedis[] = [];
  const workers =
    options.process === false
      ? []
      : MESSAGE_CHANNELS.map((channel) => {
          const connection = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });
          connections.push(connection);
          const worker = new Worker<MessageJob>(QUEUE_BY_CHANNEL[channel], (job, token) => processor.process(job, token), {
            connection,
            prefix: config.prefix,
            concurrency: config.concurrency,
            limiter: limiterFor(config.ratePerSecond[channel]),
          });
          worker.on('error', (err) => log(`[messaging] ${channel} worker: ${err.message}`));
          return worker;
        });
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  for (const channel of MESSAGE_CHANNELS) {
    const rate = config.ratePerSecond[channel];
    log(`[messaging] ${channel}: ${adapters[channel].description}; ${rate ? `at most ${rate}/s` : 'no rate limit'}`);
  }
  if (!config.counsellorEmail) log('[messaging] COUNSELLOR_EMAIL is not set: messages to counsellors are suppressed');

  const sweeper = new MessageSweeper(options.dataSource, dispatcher, log);
  if (workers.length) sweeper.every(config.sweepIntervalMs);

  return {
    config,
    dispatcher,
    sweeper,
    workers,
    async close() {
      await sweeper.stop();
      await Promise.all(workers.map((w) => w.close()));
      connections.forEach((c) => c.disconnect());
      await dispatcher.close();
      await Promise.all(Object.values(adapters).map(async (a) => a.close?.()));
    },
  };
}
