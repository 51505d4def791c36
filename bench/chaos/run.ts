/**
 * Chaos run: journeys driven through the real API while a script of faults kills and restarts
 * every process, then per-journey consistency checks and a table (bench/README.md).
 *
 *   npm run build && npm run bench:chaos -- [journeys=200] [seed=12]
 *
 * It runs its own PostgreSQL (pg_ctl, port CHAOS_PG_PORT=5460, data under CHAOS_DIR), Redis
 * (6390, nothing on disk), Temporal dev server (7321, on a SQLite file), one API (3201) and the
 * workers from dist/, so it can kill any of them without disturbing anything else on the machine.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { signToken } from '../../libs/auth/src';
import { DEFAULT_POLICY, Policy } from '../../libs/domain/src';
import { loadSeedPartnersIfEmpty } from '../../libs/directory/src';
import { initializeDataSource, PoliciesRepository } from '../../libs/persistence/src';
import { temporalClient } from '../../libs/temporal/src';
import { aForm } from '../../test/support/forms';
import { checkConsistency } from './consistency';

const ROOT = join(__dirname, '..', '..');
const DIR = process.env.CHAOS_DIR ?? '/tmp/walt-chaos';
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 5460);
const REDIS_PORT = Number(process.env.CHAOS_REDIS_PORT ?? 6390);
const TEMPORAL_PORT = Number(process.env.CHAOS_TEMPORAL_PORT ?? 7321);
const API_PORT = Number(process.env.CHAOS_API_PORT ?? 3201);
const TEMPORAL_CLI = process.env.TEMPORAL_CLI ?? `${process.env.HOME}/.cache/walt/temporal-cli/v1.5.1/temporal`;
const JOURNEYS = Number(process.argv[2] ?? 200);
let seed = Number(process.argv[3] ?? 12);
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const DATABASE_URL = `postgres://postgres@127.0.0.1:${PG_PORT}/walt_chaos`;
const SECRET = 'walt-chaos-secret-0123456789';
const ENV = {
  ...process.env,
  NODE_ENV: 'test',
  DATABASE_URL,
  REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
  TEMPORAL_ADDRESS: `127.0.0.1:${TEMPORAL_PORT}`,
  JWT_SECRET: SECRET,
  PORT: String(API_PORT),
  INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
  MESSAGE_SWEEP_INTERVAL_MS: '3000',
  MESSAGE_BACKOFF_MS: '500',
  RECONCILE_INTERVAL_MS: '3000',
  MESSAGE_QUEUE_PREFIX: 'walt_chaos',
  WORKFLOW_BUNDLE_PATH: join(DIR, 'workflow-bundle.js'),
};
/** Compressed: a journey runs in about a minute; quiet hours never (start = end). */
const CHAOS_POLICY: Policy = {
  ...DEFAULT_POLICY,
  nudgeOffsets: ['PT0S', 'PT20S'],
  escalateUnresponsiveAfter: 'PT120S',
  closeUnreachableAfter: 'PT300S',
  partnerReminderAfter: 'PT5S',
  referralExpiresAfter: 'PT12S',
  maxReferralAttempts: 3,
  appointmentReminderBefore: 'PT1S',
  checkInOffsets: ['PT5S', 'PT10S', 'PT15S'],
  quietHours: { start: '00:00', end: '00:00' },
};

