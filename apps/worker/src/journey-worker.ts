import { ActivityInterceptorsFactory, bundleWorkflowCode, NativeConnection, Worker, WorkerDeploymentOptions } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { PolicyChoice } from '@walt/intake';
import type { MessageDispatcher } from '@walt/messaging';
import { dataConverter, TASK_QUEUE, temporalClient, temporalConfig } from '@walt/temporal';
import { JourneyActivities } from '../../../activities/journey.activities';
import { MatchingActivities } from '../../../activities/matching.activities';
import { ChatActivities } from '../../../activities/chat.activities';
import { SimulationActivities } from '../../../activities/simulation.activities';
import { RetentionActivities } from '../../../activities/retention.activities';
import { AnonymisationActivities } from '../../../activities/anonymisation.activities';
import { redactActivityFailures } from './activity-failures';
import { WORKFLOW_BUNDLE_IGNORED_MODULES, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH, workflowBundleOptions } from './build-bundle';

export interface JourneyWorkerOptions {
  connection: NativeConnection;
  dataSource: DataSource;
  namespace?: string;
  taskQueue?: string;
  /** Enqueues the outbound messages a step created, once committed. */
  dispatcher?: MessageDispatcher;
  /** The policy new journeys and conversations take (default: the current version). */
  policies?: PolicyChoice;
  /** Around every activity call (tests use one to slow a step down and make a race happen). */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** The worker of a simulated run: its activities write to the run's schema and it runs no simulation itself. */
  simulated?: boolean;
}

let sharedBundle: Promise<{ code: string }> | undefined;

/** Simulated runs bundle the workflow code once per process (webpack is slow), or load the pre-built bundle. */
function simulationBundle(): Promise<{ code: string }> {
  sharedBundle ??= bundleWorkflowCode(workflowBundleOptions({ warn() {}, error: console.error }));
  return sharedBundle;
}

/** Binds an activity class's methods, so the worker can call them without `this` surprises. */
export function activitiesOf(instance: object): Record<string, (...args: any[]) => Promise<unknown>> {
  const proto = Object.getPrototypeOf(instance);
  return Object.fromEntries(
    Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
      .map((name) => [name, proto[name].bind(instance)]),
  );
}

/**
 * The worker's tuning, stated (measured with bench/programme, bench/README.md):
 * - sticky cache: every open journey that is still active should stay cached, or each of its
 *   workflow tasks replays its whole history first. A cached journey costs up to about 0.4 MB:
 *   the worker grew by 348 MB while 903 journeys became active in bench/soak. So 2,000 means up
 *   to about 0.8 GB, the price of covering the bench's wave and a worker's share of a campaign;
 * - workflow task slots: workflow code is CPU-bound on the worker's thread, so slots beyond a
 *   few per core only queue; the SDK's 40 is kept;
 * - local activity slots (the step writes): one database connection each for the length of a
 *   transaction, so no more than the pool (DATABASE_POOL_SIZE): more would only wait for a
 *   connection while holding their workflow task open;
 * - remote activity slots (matching, places): twice the pool, as they wait on PostgreSQL too.
 * - the message workers share the pool: their claims, outbox writes and SENT go as batches, at
 *   most two in flight each (libs/messaging Batcher), so a few connections whatever their concurrency.
 */
export function workerTuning(env: NodeJS.ProcessEnv = process.env) {
  const pool = Number(env.DATABASE_POOL_SIZE || 10);
  return {
    maxCachedWorkflows: Number(env.WORKER_MAX_CACHED_WORKFLOWS || 2000),
    maxConcurrentWorkflowTaskExecutions: 40,
    maxConcurrentLocalActivityExecutions: pool,
    maxConcurrentActivityTaskExecutions: 2 * pool,
  };
}

/**
 * The build id of a pre-built workflow bundle: `bundle-` and the first 12 hex digits of its
 * SHA-256 (infra/start-cluster.sh computes the same with sha256sum). Replicas of one release,
 * or of a release that changed no workflow code, share it; a change to the workflow code makes a
 * new one, which is exactly what a PINNED journey must not cross.
 */
