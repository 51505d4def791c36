import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client, Connection } from '@temporalio/client';
import { ActivityInterceptorsFactory, NativeConnection, Runtime, TelemetryOptions, Worker } from '@temporalio/worker';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@walt/domain';
import { PoliciesRepository } from '@walt/persistence';
import { JourneyStarter, temporalClient } from '@walt/temporal';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app';
import { Clock } from '../../apps/api/src/common/clock';
import { PolicyChoice } from '@walt/intake';
import { TestPolicyChoice } from './policies';
import { signToken } from '@walt/auth';
import { createJourneyWorker } from '../../apps/worker/src/journey-worker';
import { requireServices, TEST_ENV, testDatabase } from './services';

let runtimeInstalled = false;

/**
 * Temporal's runtime logs errors only; installed once per test file, before any worker or test
 * server (a file that scrapes the SDK's metrics passes the worker's telemetry options first).
 */
export function quietTemporalRuntime(telemetryOptions?: TelemetryOptions): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never, telemetryOptions });
  runtimeInstalled = true;
}

export interface TestSystem {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  client: Client;
  /** Stops the worker (as a crash or a deploy would) and starts a new one on the same queue. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  /** Intake gives this submission's journey the policy version a test saved for it. */
  policies: TestPolicyChoice;
  token(role: Role, extra?: { partnerId?: string; territories?: string[] }): string;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  /** Replace the journey starter (e.g. to simulate a crash between commit and start). */
  journeyStarter?: Partial<JourneyStarter>;
  /** The worker and client use this Temporal server instead of the suite's. */
  temporalAddress?: string;
  /** The API's clock (ages, "in the future" checks), for rules judged at a fixed instant. */
  clock?: Clock;
  /** Around every activity the worker runs (to slow a step down and make a race happen). */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** false: the API alone, no journey worker (saves the workflow bundle's build, several seconds). */
  worker?: boolean;
}

/** The real API (Nest, HTTP) and a real worker, against the real PostgreSQL, Redis and Temporal. */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  await requireServices();
  quietTemporalRuntime();
  const dataSource = await testDatabase();

  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (options.journeyStarter) builder = builder.overrideProvider(JourneyStarter).useValue(options.journeyStarter);
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const policies = new TestPolicyChoice(new PoliciesRepository(dataSource));
  builder = builder.overrideProvider(PolicyChoice).useValue(policies);
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
  await app.init();

  const temporalAddress = options.temporalAddress ?? TEST_ENV.temporalAddress;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createJourneyWorker({
      connection: nativeConnection,
      dataSource,
      policies,
      activityInterceptors: options.activityInterceptors,
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await running;
    worker = running = undefined;
  };
  if (options.worker !== false) await startWorker();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = temporalClient(connection);

  return {
    app,
    http: () => request(app.getHttpServer()),
    dataSource,
    client,
    stopWorker,
    startWorker,
    policies,
    token: (role, extra = {}) => signToken({ sub: `test-${role}`, role, ...extra }),
    async stop() {
      await endRunningWorkflows(client);
      await stopWorker();
      await nativeConnection.close();
      await connection.close();
      await app.close();
      await dataSource.destroy();
    },
  };
}

/**
 * Test files share one Temporal server, one after the other: a journey a file leaves running
 * (a referral still pending, nudges still due) would otherwise wake up under the next file's
 * worker and write rows that file does not expect.
 */
async function endRunningWorkflows(client: Client): Promise<void> {
  for await (const workflow of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
    await client.workflow
      .getHandle(workflow.workflowId, workflow.runId)
      .terminate('test file finished')
      .catch(() => undefined); // already ended (a child closed with its parent)
  }
}

/** Polls until `probe` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
