/**
 * Chaos run: journeys driven through the real API while a script of faults kills and restarts
 * every process, then per-journey consistency checks (consistency.ts) and a table (bench/README.md).
 *
 *   npm run build && npm run bench:chaos -- [journeys=200] [seed=12]
 *
 * It runs its own PostgreSQL (pg_ctl, port CHAOS_PG_PORT=5460, data under CHAOS_DIR), Redis
 * (CHAOS_REDIS_PORT=6390, nothing on disk), Temporal dev server (CHAOS_TEMPORAL_PORT=7321, on a
 * SQLite file), one API (CHAOS_API_PORT=3201) and the workers from dist/, so it can kill any of
 * them without disturbing anything else on the machine. Results: bench/results/chaos.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { initializeDataSource } from '../../libs/persistence/src';
import { temporalClient } from '../../libs/temporal/src';
import { Actors, Journey, SCRIPTS } from './actors';
import { checkConsistency } from './consistency';
import { Fault, FaultKind, inject } from './faults';
import { chaosPolicy, prepareDatabase, writeWorkflowBundle } from './prepare';
import { ChaosSystem, ROOT } from './system';

const DIR = process.env.CHAOS_DIR ?? '/tmp/walt-chaos';
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 5460);
const JOURNEYS = Number(process.argv[2] ?? 200);
const SEED = Number(process.argv[3] ?? 12);
let seed = SEED;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SECRET = 'walt-chaos-secret-0123456789';
const POLICY = chaosPolicy(process.env.CHAOS_REFERRAL_EXPIRY ?? 'PT60S');
/** Between two forms: the run's load stays what one worker on a busy 2-core machine keeps up with. */
const INTAKE_GAP_MS: [number, number] = [400, 1600];
const FAULT_GAP_MS: [number, number] = [5000, 12000];

const system = new ChaosSystem({
  dir: DIR,
  databaseUrl: `postgres://postgres@127.0.0.1:${PG_PORT}/walt_chaos`,
  pgPort: PG_PORT,
  pgBin: PG_BIN,
  redisPort: Number(process.env.CHAOS_REDIS_PORT ?? 6390),
  temporalPort: Number(process.env.CHAOS_TEMPORAL_PORT ?? 7321),
  apiPort: Number(process.env.CHAOS_API_PORT ?? 3201),
  temporalCli: process.env.TEMPORAL_CLI ?? `${process.env.HOME}/.cache/walt/temporal-cli/v1.5.1/temporal`,
  env: {
    JWT_SECRET: SECRET,
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
    MESSAGE_SWEEP_INTERVAL_MS: '3000',
    MESSAGE_BACKOFF_MS: '500',
    RECONCILE_INTERVAL_MS: '3000',
    MESSAGE_QUEUE_PREFIX: 'walt_chaos',
    WORKFLOW_BUNDLE_PATH: join(DIR, 'workflow-bundle.js'),
  },
});