export function bundleBuildId(bundlePath: string): string {
  return `bundle-${createHash('sha256').update(readFileSync(bundlePath)).digest('hex').slice(0, 12)}`;
}

/**
 * Worker versioning (worker deployments, server 1.29 + SDK 1.24), on when WORKER_DEPLOYMENT_NAME
 * is set (README, "Rolling out a new build"); the build id is WORKER_BUILD_ID, or by default that
 * of the bundle in WORKFLOW_BUNDLE_PATH. Workflows are PINNED by default: a journey runs its whole
 * life on the build that started it, the new build takes new journeys once it is made current,
 * and the old workers drain. WORKER_VERSIONING_BEHAVIOR=AUTO_UPGRADE moves running workflows to
 * the current build instead (then changes need patched()).
 */
export function workerDeploymentOptions(env: NodeJS.ProcessEnv = process.env): WorkerDeploymentOptions | undefined {
  const deploymentName = env.WORKER_DEPLOYMENT_NAME?.trim();
  const bundlePath = env.WORKFLOW_BUNDLE_PATH?.trim();
  const buildId = env.WORKER_BUILD_ID?.trim() || (deploymentName && bundlePath ? bundleBuildId(bundlePath) : undefined);
  if (!deploymentName && !buildId) return undefined;
  if (!deploymentName) throw new Error('WORKER_BUILD_ID is set but not WORKER_DEPLOYMENT_NAME: worker versioning needs both.');
  if (!buildId) throw new Error('Worker versioning needs WORKER_BUILD_ID, or a pre-built bundle (WORKFLOW_BUNDLE_PATH) to take it from.');
  const behavior = env.WORKER_VERSIONING_BEHAVIOR?.trim() || 'PINNED';
  if (behavior !== 'PINNED' && behavior !== 'AUTO_UPGRADE') {
    throw new Error(`WORKER_VERSIONING_BEHAVIOR must be PINNED or AUTO_UPGRADE, got "${behavior}".`);
  }
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: behavior };
}

/**
 * The Temporal worker of the journeys task queue. Production loads a pre-built bundle
 * (WORKFLOW_BUNDLE_PATH, see the README, "Production"); development bundles the workflows at start.
 */
export async function createJourneyWorker(options: JourneyWorkerOptions): Promise<Worker> {
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const namespace = options.namespace ?? temporalConfig().namespace;
  const workflows = bundlePath
    ? { workflowBundle: { codePath: bundlePath } }
    : options.simulated
      ? { workflowBundle: await simulationBundle() }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: WORKFLOW_BUNDLE_IGNORED_MODULES } };
  const simulations = new SimulationActivities({
    dataSource: options.dataSource,
    client: async () => temporalClient(options.connection, { ...temporalConfig(), namespace }),
    // No dispatcher: a simulated message is a row of the run's schema, never sent.
    workerFor: (taskQueue, dataSource) =>
      createJourneyWorker({ connection: options.connection, namespace, taskQueue, dataSource, simulated: true }),
  });
  return Worker.create({
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...workflows,
    activities: {
      ...activitiesOf(new JourneyActivities(options.dataSource, { dispatcher: options.dispatcher })),
      ...activitiesOf(new MatchingActivities(options.dataSource)),
      ...activitiesOf(new ChatActivities(options.dataSource, undefined, options.policies)),
      ...(options.simulated ? {} : activitiesOf(simulations)),
      ...activitiesOf(new RetentionActivities(options.dataSource)),
      ...activitiesOf(new AnonymisationActivities(options.dataSource, { dispatcher: options.dispatcher })),
    },
    // A simulated run's queue lives and dies with its run, outside the rollout of the real queue.
    workerDeploymentOptions: options.simulated ? undefined : workerDeploymentOptions(),
    // Payloads encrypted before they reach Temporal (libs/temporal/src/codec.ts).
    dataConverter: dataConverter(),
    ...workerTuning(),
    interceptors: {
      activity: [redactActivityFailures, ...(options.activityInterceptors ?? [])],
      // Bundled in when the worker bundles the workflows itself (a pre-built bundle has them already).
      ...(bundlePath || options.simulated ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
    },
  });
}
