/**
 * Chat benchmark: 200 conversations at once, 12 turns each, through the real path (HTTP → API →
 * update-with-start on `chat-<id>` → local activities reading and replying in PostgreSQL → the
 * reply read back), beside, on the same Temporal server in the same run, a bare update on a
 * trivial workflow (no activity), 200 at once × 12.
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 npx ts-node -r tsconfig-paths/register --transpile-only bench/chat/run.ts
 *
 * Needs a Temporal server (a throw-away dev server: `temporal server start-dev --headless`);
 * BENCH_DATABASE_URL (default …/walt_bench_chat, created and migrated), BENCH_CONVERSATIONS (200),
 * BENCH_TURNS is fixed at 12 by the script. The API, the worker and the load run in this one
 * process, as in the test suite. Every workflow it started is terminated at the end.
 * Writes bench/results/chat.json.
 */
import 'reflect-metadata';
import { Connection, WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataConverter, temporalClient } from '../../libs/temporal/src';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS || 200);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_chat';
const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
const RESULTS = join(__dirname, '..', 'results');
const BASELINE_QUEUE = `bench-trivial-${process.pid}`;

// Before the API module is loaded: its rate limits are read at import.
Object.assign(process.env, {
  DATABASE_URL,
  TEMPORAL_ADDRESS,
  INTAKE_RATE_LIMIT_PER_MINUTE: '1000000',
  CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE: '1000000',
});

/** Twelve turns: greeting, the nine questions with a question asked in the middle, the recap confirmed. */
function script(n: number): string[] {
  const year = new Date().getUTCFullYear() - 20;
  const phone = `07${String(10_000_000 + ((Date.now() + n * 7919) % 89_999_999)).slice(0, 8)}`;
  return [
    'Bonjour',
    'Léa',
    `12/03/${year}`,
    "c'est gratuit ?",
    '69003',
    'cap',
    'je cherche du travail',
    'non',
    'un emploi',
    phone,
    'oui',
    "c'est bon",
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(mean),
    max: round(sorted.at(-1)!),
  };
}

async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = await new DataSource({ type: 'postgres', url: u.toString() }).initialize();
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!found.length) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  await admin.destroy();
}

