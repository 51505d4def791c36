/**
 * Throughput on one Temporal server, to compare the dev server (SQLite) with the server on
 * PostgreSQL in one session: intake forms over HTTP until every journey reaches ENGAGING (its
 * first activities and stage change done), with the intake's latency; beside it, on the same
 * server in the same run, the bare one-activity workflow (start, one no-op activity, result).
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 BENCH_LABEL=dev-sqlite npx ts-node -r tsconfig-paths/register --transpile-only bench/cluster/throughput.ts
 *
 * BENCH_JOURNEYS (300), BENCH_WORKFLOWS (1000), BENCH_PORT (the API's, default any free port), BENCH_CONCURRENCY (20 forms / 50 workflows at
 * once), BENCH_DATABASE_URL (…/walt_bench_throughput, dropped and recreated). The API and the
 * worker run in this process (as in the tests), the journeys on the default policy; every
 * workflow started is terminated at the end. Writes bench/results/throughput-<label>.json.
 */
import 'reflect-metadata';
import { Connection } from '@temporalio/client';
import { dataConverter, temporalClient } from '../../libs/temporal/src';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

const JOURNEYS = Number(process.env.BENCH_JOURNEYS || 300);
const WORKFLOWS = Number(process.env.BENCH_WORKFLOWS || 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 20);
const LABEL = process.env.BENCH_LABEL || 'server';
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_throughput';
const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
const RESULTS = join(__dirname, '..', 'results');
const BASELINE_QUEUE = `bench-one-activity-${process.pid}`;
Object.assign(process.env, { DATABASE_URL, TEMPORAL_ADDRESS, INTAKE_RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'silent' });

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const at = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const ms = (v: number) => Math.round(v * 10) / 10;
const latency = (values: number[]) => {
  const s = sorted(values);
  return { p50: ms(at(s, 50)), p99: ms(at(s, 99)), max: ms(s.at(-1)!) };
};

/** Runs `task` for 0..n-1 with `limit` at once. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) await task(next++);
  })); // prettier-ignore
}

function aForm(n: number) {
  const birth = new Date();
  birth.setUTCFullYear(birth.getUTCFullYear() - 19);
  const unique = `${Date.now().toString(36)}${n}`;
  return {
    submissionId: randomUUID(),
    firstName: 'Sacha',
    lastName: `Bench-${unique}`,
    birthDate: birth.toISOString().slice(0, 10),
    email: `sacha.${unique}@example.org`,
    postalCode: ['75011', '69003', '13001', '97300'][Math.abs(n) % 4],
    diplomaLevel: 'CAP_BEP',
    situation: 'LOOKING_FOR_JOB',
    barriers: ['MOBILITY'],
    wishes: ['JOB'],
    consent: { dataProcessing: true, shareWithPartners: true, channels: ['EMAIL'] },
    source: { channel: 'INSTAGRAM', campaign: 'bench' },
  };
}

async function main() {
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  const u = new URL(DATABASE_URL);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = await new DataSource({ type: 'postgres', url: u.toString() }).initialize();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.destroy();
  const { initializeDataSource } = await import('../../libs/persistence/src');
  const { loadSeedPartnersIfEmpty } = await import('../../libs/directory/src');
  const dataSource = await initializeDataSource(DATABASE_URL);
  await dataSource.runMigrations({ transaction: 'each' });
  await loadSeedPartnersIfEmpty(dataSource);

  const { Test } = await import('@nestjs/testing');
  const { AppModule } = await import('../../apps/api/src/app.module');
  const { configureApp } = await import('../../apps/api/src/app');
  const { createJourneyWorker } = await import('../../apps/worker/src/journey-worker');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
  await app.listen(Number(process.env.BENCH_PORT || 0), '127.0.0.1'); // 0: any free port
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const nativeConnection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ignoreModules: ['typeorm', 'pg'],
    logger: quiet,
  });
  mkdirSync(RESULTS, { recursive: true });
  const bundlePath = join(RESULTS, `.throughput-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  const worker = await createJourneyWorker({ connection: nativeConnection, dataSource });
  const baselineWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: BASELINE_QUEUE,
    workflowsPath: require.resolve('./one-activity.workflow'),
    activities: { noop: async (n: number) => n },
    // The client below encrypts every payload (libs/temporal/src/codec.ts): the worker must decode.
    dataConverter: dataConverter(),
  });
  const running = [worker.run(), baselineWorker.run()];
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  const client = temporalClient(connection);

  // ── baseline: the bare one-activity workflow, BENCH_CONCURRENCY × 2.5 at once ──
  const bare: number[] = [];
  const bareIds: string[] = [];
  await client.workflow.execute('oneActivityWorkflow', { taskQueue: BASELINE_QUEUE, workflowId: `bench-one-${randomUUID()}`, args: [0] });
  let started = performance.now();
  await pool(WORKFLOWS, Math.round(CONCURRENCY * 2.5), async (i) => {
    const t = performance.now();
    const workflowId = `bench-one-${randomUUID()}`;
    bareIds.push(workflowId);
    await client.workflow.execute('oneActivityWorkflow', { taskQueue: BASELINE_QUEUE, workflowId, args: [i] });
    bare.push(performance.now() - t);
  });
  const bareSeconds = (performance.now() - started) / 1000;

  // ── journeys: forms over HTTP, BENCH_CONCURRENCY at once, until every case is ENGAGING ──
  const post = (form: unknown) =>
    fetch(`${base}/v1/intake/forms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form) });
  const warmUp = await post(aForm(-1));
  if (warmUp.status !== 201) throw new Error(`the warm-up form was refused: ${warmUp.status} ${await warmUp.text()}`);
  const intake: number[] = [];
  const caseIds: string[] = [];
  const warmUpCaseId = ((await warmUp.json()) as { caseId: string }).caseId;
  started = performance.now();
  await pool(JOURNEYS, CONCURRENCY, async (i) => {
    const t = performance.now();
    const res = await post(aForm(i));
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
    caseIds.push(((await res.json()) as { caseId: string }).caseId);
    intake.push(performance.now() - t);
  });
  const intakeSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND stage = 'ENGAGING'`, [caseIds]);
    if (n === caseIds.length) break;
    if (performance.now() - started > 600_000) throw new Error(`only ${n} of ${caseIds.length} journeys reached ENGAGING in 10 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const journeysSeconds = (performance.now() - started) / 1000;

  const result = {
    label: LABEL,
    temporal: TEMPORAL_ADDRESS,
    at: new Date().toISOString(),
    oneActivityWorkflow: {
      count: WORKFLOWS,
      atOnce: Math.round(CONCURRENCY * 2.5),
      perSecond: ms(WORKFLOWS / bareSeconds),
      latencyMs: latency(bare),
    },
    journeys: {
      count: JOURNEYS,
      formsAtOnce: CONCURRENCY,
      intakePerSecond: ms(JOURNEYS / intakeSeconds),
      intakeLatencyMs: latency(intake),
      journeysPerSecond: ms(JOURNEYS / journeysSeconds),
      allEngagingAfterSeconds: ms(journeysSeconds),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(join(RESULTS, `throughput-${LABEL}.json`), JSON.stringify(result, null, 2));

  for (const id of [warmUpCaseId, ...caseIds])
    await client.workflow
      .getHandle(`journey-${id}`)
      .terminate('bench finished')
      .catch(() => undefined);
  worker.shutdown();
  baselineWorker.shutdown();
  await Promise.all(running);
  await connection.close();
  await nativeConnection.close();
  await app.close();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(`[bench] ${err.stack ?? err.message}`);
  process.exit(1);
});
