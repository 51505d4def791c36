import { Connection, ConnectionOptions } from '@temporalio/client';
import { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalConfig {
  address: string;
  namespace: string;
  apiKey?: string;
  tls: boolean;
}

/** TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY (Temporal Cloud) / TEMPORAL_TLS. */
export function temporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    apiKey: env.TEMPORAL_API_KEY || undefined,
    tls: env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY),
  };
}

function options(config: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  return { address: config.address, tls: config.tls ? {} : undefined, apiKey: config.apiKey };
}

const unreachable = (config: TemporalConfig, err: unknown) =>
  new Error(
    `Temporal is not reachable at ${config.address} (namespace ${config.namespace}): ${(err as Error).message}. ` +
      'Start it with `bash infra/temporal-dev.sh` (or `npm start`), or set TEMPORAL_ADDRESS.',
  );

export async function connectClient(config = temporalConfig()): Promise<Connection> {
  try {
    return await Connection.connect(options(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}

export async function connectWorker(config = temporalConfig()): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(options(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}