// ---------- processes ----------
const logs = join(DIR, 'logs');
const out = (name: string) => openSync(join(logs, `${name}.log`), 'a');
function start(name: string, cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { cwd: ROOT, env: ENV, stdio: ['ignore', out(name), out(name)] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
const children = new Set<ChildProcess>();
const pg = (...args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', join(DIR, 'pg'), ...args], { stdio: 'ignore' });
const startPostgres = () => pg('-o', `-p ${PG_PORT} -k ${DIR}`, '-l', join(logs, 'postgres.log'), '-w', 'start');
let redis: ChildProcess;
const startRedis = () => (redis = start('redis', 'redis-server', ['--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no']));
let temporal: ChildProcess;
const startTemporal = () =>
  (temporal = start('temporal', TEMPORAL_CLI, [
    ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(TEMPORAL_PORT), '--headless', '--log-level', 'warn'],
    ...['--db-filename', join(DIR, 'temporal.db'), '--search-attribute', 'JourneyStage=Keyword'],
    ...['--search-attribute', 'Segment=Keyword', '--search-attribute', 'Departement=Keyword'],
  ]));
let api: ChildProcess;
const startApi = () => (api = start('api', 'node', ['dist/apps/api/src/main.js']));
const workers: ChildProcess[] = [];
const startWorker = () => workers.push(start('worker', 'node', ['dist/apps/worker/src/main.js']));
const kill = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s (logs in ${logs})`);
}
const apiUp = async () => (await fetch(`http://127.0.0.1:${API_PORT}/health`)).ok;

// ---------- the client side: every call retried with the same key ----------
const http = async (method: string, path: string, token: string | undefined, body?: object, key = randomUUID()) => {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${API_PORT}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method !== 'GET' ? { 'idempotency-key': key } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(20_000),
      });
      const json: any = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
      // Ours to retry: the API or what it depends on is down, or the key's first attempt still runs.
      const busy = res.status === 409 && json?.details?.[0]?.field === 'Idempotency-Key' && res.headers.get('retry-after');
      if (res.status < 500 && !busy) return { status: res.status, body: json };
      stats.retries += 1;
    } catch {
      stats.retries += 1; // connection refused or reset: the API was killed
    }
    if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer for 3 minutes`);
    await sleep(500);
  }
};
const stats = { retries: 0 };
const counsellor = signToken({ sub: 'chaos-counsellor', role: 'counsellor' }, SECRET, '4h');
const partnerToken = (partnerId: string) => signToken({ sub: `chaos-${partnerId}`, role: 'partner', partnerId }, SECRET, '4h');

type Script = 'accept' | 'declineThenAccept' | 'expire' | 'close';
interface Journey {
  caseId: string;
  script: Script;
  closedBy?: string;
  error?: string;
}

async function referralOf(caseId: string, attempt: number, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await http('GET', `/v1/cases/${caseId}`, counsellor);
    const referral = res.body?.referrals?.find((r: { attempt: number }) => r.attempt === attempt);
    if (referral?.status === 'PENDING') return referral as { referralId: string; partnerId: string };
    if (['NEEDS_COUNSELLOR', 'CLOSED'].includes(res.body?.stage)) return undefined;
    if (referral && referral.status !== 'PENDING') return undefined;
    await sleep(1000);
  }
  return undefined;
}

/** One young person's journey, by its script; whatever happens, it ends closed by a counsellor or an outcome. */
async function play(journey: Journey): Promise<void> {
  const { caseId } = journey;
  await sleep(between(0, 3000));
  await http('POST', `/v1/cases/${caseId}/contacts`, counsellor, { channel: 'PHONE', reached: true });
  if (journey.script === 'close') {
    const closed = await http('POST', `/v1/cases/${caseId}/close`, counsellor, { reason: 'WITHDRAWN' });
    if (closed.status !== 200) journey.error = `close refused: ${closed.status} ${JSON.stringify(closed.body).slice(0, 200)}`;
    return;
  }
  for (let attempt = 1; attempt <= CHAOS_POLICY.maxReferralAttempts; attempt++) {
    const referral = await referralOf(caseId, attempt);
    if (!referral) break;
    const partner = partnerToken(referral.partnerId);
    const base = `/v1/partner/referrals/${referral.referralId}`;
    if (attempt === 1 && journey.script === 'expire') continue; // no answer: reminder, expiry, next partner
    if (attempt === 1 && journey.script === 'declineThenAccept') {
      await http('POST', `${base}/decline`, partner, { reason: 'CAPACITY_FULL' });
      continue;
    }
    const accepted = await http('POST', `${base}/accept`, partner, {});
    if (accepted.status !== 200) continue; // expired meanwhile (a fault stalled us): the next partner
    // Attendance waits for the journey to take the acceptance in (409 until then).
    let attended = await http('POST', `${base}/attendance`, partner, { attended: true });
    for (let i = 0; i < 120 && attended.status !== 200; i++) {
      await sleep(1000);
      attended = await http('POST', `${base}/attendance`, partner, { attended: true });
    }
    if (attended.status !== 200) journey.error = `attendance refused: ${attended.status} ${JSON.stringify(attended.body).slice(0, 200)}`;
    const outcome = await http('POST', `${base}/outcome`, partner, { outcome: 'EMPLOYMENT' });
    if (outcome.status === 200) return;
    break;
  }
  const closed = await http('POST', `/v1/cases/${caseId}/close`, counsellor, { reason: 'WITHDRAWN' });
  if (closed.status !== 200) journey.error = `close refused: ${closed.status} ${JSON.stringify(closed.body).slice(0, 200)}`;
}

// ---------- faults ----------
type FaultKind =
  'worker SIGKILL' | 'second worker, killed' | 'API SIGKILL' | 'Temporal restart' | 'Redis restart (empty)' | 'PostgreSQL restart';
const faults: { kind: FaultKind; at: number; recoveredMs?: number }[] = [];

async function eventCount(db: Awaited<ReturnType<typeof initializeDataSource>>): Promise<number> {
  return Number((await db.query('SELECT count(*) AS n FROM journey_events'))[0].n);
}

async function inject(kind: FaultKind, db: Awaited<ReturnType<typeof initializeDataSource>>) {
  const fault: (typeof faults)[number] = { kind, at: Date.now() };
  faults.push(fault);
  const before = await eventCount(db).catch(() => -1);
  switch (kind) {
    case 'worker SIGKILL':
      await kill(workers.shift());
      await sleep(between(500, 5000));
      startWorker();
      break;
    case 'second worker, killed':
      startWorker();
      await sleep(between(8000, 15000));
      await kill(workers.shift());
      break;
    case 'API SIGKILL':
      await kill(api);
      await sleep(between(500, 3000));
      startApi();
      await until('the API', apiUp);
      break;
    case 'Temporal restart':
      await kill(temporal);
      await sleep(between(1000, 4000));
      startTemporal();
      break;
    case 'Redis restart (empty)':
      await kill(redis);
      await sleep(between(500, 2000));
      startRedis();
      break;
    case 'PostgreSQL restart':
      pg('-m', 'fast', '-w', 'restart');
      break;
  }
  // Recovered: journeys write events again (a new event in PostgreSQL after the fault).
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const now = await eventCount(db).catch(() => -1);
    if (now > before && before >= 0) break;
    await sleep(250);
  }
  fault.recoveredMs = Date.now() - fault.at;
  console.log(`[chaos] ${kind}: events flowing again after ${(fault.recoveredMs / 1000).toFixed(1)} s`);
}

async function main() {
  mkdirSync(logs, { recursive: true });
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first: the chaos run starts dist/');
  execFileSync('chown', ['-R', 'postgres', DIR]);
  if (!existsSync(join(DIR, 'pg'))) {
    mkdirSync(join(DIR, 'pg'));
    execFileSync('chown', ['postgres', join(DIR, 'pg')]);
    execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/initdb`, '-D', join(DIR, 'pg'), '-U', 'postgres', '--auth=trust'], {
      stdio: 'ignore',
    });
  }
  startPostgres();
  execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(PG_PORT),
      '-U',
      'postgres',
      '-c',
      'DROP DATABASE IF EXISTS walt_chaos',
      '-c',
      'CREATE DATABASE walt_chaos',
    ],
    {
      stdio: 'ignore',
    },
  );
  startRedis();
  execFileSync('rm', ['-f', join(DIR, 'temporal.db')]);
  startTemporal();
  process.env.DATABASE_URL = DATABASE_URL;
  const db = await initializeDataSource(DATABASE_URL);
  await db.runMigrations({ transaction: 'each' });
  await loadSeedPartnersIfEmpty(db);
  await new PoliciesRepository(db).create(CHAOS_POLICY, 'chaos');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), ignoreModules: ['typeorm', 'pg'] });
  writeFileSync(ENV.WORKFLOW_BUNDLE_PATH, code);
  await until('Temporal', async () => {
    const c = await Connection.connect({ address: ENV.TEMPORAL_ADDRESS, connectTimeout: 1000 });
    await c.close();
    return true;
  });
  startWorker();
  startApi();
  await until('the API', apiUp);
  console.log(`[chaos] services up; ${JOURNEYS} journeys, seed ${process.argv[3] ?? 12}`);

  const scripts: Script[] = ['accept', 'declineThenAccept', 'expire', 'close'];
  const journeys: Journey[] = [];
  const playing: Promise<void>[] = [];
  const started = Date.now();
  let stop = false;
  const faultScript = (async () => {
    const plan: FaultKind[] = [
      ...Array(10).fill('worker SIGKILL'),
      'second worker, killed',
      'API SIGKILL',
      'API SIGKILL',
      'API SIGKILL',
      'Temporal restart',
      'Redis restart (empty)',
      'PostgreSQL restart',
    ];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = between(0, i + 1);
      [plan[i], plan[j]] = [plan[j], plan[i]];
    }
    for (const kind of plan) {
      if (stop) break;
      await sleep(between(3000, 9000));
      await inject(kind, db);
    }
  })();
  for (let i = 0; i < JOURNEYS; i++) {
    const form = aForm();
    const res = await http('POST', '/v1/intake/forms', undefined, form);
    if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
    const journey: Journey = { caseId: res.body.caseId, script: scripts[i % scripts.length] };
    journeys.push(journey);
    playing.push(play(journey).catch((err) => void (journey.error = (err as Error).message)));
    await sleep(between(50, 400));
  }
  await Promise.all(playing);
  stop = true;
  await faultScript;
  const playedMs = Date.now() - started;

  // ---------- consistency checks ----------
  await sleep(15_000); // the last messages through the sweeper and the channels
  const temporal = temporalClient(await Connection.connect({ address: ENV.TEMPORAL_ADDRESS }));
  const report = await checkConsistency({
    db,
    temporal,
    journeys: journeys.map(({ caseId, error }) => ({ caseId, error, expectedStage: 'CLOSED' })),
  });
  const { problems } = report;

  const byKind = new Map<FaultKind, number[]>();
  for (const f of faults) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.recoveredMs ?? NaN]);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const table = [
    '| fault | injected | recovery (max) | recovery (median) |',
    '|---|---:|---:|---:|',
    ...[...byKind].map(([kind, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return `| ${kind} | ${times.length} | ${s(sorted[sorted.length - 1])} | ${s(sorted[Math.floor(sorted.length / 2)])} |`;
    }),
    '',
    '| journeys | completed | lost | duplicated events | duplicate messages | unsent messages | referrals PENDING past expiry | longest stall after a fault | client retries | run time |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${report.journeys} | ${report.completed} | ${report.lost} | ${report.duplicatedEvents} | ${report.duplicateMessages} | ${report.unsentMessages} | ${report.pendingPastExpiry} | ${s(Math.max(...faults.map((f) => f.recoveredMs ?? 0)))} | ${stats.retries} | ${s(playedMs)} |`,
  ].join('\n');
  console.log(`\n${table}\n`);
  if (problems.length) console.log(`[chaos] ${problems.length} problem(s):\n  ${problems.slice(0, 50).join('\n  ')}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/chaos.md'), `${table}\n\n${problems.join('\n')}\n`);
  await temporal.connection.close();
  await db.destroy();
  process.exitCode = problems.length ? 1 : 0;
}

async function stopAll() {
  await Promise.all([...children].map(kill));
  try {
    pg('-m', 'fast', '-w', 'stop');
  } catch {
    // already stopped
  }
}

main()
  .catch((err) => {
    console.error(`[chaos] ${(err as Error).stack}`);
    process.exitCode = 1;
  })
  .finally(() => stopAll().then(() => process.exit()));
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
