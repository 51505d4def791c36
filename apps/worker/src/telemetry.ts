import type { TelemetryOptions } from '@temporalio/worker';

/** Where the worker serves the SDK's Prometheus metrics: WORKER_METRICS_ADDRESS, default 127.0.0.1:9464, `off` for none. */
export function workerMetricsAddress(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const address = env.WORKER_METRICS_ADDRESS || '127.0.0.1:9464';
  return address === 'off' ? undefined : address;
}

/**
 * The SDK's own telemetry (task latencies, slots, poll results, sticky cache) as Prometheus,
 * durations in seconds: the names the README's runbook quotes (test/runbook-metrics checks them).
 */
export function workerTelemetry(metricsAddress: string | undefined): TelemetryOptions | undefined {
  return metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress, useSecondsForDurations: true } } } : undefined;
}
