import 'reflect-metadata';
import { Client } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { initializeDataSource } from '@walt/persistence';
import { connectClient, connectWorker, dataConverter, describeTemporal, JourneyStarter, temporalConfig } from '@walt/temporal';
import { createJourneyWorker } from './journey-worker';
import { startMessaging } from './messaging/messaging';
import { JourneyReconciler } from './reconciler';
import { ensureDailySchedules } from './schedules';

/** The worker process: Temporal workflows and activities, and the journey reconciler. */
async function main() {
  const config = temporalConfig(); // first: a configuration that cannot work stops here, named
  // The SDK's own telemetry (task latencies, slots, poll results, sticky cache) as Prometheus, on
  // WORKER_METRICS_ADDRESS (default 127.0.0.1:9464; `off` for none); before any connection.
  const metricsAddress = process.env.WORKER_METRICS_ADDRESS || '127.0.0.1:9464';
  if (metricsAddress !== 'off') {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, useSecondsForDurations: true } } } });
  }
  const dataSource = await initializeDataSource();
  const workerConnection = await connectWorker(config);
  const clientConnection = await connectClient(config);
  const client = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter: dataConverter() });

  const messaging = await startMessaging({ dataSource });
  const worker = await createJourneyWorker({
    connection: workerConnection,
    dataSource,
    namespace: config.namespace,
    dispatcher: messaging.dispatcher,
  });
  await ensureDailySchedules(client);
  const reconciler = new JourneyReconciler(dataSource, new JourneyStarter(client, dataSource));
  reconciler.every(Number(process.env.RECONCILE_INTERVAL_MS || 15_000));

  console.log(
    `[worker] polling task queue at ${describeTemporal(config)}; metrics: ${metricsAddress === 'off' ? 'off' : `http://${metricsAddress}/metrics`}`,
  );
  await worker.run(); // resolves after SIGINT/SIGTERM, once in-flight tasks finish
  await reconciler.stop();
  await messaging.close();
  await clientConnection.close();
  await workerConnection.close();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(`[worker] ${err.message}`);
  process.exit(1);
});
