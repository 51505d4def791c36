import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { workerDeploymentOptions } from '../apps/worker/src/journey-worker';
import { finishSignal } from './fixtures/rollout/v1';
import { requireServices, TEST_ENV } from './support/services';
import { eventually, quietTemporalRuntime } from './support/test-system';

/**
 * Rolling out incompatible workflow code with worker versioning (worker deployments): build v1
 * runs, a workflow starts on it; build v2 (a timer v1 histories lack, no patched()) becomes the
 * current version; a new workflow goes to v2 while the old one finishes on v1's code, on v1's worker.
 * The workers take their deployment from the same variables as production (workerDeploymentOptions):
 * the deployment name, and the build id from the pre-built bundle each loads (WORKFLOW_BUNDLE_PATH).
 */
describe('rollout: a new build takes new workflows while the old build drains its own', () => {
  const deploymentName = `walt-rollout-${randomUUID().slice(0, 8)}`;
  const taskQueue = `rollout-${deploymentName}`;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  const bundles = mkdtempSync(join(tmpdir(), 'walt-rollout-'));

  beforeAll(async () => {
    await requireServices();
    quietTemporalRuntime();
    nativeConnection = await NativeConnection.connect({ address: TEST_ENV.temporalAddress });
    connection = await Connection.connect({ address: TEST_ENV.temporalAddress });
    client = new Client({ connection });
  });

  afterAll(async () => {
    for (const { worker } of workers) worker.shutdown();
    await Promise.all(workers.map((w) => w.running));
    await nativeConnection?.close();
    await connection?.close();
    rmSync(bundles, { recursive: true, force: true });
  });

  /** What `npm run build` and a release do: bundle the code, start a worker on it; returns its build id. */
  const startBuild = async (release: 'v1' | 'v2'): Promise<string> => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve(`./fixtures/rollout/${release}`),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
    });
    const codePath = join(bundles, `${release}.js`);
    writeFileSync(codePath, code);
    const deployment = workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: deploymentName, WORKFLOW_BUNDLE_PATH: codePath })!;
    const buildId = deployment.version.buildId;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath },
      stickyQueueScheduleToStartTimeout: '1s', // a workflow task on a drained sticky queue is not waited for 10 s
      workerDeploymentOptions: deployment,
    });
    workers.push({ worker, running: worker.run() });
    // What a release does once the new workers poll: make their build the current version
    // (`temporal worker deployment set-current-version`); it exists once a worker has polled.
    await eventually(
      () =>
        connection.workflowService
          .setWorkerDeploymentCurrentVersion({ namespace: 'default', deploymentName, buildId, identity: 'rollout-test' })
          .then(() => true),
      `build ${buildId} to become the current version`,
    );
    return buildId;
  };

  const pinnedBuildOf = async (workflowId: string) => {
    const { workflowExecutionInfo } = await connection.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId },
    });
    const info = workflowExecutionInfo?.versioningInfo;
    return info?.behavior === temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
      ? info.deploymentVersion?.buildId
      : undefined;
  };

  it('the old workflow finishes on v1 after v2 became current; the new one runs v2', async () => {
    expect(workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: 'walt', WORKER_BUILD_ID: '2026-12-03.1' })).toMatchObject({
      version: { deploymentName: 'walt', buildId: '2026-12-03.1' },
      defaultVersioningBehavior: 'PINNED',
    });
    expect(() => workerDeploymentOptions({ WORKER_BUILD_ID: 'x' })).toThrow('WORKER_DEPLOYMENT_NAME');
    expect(() => workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: 'walt' })).toThrow('WORKFLOW_BUNDLE_PATH');

    const v1 = await startBuild('v1');
    expect(v1).toMatch(/^bundle-[0-9a-f]{12}$/);
    expect(workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: 'walt', WORKFLOW_BUNDLE_PATH: join(bundles, 'v1.js') })?.version.buildId).toBe(
      v1,
    );
    const old = await client.workflow.start('rolloutWorkflow', { taskQueue, workflowId: `${deploymentName}-old` });
    expect(await eventually(() => pinnedBuildOf(old.workflowId), 'the old workflow to be pinned')).toBe(v1);

    const v2 = await startBuild('v2');
    expect(v2).not.toBe(v1); // other workflow code, another build
    const fresh = await client.workflow.start('rolloutWorkflow', { taskQueue, workflowId: `${deploymentName}-new` });
    expect(await eventually(() => pinnedBuildOf(fresh.workflowId), 'the new workflow to be pinned')).toBe(v2);

    await old.signal(finishSignal);
    await fresh.signal(finishSignal);
    expect(await old.result()).toBe('v1'); // v1's code to the end: no non-determinism, no v2 timer
    expect(await fresh.result()).toBe('v2');
  });
});
