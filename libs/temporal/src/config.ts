import { readFileSync } from 'node:fs';
import { Connection, ConnectionOptions, TLSConfig } from '@temporalio/client';
import { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';

/**
 * How every process (API, worker, scripts) reaches Temporal: the CLI dev server by default, a
 * self-hosted cluster, or Temporal Cloud (API key, or mTLS with a client certificate and key).
 * The variables are the Temporal CLI's own names, so one environment serves both.
 */
export interface TemporalConfig {
  address: string;
  namespace: string;
  apiKey?: string;
  tls: boolean;
  /** mTLS client certificate and key (PEM), read once at start-up. */
  clientCertPair?: { crt: Buffer; key: Buffer };
  /** The server's CA (PEM) when it is not publicly trusted (a private or self-signed CA). */
  serverRootCACertificate?: Buffer;
  /** The name the server's certificate must carry, when it differs from the address's host. */
  serverNameOverride?: string;
}

/** A configuration that cannot work: every problem at once, each naming its variable. */
export class TemporalConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Temporal configuration: ${problems.join('; ')}.`);
  }
}

const ADDRESS = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/**
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CERT_PATH +
 * TEMPORAL_TLS_KEY_PATH (mTLS), TEMPORAL_TLS_CA_PATH, TEMPORAL_TLS_SERVER_NAME. Read and checked
 * at start-up (files included), so a wrong value stops the process with its name instead of a
 * handshake error minutes later.
 */
export function temporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const problems: string[] = [];
  const address = env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const port = ADDRESS.exec(address)?.[2];
  if (!port || Number(port) < 1 || Number(port) > 65535) {
    problems.push(`TEMPORAL_ADDRESS must be host:port (e.g. 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233), got "${address}"`);
  }
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  if (!NAMESPACE.test(namespace)) problems.push(`TEMPORAL_NAMESPACE "${namespace}" is not a namespace name (letters, digits, . _ -)`);

  const flag = env.TEMPORAL_TLS?.trim().toLowerCase();
  if (flag !== undefined && flag !== '' && flag !== 'true' && flag !== 'false') {
    problems.push(`TEMPORAL_TLS must be true or false, got "${env.TEMPORAL_TLS}"`);
  }
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const certPath = env.TEMPORAL_TLS_CERT_PATH || undefined;
  const keyPath = env.TEMPORAL_TLS_KEY_PATH || undefined;
  const caPath = env.TEMPORAL_TLS_CA_PATH || undefined;
  const serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME || undefined;

  if (Boolean(certPath) !== Boolean(keyPath)) {
    problems.push('mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH (the client certificate and its key)');
  }
  if (apiKey && certPath) {
    problems.push('set either TEMPORAL_API_KEY or a client certificate (TEMPORAL_TLS_CERT_PATH), not both');
  }
  const pem = (variable: string, path: string | undefined, kind: RegExp): Buffer | undefined => {
    if (!path) return undefined;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (err) {
      problems.push(`${variable}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return undefined;
    }
    if (!kind.test(content.toString('utf8'))) problems.push(`${variable}=${path} is not a PEM file of the expected kind`);
    return content;
  };
  const crt = pem('TEMPORAL_TLS_CERT_PATH', certPath, /-----BEGIN CERTIFICATE-----/);
  const key = pem('TEMPORAL_TLS_KEY_PATH', keyPath, /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/);
  const serverRootCACertificate = pem('TEMPORAL_TLS_CA_PATH', caPath, /-----BEGIN CERTIFICATE-----/);

  // Anything that only makes sense over TLS turns it on; saying false as well is a contradiction.
  const impliesTls = Boolean(apiKey || certPath || caPath || serverNameOverride);
  if (flag === 'false' && impliesTls) {
    problems.push('TEMPORAL_TLS=false contradicts TEMPORAL_API_KEY / TEMPORAL_TLS_* (which need TLS)');
  }
  if (problems.length) throw new TemporalConfigError(problems);
  return {
    address,
    namespace,
    apiKey,
    tls: flag === 'true' || impliesTls,
    clientCertPair: crt && key ? { crt, key } : undefined,
    serverRootCACertificate,
    serverNameOverride,
  };
}

/** The connection options of the client (API, scripts) and of the worker, from one config. */
export function connectionOptions(config: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  const tls: TLSConfig | undefined = config.tls
    ? {
        clientCertPair: config.clientCertPair,
        serverRootCACertificate: config.serverRootCACertificate,
        serverNameOverride: config.serverNameOverride,
      }
    : undefined;
  return { address: config.address, tls, apiKey: config.apiKey };
}

/** One line for start-up logs: where and how, never the key. */
export function describeTemporal(config: TemporalConfig): string {
  const auth = config.apiKey ? ', API key' : config.clientCertPair ? ', mTLS client certificate' : '';
  return `${config.address} (namespace ${config.namespace}${config.tls ? `, TLS${auth}` : ''})`;
}

const unreachable = (config: TemporalConfig, err: unknown) =>
  new Error(
    `Temporal is not reachable at ${describeTemporal(config)}: ${(err as Error).message}. ` +
      'Start it with `bash infra/temporal-dev.sh` (or `npm start`), or set TEMPORAL_ADDRESS (and TEMPORAL_TLS_* / TEMPORAL_API_KEY).',
  );

export async function connectClient(config = temporalConfig()): Promise<Connection> {
  try {
    return await Connection.connect(connectionOptions(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}

/** A client connection that connects on first use, so the API can start and /ready say what is down. */
export function lazyClientConnection(config = temporalConfig()): Connection {
  return Connection.lazy(connectionOptions(config));
}

export async function connectWorker(config = temporalConfig()): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptions(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}
