/**
 * The running system a bench starts for itself (bench/programme, bench/soak): `npm run build`, its
 * own Temporal dev server on a SQLite file, a fresh database (migrated, the seed's partners, a
 * policy), and the worker and the API as two processes from dist/, logs in
 * `.data/logs/bench-<bench>-<process>.log`. Everything it starts is stopped when the bench exits,
 * and the bench fails at once if one of them dies under it.
 */
import { Client, Connection } from '@temporalio/client';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Policy } from '../../libs/domain/src';

export const ROOT = join(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'bench', 'results');
export const LOGS = join(ROOT, '.data', 'logs');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

// ── processes ──────────────────────────────────────────────────────────────────────────────

const children: { name: string; proc: ChildProcess }[] = [];
const removeOnExit: string[] = [];
let stopping = false;

/** A child process whose output goes to `.data/logs/<log>.log`; its death before the bench ends fails the bench. */
/** Node flags for one of the system's processes, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (not allowed in NODE_OPTIONS). */
const nodeArgs = (name: 'WORKER' | 'API') => (process.env[`BENCH_${name}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);

export function startProcess(log: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  mkdirSync(LOGS, { recursive: true });
  const file = join(LOGS, `${log}.log`);
  const fd = openSync(file, 'w');
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.push({ name: log, proc });
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[bench] ${log} exited (${code ?? signal}); see ${file}`);
      process.exit(1);
    }
  });
  return proc;
}

export function stopAll() {
  stopping = true;
  for (const { proc } of children.reverse()) if (proc.exitCode === null) proc.kill('SIGTERM');
  for (const file of removeOnExit) rmSync(file, { force: true });
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

/** CPU seconds a process has used so far (user + system, from /proc/<pid>/stat); 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/**
 * A process's memory from /proc/<pid>/status, in MB: `rss` (resident, all of it) and `anon`
 * (its private memory, without the shared buffers and files it maps: what a PostgreSQL backend
 * itself holds). Undefined once it is gone.
 */
export function memoryOf(pid: number): { rss: number; anon: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: round(kb('VmRSS') / 1024), anon: round(kb('RssAnon') / 1024) };
  } catch {
    return undefined;
  }
}

