/**
 * The processes of a chaos run, each its own so any of them can be killed without touching
 * anything else on the machine: Redis (nothing on disk), a Temporal dev server on a SQLite file,
 * optionally PostgreSQL (pg_ctl), the API and the workers from dist/, each logging to a file.
 * A process that dies by itself is restarted, as a supervisor would (counted in `exits`).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TEMPORAL_SQLITE_PRAGMAS } from '../support/temporal-dev-server';
import { TcpProxy } from './proxy';

export const ROOT = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ChaosSystemOptions {
  dir: string;
  /** The database the API and workers use; with `pgPort`, on a PostgreSQL this run owns. */
  databaseUrl: string;
  pgPort?: number;
  pgBin?: string;
  redisPort: number;
  temporalPort: number;
  apiPort: number;
  temporalCli: string;
  /** Variables for the API and the workers beyond the addresses (secrets, intervals). */
  env: Record<string, string>;
}

/** A port nothing listens on now (the OS's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000, logs = '') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s${logs ? ` (logs in ${logs})` : ''}`);
}

export class ChaosSystem {
  readonly logs: string;
  readonly env: Record<string, string>;
  /** The API reaches Temporal through this, so a run can hold a start between intake's commit and the workflow. */
  readonly apiTemporal: TcpProxy;
  readonly exits: Record<string, number> = {};
  private readonly children = new Set<ChildProcess>();
  private redis?: ChildProcess;
  private temporal?: ChildProcess;
  private api?: ChildProcess;
  readonly workers: ChildProcess[] = [];
  private stopping = false;

  constructor(private readonly o: ChaosSystemOptions) {
    this.logs = join(o.dir, 'logs');
    mkdirSync(this.logs, { recursive: true });
    this.apiTemporal = new TcpProxy(`127.0.0.1:${o.temporalPort}`);
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${o.redisPort}`,
      TEMPORAL_ADDRESS: `127.0.0.1:${o.temporalPort}`,
      PORT: String(o.apiPort),
      WORKER_METRICS_ADDRESS: 'off',
      ...o.env,
    };
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.o.apiPort}`;
  }

  private start(name: string, cmd: string, args: string[], env: Record<string, string> = {}, restart?: () => void): ChildProcess {
    const log = openSync(join(this.logs, `${name}.log`), 'a');
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...this.env, ...env }, stdio: ['ignore', log, log] });
    this.children.add(child);
    (child as ChildProcess & { expected?: boolean }).expected = false;
    child.on('exit', () => {
      this.children.delete(child);
      if (this.stopping || (child as ChildProcess & { expected?: boolean }).expected || !restart) return;
      this.exits[name] = (this.exits[name] ?? 0) + 1;
      setTimeout(restart, 500); // a supervisor's restart
    });
    return child;
  }

  /** SIGKILL, and waits for the exit. */
  kill(child: ChildProcess | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      (child as ChildProcess & { expected?: boolean }).expected = true;
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  // ---------- PostgreSQL (only when the run owns it) ----------
  private pg(...args: string[]) {
    const { pgBin = '/usr/lib/postgresql/15/bin', dir } = this.o;
    execFileSync('runuser', ['-u', 'postgres', '--', `${pgBin}/pg_ctl`, '-D', join(dir, 'pg'), ...args], { stdio: 'ignore' });
  }
  startPostgres(): void {
    this.pg('-o', `-p ${this.o.pgPort} -k ${this.o.dir}`, '-l', join(this.logs, 'postgres.log'), '-w', 'start');
  }
  restartPostgres(): void {
    this.pg('-m', 'fast', '-w', 'restart');
  }

  // ---------- Redis, Temporal ----------
  startRedis(): void {
    this.redis = this.start('redis', 'redis-server', ['--port', String(this.o.redisPort), '--save', '', '--appendonly', 'no']);
  }
  async restartRedisEmpty(downMs: number): Promise<void> {
    await this.kill(this.redis);
    await sleep(downMs);
    this.startRedis();
  }

  startTemporal(): void {
    this.temporal = this.start('temporal', this.o.temporalCli, [
      ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.o.temporalPort), '--headless', '--log-level', 'warn'],
      ...['--db-filename', join(this.o.dir, 'temporal.db'), ...TEMPORAL_SQLITE_PRAGMAS, '--search-attribute', 'JourneyStage=Keyword'],
      ...['--search-attribute', 'Segment=Keyword', '--search-attribute', 'Departement=Keyword'],
    ]);
  }
  async temporalUp(): Promise<void> {
    await until(
      'Temporal',
      async () => {
        const c = await Connection.connect({ address: this.env.TEMPORAL_ADDRESS, connectTimeout: 1000 });
        try {
          await c.workflowService.getSystemInfo({});
          return true;
        } finally {
          await c.close();
        }
      },
      120_000,
      this.logs,
    );
  }
  async restartTemporal(downMs: number): Promise<void> {
    await this.kill(this.temporal);
    await sleep(downMs);
    this.startTemporal();
    await this.temporalUp();
  }

  // ---------- the API and the workers ----------
  async startApi(): Promise<void> {
    await this.apiTemporal.listen();
    this.api = this.start(
      'api',
      'node',
      ['dist/apps/api/src/main.js'],
      { TEMPORAL_ADDRESS: this.apiTemporal.address },
      () => void this.startApi(),
    );
  }
  apiUp(): Promise<void> {
    return until('the API', async () => (await fetch(`${this.apiUrl}/health`)).ok, 120_000, this.logs);
  }
  async killApi(): Promise<void> {
    await this.kill(this.api);
  }

  startWorker(): void {
    const worker = this.start('worker', 'node', ['dist/apps/worker/src/main.js'], {}, () => {
      this.workers.splice(this.workers.indexOf(worker), 1);
      this.startWorker();
    });
    this.workers.push(worker);
  }
  /** Kills the oldest worker. */
  async killWorker(): Promise<void> {
    await this.kill(this.workers.shift());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children].map((c) => this.kill(c)));
    await this.apiTemporal.close();
    if (this.o.pgPort) {
      try {
        this.pg('-m', 'fast', '-w', 'stop');
      } catch {
        // already stopped
      }
    }
  }
}
