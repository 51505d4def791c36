/**
 * A release's last step: make the build of the workers just started the current version of
 * their worker deployment, so new journeys go to them while journeys pinned to the previous build
 * finish on its workers (README, "Rolling out a new build"). The build id is the one those
 * workers took, from the same variables: WORKER_DEPLOYMENT_NAME (default `walt`), and
 * WORKER_BUILD_ID or the bundle in WORKFLOW_BUNDLE_PATH. Temporal from TEMPORAL_ADDRESS etc.
 *
 *   node dist/infra/set-current-build.js      # after `npm run build`, once the new workers poll
 *
 * The version exists once one of its workers has polled: retried for SET_CURRENT_TIMEOUT_SECONDS
 * (60). Then prints the versions of the deployment and whether each has drained.
 */
import { temporal } from '@temporalio/proto';
import { connectClient, temporalConfig } from '@walt/temporal';
import { workerDeploymentOptions } from '../apps/worker/src/journey-worker';

const { WorkerDeploymentVersionStatus } = temporal.api.enums.v1;

async function main(): Promise<void> {
  const config = temporalConfig();
  const deployment = workerDeploymentOptions({ ...process.env, WORKER_DEPLOYMENT_NAME: process.env.WORKER_DEPLOYMENT_NAME || 'walt' });
  if (!deployment) throw new Error('no build to make current');
  const { deploymentName, buildId } = deployment.version;
  const connection = await connectClient(config);
  try {
    const deadline = Date.now() + Number(process.env.SET_CURRENT_TIMEOUT_SECONDS || 60) * 1000;
    for (;;) {
      try {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({
          namespace: config.namespace,
          deploymentName,
          buildId,
          identity: 'walt-set-current-build',
        });
        break;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`cannot make ${deploymentName}/${buildId} current (do its workers poll?): ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    console.log(`[rollout] ${deploymentName}/${buildId} is the current version`);
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
      namespace: config.namespace,
      deploymentName,
    });
    for (const version of workerDeploymentInfo?.versionSummaries ?? []) {
      const status = WorkerDeploymentVersionStatus[version.status ?? 0]?.replace('WORKER_DEPLOYMENT_VERSION_STATUS_', '') ?? 'UNKNOWN';
      console.log(`[rollout]   ${version.deploymentVersion?.buildId}: ${status}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(`[rollout] ${err.message}`);
  process.exit(1);
});
