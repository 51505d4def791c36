/**
 * Messaging benchmark: 10,000 outbound messages through the real path (BullMQ queues per
 * channel → processor: claim in PostgreSQL, render, outbox adapter, SENT), limiter off, beside
 * BullMQ's bare add-and-process of 10,000 empty jobs on the same Redis, in the same run.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/messaging/run.ts
 *
 * BENCH_DATABASE_URL (default …/walt_bench_messaging, created if missing), REDIS_URL (its db;
 * keys under a per-run prefix, deleted at the end), BENCH_MESSAGES (10000), MESSAGE_CONCURRENCY
 * (100 per queue), DATABASE_POOL_SIZE (10). Writes bench/results/messaging.json.
 */
import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MESSAGE_CHANNELS, messagingConfig, OutboxAdapter } from '@walt/messaging';
import { initializeDataSource } from '@walt/persistence';
import { startMessaging } from '../../apps/worker/src/messaging/messaging';
import { countRoundTrips, RoundTrips } from './round-trips';

const COUNT = Number(process.env.BENCH_MESSAGES || 10_000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_messaging';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379/6';
const PREFIX = `walt-bench-${process.pid}`;
const CONCURRENCY = messagingConfig().concurrency;
const NOON_IN_PARIS = new Date('2026-01-15T11:00:00Z'); // SMS quiet hours never delay the run

async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = await new DataSource({ type: 'postgres', url: u.toString() }).initialize();
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!found.length) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  await admin.destroy();
}

async function seedMessages(ds: DataSource, count: number, tag: string): Promise<{ id: string; jobId: string; channel: string }[]> {
  await ds.query(`UPDATE outbound_messages SET status = 'SUPPRESSED' WHERE status IN ('QUEUED', 'DELAYED')`);
  const [{ id: youthId }] = await ds.query(
    `INSERT INTO youths (first_name, email, phone, postal_code, commune_code, diploma_level, situation, consent)
     VALUES ('Léa', 'lea.bench@example.org', '+33612345678', '75011', '75111', 'CAP_BEP', 'LOOKING_FOR_JOB',
             '{"dataProcessing":true,"shareWithPartners":true,"channels":["SMS","EMAIL"]}') RETURNING id`,
  );
  const [{ id: caseId }] = await ds.query(
    `INSERT INTO cases (id, youth_id, submission_id, stage, stage_entered_at, segment, eligible, age_at_capture, departement, region,
                        source_channel, policy_version)
     VALUES (gen_random_uuid(), $1, $2, 'ENGAGING', now(), 'CHOMEUR_CLASSIQUE', true, 20, '75', '11', 'INSTAGRAM', 1) RETURNING id`,
    [youthId, `bench-${tag}`],
  );
  const rows = await ds.query(
    `INSERT INTO outbound_messages (id, case_id, job_id, purpose, channel, recipient, status, scheduled_at)
     SELECT gen_random_uuid(), $1, $2 || ':' || i || ':0:' || ch, 'NUDGE_1', ch, 'YOUTH', 'QUEUED', now()
       FROM generate_series(1, $3::int) AS i, LATERAL (SELECT CASE WHEN i % 2 = 0 THEN 'SMS' ELSE 'EMAIL' END AS ch) c
     RETURNING id, job_id, channel`,
    [caseId, `bench-${tag}`, count],
  );
  return rows.map((r: { id: string; job_id: string; channel: string }) => ({ id: r.id, jobId: r.job_id, channel: r.channel }));
}

/** BullMQ alone: two queues of empty jobs, the same shape and concurrency as the channel queues. */
export async function bare(count: number, tag: string): Promise<number> {
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const names = [`bare-a-${tag}`, `bare-b-${tag}`];
  const queues = names.map((name) => new Queue(name, { connection, prefix: PREFIX }));
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const workerConnections = names.map(() => new IORedis(REDIS_URL, { maxRetriesPerRequest: null }));
  const workers = names.map(
    (name, n) => new Worker(name, async () => undefined, { connection: workerConnections[n], prefix: PREFIX, concurrency: CONCURRENCY }),
  );
  workers.forEach((w) => w.on('completed', () => ++done === count && finish()));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => i + k);
    await Promise.all(
      queues.map((q, n) =>
        q.addBulk(batch.filter((j) => j % 2 === n).map(() => ({ name: 'noop', data: {}, opts: { removeOnComplete: true } }))),
      ),
    );
  }
  await finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
  [connection, ...workerConnections].forEach((c) => c.disconnect());
  return seconds;
}

