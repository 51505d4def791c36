/**
 * The chaos run in small (bench/chaos has the 200-journey one): 16 journeys through the real API
 * and worker processes (dist/, built by infra/test.sh first), while the worker is SIGKILLed twice,
 * the API once with a workflow start in flight (the start is lost: the reconciler's), and a
 * Redis of the test's own is restarted empty. Faults fire at journey milestones, not at instants,
 * so the run plays the same way on a quiet or a busy machine. Then the consistency checks.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { initializeDataSource } from '@walt/persistence';
import { temporalClient } from '@walt/temporal';
import { Actors, Journey, SCRIPTS } from '../bench/chaos/actors';
import { checkConsistency, ConsistencyReport } from '../bench/chaos/consistency';
import { Fault, FaultKind, inject } from '../bench/chaos/faults';
import { chaosPolicy, prepareDatabase } from '../bench/chaos/prepare';
import { ChaosSystem, freePort, ROOT } from '../bench/chaos/system';

const JOURNEYS = 16;
const SECRET = 'walt-chaos-test-secret-0123456789';
const POLICY = chaosPolicy('PT15S');
let seed = 12;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function milestone(what: string, reached: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!reached()) {
    if (Date.now() > deadline) throw new Error(`the chaos run never reached: ${what}`);
    await sleep(100);
  }
}

describe('chaos: journeys survive SIGKILLed workers and API, a lost start and an emptied Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walt-chaos-test-'));
  const databaseUrl = `${process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/walt_test'}_chaos`;
  let system: ChaosSystem;
  let db: DataSource;
  let report: ConsistencyReport;
  const journeys: Journey[] = [];
  const faults: Fault[] = [];
  let passed = false;
  let stopActors = () => undefined as void;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js')) || !existsSync(join(ROOT, 'dist/apps/worker/src/main.js'))) {
      throw new Error('the chaos test runs the built API and worker: `npm run build` first (infra/test.sh does it)');
    }
    const temporalCli = process.env.TEMPORAL_CLI;
    if (!temporalCli) throw new Error('TEMPORAL_CLI is not set: run the test with infra/test.sh, which finds or builds the Temporal CLI');
    const admin = new PgClient({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    const name = new URL(databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();

    system = new ChaosSystem({
      dir,
      databaseUrl,
      redisPort: await freePort(),
      temporalPort: await freePort(),
      apiPort: await freePort(),
      temporalCli,
      env: {
        JWT_SECRET: SECRET,
        INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
        MESSAGE_SWEEP_INTERVAL_MS: '1000',
        MESSAGE_BACKOFF_MS: '200',
        RECONCILE_INTERVAL_MS: '1000',
        MESSAGE_QUEUE_PREFIX: 'walt_chaos',
        // The suite's global setup bundled the workflows once: every worker start loads that.
        WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH ?? '',
      },
    });
    system.startRedis();
    system.startTemporal();
    db = await initializeDataSource(databaseUrl);
    await prepareDatabase(db, POLICY);
    await system.temporalUp();
    system.startWorker();
    await system.startApi();
    await system.apiUp();
  }, 180_000);

  afterAll(async () => {
    stopActors();
    await system?.stop();
    await db?.destroy();
    // A failed run keeps its logs and Temporal's SQLite file (histories) to look into.
    if (passed) rmSync(dir, { recursive: true, force: true });
    else console.log(`[chaos] logs and Temporal's database kept in ${dir}; faults: ${JSON.stringify(faults)}`);
  });

  it('plays every journey to its end, and the checks find nothing', async () => {
    const actors = new Actors({ apiUrl: system.apiUrl, jwtSecret: SECRET, maxReferralAttempts: POLICY.maxReferralAttempts, random });
    stopActors = () => actors.stop();
    const playing: Promise<void>[] = [];
    const play = (journey: Journey) => {
      journeys.push(journey);
      playing.push(actors.play(journey).catch((err) => void (journey.error = (err as Error).message)));
    };
    const nextScript = () => SCRIPTS[journeys.length % SCRIPTS.length];
    const fault = async (kind: FaultKind) => faults.push(await inject(kind, { system, db, actors, random, adopt: play, nextScript }));
    const atLeast = (n: number, steps: number) => () => journeys.filter((j) => j.steps >= steps).length >= n;

    const intakes = (async () => {
      for (let i = 0; i < JOURNEYS - 1; i++) {
        play(await actors.intake(nextScript()));
        await sleep(200 + Math.floor(random() * 300));
      }
    })();
    await milestone('4 contacts logged', atLeast(4, 2));
    await fault('worker SIGKILL');
    await milestone('6 journeys with a referral', atLeast(6, 3));
    await fault('API SIGKILL between commit and start'); // the 16th journey, its start lost
    await fault('Redis restart (empty)');
    await milestone('4 journeys past their outcome or a second referral', atLeast(4, 4));
    await fault('worker SIGKILL');
    await intakes;
    for (let n = -1; n !== playing.length;) {
      n = playing.length;
      await Promise.all(playing);
    }
    await sleep(3000); // the last messages through the sweeper
    // A step write in flight on a killed worker is retried once its attempt times out (30 s, no
    // heartbeat for a short write): the journey may be CLOSED in its workflow a while before the row.
    const caseIds = journeys.map((j) => j.caseId);
    const open = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM cases WHERE id = ANY($1) AND stage <> 'CLOSED'`, [caseIds]))[0].n);
    for (const deadline = Date.now() + 60_000; (await open()) > 0 && Date.now() < deadline;) await sleep(1000);

    const temporal = temporalClient(await Connection.connect({ address: system.env.TEMPORAL_ADDRESS }));
    try {
      report = await checkConsistency({
        db,
        temporal,
        journeys: journeys.map(({ caseId, error, startLost }) => ({ caseId, error, startLost, expectedStage: 'CLOSED' })),
      });
    } finally {
      await temporal.connection.close();
    }
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ journeys: JOURNEYS, completed: JOURNEYS, lost: 0, lostStarts: 1, notStarted: [] });
    // The lost start was the reconciler's: its journey started well after its case was written.
    const lost = journeys.find((j) => j.startLost)!;
    expect(report.startedLate).toContain(lost.caseId);
    expect(faults.map((f) => f.kind)).toEqual([
      'worker SIGKILL',
      'API SIGKILL between commit and start',
      'Redis restart (empty)',
      'worker SIGKILL',
    ]);
    // Nothing died that the test did not kill (a supervisor restart would hide a crash).
    expect(system.exits).toEqual({});
    passed = true;
  }, 900_000);
});