async function main() {
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  await ensureDatabase(DATABASE_URL);
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
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const nativeConnection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  console.log('[bench] bundling the workflows…');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), ignoreModules: ['typeorm', 'pg'] });
  const bundlePath = join(RESULTS, `.chat-bundle-${process.pid}.js`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(bundlePath, code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  const worker = await createJourneyWorker({ connection: nativeConnection, dataSource });
  const baselineWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: BASELINE_QUEUE,
    workflowsPath: require.resolve('./trivial.workflow'),
    dataConverter: dataConverter(), // the same encryption as the journeys' worker, so the baseline pays it too
  });
  const running = [worker.run(), baselineWorker.run()];
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  const client = temporalClient(connection);

  // ── baseline: a bare update on a trivial workflow, 200 at once × 12, the first with start (the same shape as a chat) ──
  const { pingUpdate, doneSignal } = await import('./trivial.workflow');
  const withStart = (workflowId: string) =>
    client.workflow.executeUpdateWithStart(pingUpdate, {
      args: [0],
      startWorkflowOperation: new WithStartWorkflowOperation('trivialWorkflow', {
        workflowId,
        taskQueue: BASELINE_QUEUE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
    });
  const warmUpId = `bench-trivial-${randomUUID()}`;
  await withStart(warmUpId);
  const trivialIds = Array.from({ length: CONVERSATIONS }, () => `bench-trivial-${randomUUID()}`);
  const bare: number[] = [];
  const bareFirst: number[] = [];
  let started = performance.now();
  await Promise.all(
    trivialIds.map(async (id) => {
      const handle = client.workflow.getHandle(id);
      for (let turn = 0; turn < 12; turn += 1) {
        const t = performance.now();
        await (turn === 0 ? withStart(id) : handle.executeUpdate(pingUpdate, { args: [turn] }));
        const ms = performance.now() - t;
        bare.push(ms);
        if (turn === 0) bareFirst.push(ms);
      }
    }),
  );
  const bareSeconds = (performance.now() - started) / 1000;
  // The same 12 × 200, each one an update-with-start (what the API sends for every message).
  const bareWithStart: number[] = [];
  const withStartIds = Array.from({ length: CONVERSATIONS }, () => `bench-trivial-${randomUUID()}`);
  started = performance.now();
  await Promise.all(
    withStartIds.map(async (id) => {
      for (let turn = 0; turn < 12; turn += 1) {
        const t = performance.now();
        await withStart(id);
        bareWithStart.push(performance.now() - t);
      }
    }),
  );
  const bareWithStartSeconds = (performance.now() - started) / 1000;
  trivialIds.push(warmUpId, ...withStartIds);

  // ── the chat: 200 conversations at once × 12 turns, over HTTP ──
  const say = async (conversationId: string, text: string) => {
    const res = await fetch(`${base}/v1/intake/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, text, campaign: 'bench-chat' }),
    });
    if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { intent: string; done: boolean; caseId?: string };
  };
  await say(randomUUID(), 'Bonjour'); // warm-up: the geographic index, the connection pool
  const conversations = Array.from({ length: CONVERSATIONS }, () => randomUUID());
  const chat: number[] = [];
  const firstTurn: number[] = [];
  const lastTurn: number[] = [];
  const caseIds: string[] = [];
  const intents = new Map<string, number>();
  started = performance.now();
  await Promise.all(
    conversations.map(async (conversationId, n) => {
      const turns = script(n);
      for (let i = 0; i < turns.length; i += 1) {
        const t = performance.now();
        const answer = await say(conversationId, turns[i]);
        const ms = performance.now() - t;
        chat.push(ms);
        if (i === 0) firstTurn.push(ms);
        if (i === turns.length - 1) lastTurn.push(ms);
        intents.set(answer.intent, (intents.get(answer.intent) ?? 0) + 1);
        if (answer.caseId && answer.done) caseIds.push(answer.caseId);
      }
    }),
  );
  const chatSeconds = (performance.now() - started) / 1000;

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    conversations: CONVERSATIONS,
    turns: 12,
    chatReplyMs: summary(chat),
    chatFirstTurnMs: summary(firstTurn),
    chatSubmitTurnMs: summary(lastTurn),
    chatSeconds: Math.round(chatSeconds * 10) / 10,
    bareUpdateMs: summary(bare),
    bareFirstUpdateMs: summary(bareFirst),
    bareUpdateWithStartMs: summary(bareWithStart),
    bareUpdateWithStartSeconds: Math.round(bareWithStartSeconds * 10) / 10,
    bareSeconds: Math.round(bareSeconds * 10) / 10,
    casesCreated: caseIds.length,
    intents: Object.fromEntries(intents),
  };
  console.table({
    'chat reply (all 12 turns)': result.chatReplyMs,
    'chat: first turn (update-with-start)': result.chatFirstTurnMs,
    'chat: last turn (intake + journey start)': result.chatSubmitTurnMs,
    'bare update, trivial workflow (all 12)': result.bareUpdateMs,
    'bare: first (update-with-start)': result.bareFirstUpdateMs,
    'bare update-with-start, all 12': result.bareUpdateWithStartMs,
  });
  console.log(
    `chat: ${chat.length} replies in ${result.chatSeconds}s; bare: ${bare.length} updates in ${result.bareSeconds}s; cases: ${caseIds.length}`,
  );
  writeFileSync(join(RESULTS, 'chat.json'), JSON.stringify(result, null, 2));

  // Leave the server as found: every workflow this run started ends here.
  const ids = [...trivialIds, ...conversations.map((id) => `chat-${id}`), ...caseIds.map((id) => `journey-${id}`)];
  await Promise.all(trivialIds.map((id) => client.workflow.getHandle(id).signal(doneSignal)));
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((id) =>
        client.workflow
          .getHandle(id)
          .terminate('bench finished')
          .catch(() => undefined),
      ),
    );
  }
  worker.shutdown();
  baselineWorker.shutdown();
  await Promise.all(running);
  await connection.close();
  await nativeConnection.close();
  await app.close();
  await dataSource.destroy();
  if (caseIds.length !== CONVERSATIONS) throw new Error(`expected ${CONVERSATIONS} cases, got ${caseIds.length}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
