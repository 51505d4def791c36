import 'reflect-metadata';
import { DefaultLogger, LogLevel, Runtime } from '@temporalio/worker';
import { createLogger } from '@walt/logging';
import { initializeDataSource } from '@walt/persistence';
import { connectClient, connectWorker, describeTemporal, JourneyStarter, temporalClient, temporalConfig } from '@walt/temporal';
import { createJourneyWorker, workerDeploymentOptions } from './journey-worker';
import { startMessaging } from './messaging/messaging';
import { JourneyReconciler } from './reconciler';
import { ensureDailySchedules } from './schedules';
import { SimulationSweeper } from './simulation-sweeper';
import { workerMetricsAddress, workerTelemetry } from './telemetry';

/** JSON lines like the API's (libs/logging): ids and codes only, never a young person's data. */
const logger = createLogger('worker');
const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The worker process: Temporal workflows and activities, and the journey reconciler. */
async function main() {
  const config = temporalConfig(); // first: a configuration that cannot work stops here, named
  // The SDK's own telemetry as Prometheus (telemetry.ts), and its log lines in the same JSON as
  // ours (TEMPORAL_LOG_LEVEL, default WARN). Both before any connection.
  const metricsAddress = workerMetricsAddress();
  Runtime.install({
    logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL || 'WARN') as LogLevel, ({ level, message, meta }) =>
      logger[PINO_LEVEL[level]]({ ...meta, source: 'temporal-sdk' }, message),
    ),
    telemetryOptions: workerTelemetry(metricsAddress),
  });
  const dataSource = await initializeDataSource();
  const workerConnection = await connectWorker(config);
  const clientConnection = await connectClient(config);
  const client = temporalClient(clientConnection, config);

  const messaging = await startMessaging({ dataSource, log: (line) => logger.info(line) });
  const worker = await createJourneyWorker({
    connection: workerConnection,
    dataSource,
    namespace: config.namespace,
    dispatcher: messaging.dispatcher,
  });
  await ensureDailySchedules(client);
  const reconciler = new JourneyReconciler(dataSource, new JourneyStarter(client, dataSource), undefined, (line) => logger.error(line));
  reconciler.every(Number(process.env.RECONCILE_INTERVAL_MS || 15_000));
  const sweeper = new SimulationSweeper(dataSource, client, undefined, undefined, (line) => logger.warn(line));
  sweeper.every(Number(process.env.SIMULATION_SWEEP_INTERVAL_MS || 10 * 60_000));

  const version = workerDeploymentOptions()?.version;
  logger.info(
    `[worker] polling task queue at ${describeTemporal(config)}; ` +
      `build: ${version ? `${version.deploymentName}/${version.buildId}` : 'unversioned'}; ` +
      `metrics: ${metricsAddress ? `http://${metricsAddress}/metrics` : 'off'}`,
  );
  await worker.run(); // resolves after SIGINT/SIGTERM, once in-flight tasks finish
  await reconciler.stop();
  await sweeper.stop();
  await messaging.close();
  await clientConnection.close();
  await workerConnection.close();
  await dataSource.destroy();
}

main().catch((err) => {
  logger.fatal(`[worker] ${err.message}`);
  console.error(`[worker] ${err.message}`); // also plain, for whoever started it by hand
  process.exit(1);
});