export async function messages(ds: DataSource, count: number, tag: string): Promise<number> {
  const rows = await seedMessages(ds, count, tag);
  const messaging = await startMessaging({
    dataSource: ds,
    env: { NODE_ENV: 'development', JWT_SECRET: 'bench-secret-0123456789' },
    config: { redisUrl: REDIS_URL, prefix: PREFIX, ratePerSecond: {}, sweepIntervalMs: 3_600_000, concurrency: CONCURRENCY },
    adapters: { SMS: new OutboxAdapter(ds, 'SMS', null), EMAIL: new OutboxAdapter(ds, 'EMAIL', null) },
    now: () => NOON_IN_PARIS,
    log: () => undefined,
  });
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  messaging.workers.forEach((w) => w.on('completed', () => ++done === count && finish()));
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += 1000) await messaging.dispatcher.enqueue(rows.slice(i, i + 1000));
  await finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await messaging.close();
  const [{ sent, outbox }] = await ds.query(
    `SELECT count(*) FILTER (WHERE m.status = 'SENT' AND m.attempts = 1)::int AS sent, count(o.id)::int AS outbox
       FROM outbound_messages m LEFT JOIN message_outbox o ON o.message_id = m.id WHERE m.id = ANY($1::uuid[])`,
    [rows.map((r) => r.id)],
  );
  if (sent !== count || outbox !== count) throw new Error(`expected ${count} sent once, got ${sent} sent and ${outbox} in the outbox`);
  return seconds;
}

async function main() {
  await ensureDatabase(DATABASE_URL);
  const ds = await initializeDataSource(DATABASE_URL);
  await ds.runMigrations({ transaction: 'each' });
  const tag = String(process.pid);
  try {
    // Warm-up: connections, prepared paths, JIT.
    await bare(500, `${tag}-warm`);
    await messages(ds, 500, `${tag}-warm`);

    const { result: bareSeconds, roundTrips: bareTrips } = await countRoundTrips(() => bare(COUNT, tag));
    const { result: messageSeconds, roundTrips: messageTrips } = await countRoundTrips(() => messages(ds, COUNT, tag));
    const rate = (s: number) => Math.round(COUNT / s);
    const perMessage = (t: RoundTrips) => ({
      postgres: Number((t.postgres / COUNT).toFixed(2)),
      redis: Number((t.redis / COUNT).toFixed(2)),
    });
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      messages: COUNT,
      channels: MESSAGE_CHANNELS,
      concurrencyPerQueue: CONCURRENCY,
      databasePoolSize: Number(process.env.DATABASE_POOL_SIZE || 10),
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
      bareBullmq: { seconds: Number(bareSeconds.toFixed(3)), perSecond: rate(bareSeconds), roundTripsPerJob: perMessage(bareTrips) },
      messaging: {
        seconds: Number(messageSeconds.toFixed(3)),
        perSecond: rate(messageSeconds),
        roundTripsPerMessage: perMessage(messageTrips),
      },
      /** How many times faster BullMQ alone is than the whole message path. */
      ratio: Number((messageSeconds / bareSeconds).toFixed(2)),
    };
    const trips = (t: { postgres: number; redis: number }) => `${t.postgres} PostgreSQL + ${t.redis} Redis round trips each`;
    console.log(
      `bare BullMQ : ${COUNT} empty jobs in ${result.bareBullmq.seconds}s → ${result.bareBullmq.perSecond} jobs/s (${trips(result.bareBullmq.roundTripsPerJob)})`,
    );
    console.log(
      `messaging   : ${COUNT} messages in ${result.messaging.seconds}s → ${result.messaging.perSecond} messages/s (${trips(result.messaging.roundTripsPerMessage)})`,
    );
    console.log(`load average: ${result.loadAverage.join(' ')}`);
    console.log(`ratio       : bare BullMQ is ×${result.ratio} the message path`);
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'messaging.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ds.destroy();
    const redis = new IORedis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}

// bench/programme reuses both paths on its own Redis and database.
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