async function startPostgres() {
  execFileSync('mkdir', ['-p', DIR]);
  execFileSync('chown', ['-R', 'postgres', DIR]);
  if (!existsSync(join(DIR, 'pg'))) {
    mkdirSync(join(DIR, 'pg'));
    execFileSync('chown', ['postgres', join(DIR, 'pg')]);
    execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/initdb`, '-D', join(DIR, 'pg'), '-U', 'postgres', '--auth=trust'], {
      stdio: 'ignore',
    });
  }
  system.startPostgres();
  const psql = ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres'];
  execFileSync('psql', [...psql, '-c', 'DROP DATABASE IF EXISTS walt_chaos', '-c', 'CREATE DATABASE walt_chaos'], { stdio: 'ignore' });
}

async function main() {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first: the chaos run starts dist/');
  await startPostgres();
  system.startRedis();
  execFileSync('rm', ['-f', join(DIR, 'temporal.db')]);
  system.startTemporal();
  const db = await initializeDataSource(system.env.DATABASE_URL);
  await prepareDatabase(db, POLICY);
  await writeWorkflowBundle(system.env.WORKFLOW_BUNDLE_PATH);
  await system.temporalUp();
  system.startWorker();
  await system.startApi();
  await system.apiUp();
  console.log(`[chaos] services up; ${JOURNEYS} journeys, seed ${SEED}; load average ${loadAverage()}`);

  const actors = new Actors({ apiUrl: system.apiUrl, jwtSecret: SECRET, maxReferralAttempts: POLICY.maxReferralAttempts, random });
  const journeys: Journey[] = [];
  const playing: Promise<void>[] = [];
  const play = (journey: Journey) => {
    journeys.push(journey);
    playing.push(actors.play(journey).catch((err) => void (journey.error = (err as Error).message)));
  };
  const nextScript = () => SCRIPTS[journeys.length % SCRIPTS.length];
  const started = Date.now();
  const faults: Fault[] = [];
  const faultScript = (async () => {
    const plan: FaultKind[] = [
      ...Array(10).fill('worker SIGKILL'),
      'second worker, killed',
      'API SIGKILL',
      'API SIGKILL',
      'API SIGKILL between commit and start',
      'API SIGKILL between commit and start',
      'Temporal restart',
      'Redis restart (empty)',
      'PostgreSQL restart',
    ];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = between(0, i + 1);
      [plan[i], plan[j]] = [plan[j], plan[i]];
    }
    for (const kind of plan) {
      await sleep(between(...FAULT_GAP_MS));
      // The lost-start fault needs a form to hold; after the last form, it sends one of its own.
      const fault = await inject(kind, { system, db, actors, random, adopt: play, nextScript });
      faults.push(fault);
      console.log(`[chaos] ${kind}: events flowing again after ${(fault.recoveredMs! / 1000).toFixed(1)} s`);
    }
  })();
  for (let i = 0; i < JOURNEYS; i++) {
    play(await actors.intake(nextScript()));
    await sleep(between(...INTAKE_GAP_MS));
  }
  await faultScript;
  // Journeys adopted by the fault script join `playing` while it runs: wait until none is added.
  for (let n = -1; n !== playing.length;) {
    n = playing.length;
    await Promise.all(playing);
  }
  const playedMs = Date.now() - started;
  console.log(`[chaos] journeys played in ${(playedMs / 1000).toFixed(0)} s; checking`);

  await sleep(15_000); // the last messages through the sweeper and the channels
  const temporal = temporalClient(await Connection.connect({ address: system.env.TEMPORAL_ADDRESS }));
  const report = await checkConsistency({
    db,
    temporal,
    journeys: journeys.map(({ caseId, error, startLost }) => ({ caseId, error, startLost, expectedStage: 'CLOSED' })),
  });
  const { problems } = report;

  const byKind = new Map<FaultKind, number[]>();
  for (const f of faults) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.recoveredMs ?? NaN]);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const longestStall = Math.max(...faults.map((f) => f.recoveredMs ?? 0));
  const table = [
    '| fault | injected | recovery (max) | recovery (median) |',
    '|---|---:|---:|---:|',
    ...[...byKind].map(([kind, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return `| ${kind} | ${times.length} | ${s(sorted[sorted.length - 1])} | ${s(sorted[Math.floor(sorted.length / 2)])} |`;
    }),
    '',
    '| journeys | completed | lost | duplicated events | duplicate messages | unsent messages | referrals PENDING past expiry | starts lost | started by the reconciler | not started | longest stall after a fault | client retries | processes that died by themselves | run time |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${report.journeys} | ${report.completed} | ${report.lost} | ${report.duplicatedEvents} | ${report.duplicateMessages} | ${report.unsentMessages} | ${report.pendingPastExpiry} | ${report.lostStarts} | ${report.startedLate.length} | ${report.notStarted.length} | ${s(longestStall)} | ${actors.retries} | ${JSON.stringify(system.exits)} | ${s(playedMs)} |`,
  ].join('\n');
  console.log(`\n${table}\n`);
  if (problems.length) console.log(`[chaos] ${problems.length} problem(s):\n  ${problems.slice(0, 50).join('\n  ')}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const faultsByKind = Object.fromEntries(
    [...byKind].map(([kind, times]) => [kind, { injected: times.length, recoveryMs: times.map((t) => Math.round(t)) }]),
  );
  const { notStarted, startedLate, ...counts } = report;
  writeFileSync(
    join(ROOT, 'bench/results/chaos.json'),
    `${JSON.stringify(
      {
        seed: SEED,
        policy: POLICY,
        loadAverage: loadAverage(),
        runTimeMs: playedMs,
        faults: faultsByKind,
        longestStallMs: longestStall,
        clientRetries: actors.retries,
        processesThatDiedByThemselves: system.exits,
        ...counts,
        notStarted,
        startedByReconciler: startedLate.length,
        table,
      },
      null,
      2,
    )}\n`,
  );
  await temporal.connection.close();
  await db.destroy();
  process.exitCode = problems.length ? 1 : 0;
}

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

main()
  .catch((err) => {
    console.error(`[chaos] ${(err as Error).stack}`);
    process.exitCode = 1;
  })
  .finally(() => system.stop().then(() => process.exit()));
process.on('SIGINT', () => void system.stop().then(() => process.exit(130)));