export async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch(() => false)
    )
      return;
    await sleep(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s`);
}

// ── the system ─────────────────────────────────────────────────────────────────────────────

export interface SystemOptions {
  /** Names the logs and the SQLite file: `bench-<bench>-…`. */
  bench: string;
  temporalPort: number;
  apiPort: number;
  /** Dropped and recreated; its name must contain `mustContain` (a guard against naming a real database). */
  databaseUrl: string;
  mustContain: string;
  redisUrl: string;
  policy: Partial<Policy>;
  /** Environment of the worker and the API beyond the defaults below. */
  env?: NodeJS.ProcessEnv;
  /** Run on the fresh database before the worker and the API start. */
  prepare?: (db: DataSource) => Promise<void>;
}

export interface RunningSystem {
  api: ChildProcess;
  worker: ChildProcess;
  temporal: ChildProcess;
  db: DataSource;
  dbName: string;
  connection: Connection;
  client: Client;
  temporalAddress: string;
  apiUrl: string;
  sqlite: string;
  queuePrefix: string;
  policyVersion: number;
  secrets: { JWT_SECRET: string; SMS_INBOUND_SECRET: string };
  /** Deletes the bench's Redis keys and closes its connections (the processes stop on exit). */
  close(): Promise<void>;
}

/**
 * Builds (unless BENCH_SKIP_BUILD), then starts Temporal, the database, the worker and the API.
 * Sets JWT_SECRET, SMS_INBOUND_SECRET, DATABASE_URL and REDIS_URL in this process too, before
 * any module of ours is loaded: they read them at import (signToken, the data source).
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const secrets = { JWT_SECRET: `bench-${options.bench}-secret-0123456789`, SMS_INBOUND_SECRET: `bench-${options.bench}-inbound-secret` };
  const { databaseUrl, redisUrl } = options;
  // The payload codec's key (required in production; a fixed one: the bench's Temporal is thrown away), here too to read states.
  const codecKeys = `bench:${Buffer.alloc(32, 7).toString('base64')}`;
  Object.assign(process.env, { ...secrets, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, TEMPORAL_CODEC_KEYS: codecKeys });
  const dbName = new URL(databaseUrl).pathname.slice(1);
  if (!dbName.includes(options.mustContain)) throw new Error(`the bench's database must name one containing "${options.mustContain}"`);

  if (!process.env.BENCH_SKIP_BUILD) {
    console.log('[bench] building (npm run build)…');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const sqlite = `/tmp/walt-bench-${options.bench}-${process.pid}.sqlite`;
  removeOnExit.push(sqlite, `${sqlite}-wal`, `${sqlite}-shm`);
  const temporalAddress = `127.0.0.1:${options.temporalPort}`;
  const cli = execFileSync('bash', ['-c', 'source infra/lib.sh && ensure_temporal_cli'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const temporal = startProcess(
    `bench-${options.bench}-temporal`,
    cli,
    [
      ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.temporalPort), '--headless'],
      ...['--db-filename', sqlite, '--log-level', 'warn'],
      ...['--search-attribute', 'JourneyStage=Keyword', '--search-attribute', 'Segment=Keyword'],
      ...['--search-attribute', 'Departement=Keyword'],
    ],
    {},
  );

  const { initializeDataSource, PoliciesRepository } = await import('../../libs/persistence/src');
  const { loadSeedPartnersIfEmpty } = await import('../../libs/directory/src');
  const { temporalClient } = await import('../../libs/temporal/src');
  const { DataSource } = await import('typeorm');
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.destroy();
  const db = await initializeDataSource(databaseUrl);
  await db.runMigrations({ transaction: 'each' });
  await loadSeedPartnersIfEmpty(db);
  // Without `version`: a body carrying one would be read back as that version (current() spreads the body last).
  const policy = await new PoliciesRepository(db).create(({ version: _, ...current }) => ({ ...current, ...options.policy }), 'bench');
  await options.prepare?.(db);

  await waitUntil(
    'Temporal',
    async () => {
      const c = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
      await c.close();
      return true;
    },
    60_000,
  );
  const connection = await Connection.connect({ address: temporalAddress });
  const client = temporalClient(connection);

  const apiUrl = `http://127.0.0.1:${options.apiPort}`;
  const queuePrefix = `walt-bench-${options.bench}-${process.pid}`;
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    MESSAGE_QUEUE_PREFIX: queuePrefix,
    PORT: String(options.apiPort),
    PUBLIC_BASE_URL: apiUrl,
    PARTNER_LINK_SECRET: `bench-${options.bench}-partner-links-0123`,
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000000',
    CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE: '100000000',
    COUNSELLOR_EMAIL: 'equipe@example.org',
    TEMPORAL_CODEC_KEYS: codecKeys,
    ...options.env,
  };
  const workerLog = `bench-${options.bench}-worker`;
  const worker = startProcess(workerLog, process.execPath, [...nodeArgs('WORKER'), 'dist/apps/worker/src/main.js'], env);
  const api = startProcess(`bench-${options.bench}-api`, process.execPath, [...nodeArgs('API'), 'dist/apps/api/src/main.js'], env);
  await waitUntil('API', async () => (await fetch(`${apiUrl}/ready`)).ok, 90_000);
  await waitUntil('worker', () => readFileSync(join(LOGS, `${workerLog}.log`), 'utf8').includes('[worker] polling'), 180_000);

  return {
    api,
    worker,
    temporal,
    db,
    dbName,
    connection,
    client,
    temporalAddress,
    apiUrl,
    sqlite,
    queuePrefix,
    policyVersion: policy.version,
    secrets,
    async close() {
      await connection.close();
      await db.destroy();
      await cleanRedis(redisUrl, [queuePrefix]);
    },
  };
}

/** Deletes the keys under each prefix (`<prefix>:*`) in the bench's Redis database. */
export async function cleanRedis(redisUrl: string, prefixes: string[]) {
  const IORedis = (await import('ioredis')).default;
  const redis = new IORedis(redisUrl);
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
  }
  redis.disconnect();
}
