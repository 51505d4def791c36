import type { DataSource } from 'typeorm';
import { loadSeedPartnersIfEmpty } from '@walt/directory';
import { initializeDataSource } from '@walt/persistence';
import { Socket } from 'node:net';

/** Where the test command (infra/test.sh) puts the services; overridable like production. */
export const TEST_ENV = {
  databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_test',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  temporalAddress: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7299',
};

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

const hostPort = (url: string, defaultPort: number): [string, number] => {
  const u = new URL(url.includes('://') ? url : `tcp://${url}`);
  return [u.hostname, Number(u.port || defaultPort)];
};

/** Integration tests call this first: a missing service fails the run and says how to start it. */
export async function requireServices(): Promise<void> {
  const missing: string[] = [];
  if (!(await reachable(...hostPort(TEST_ENV.databaseUrl, 5432))))
    missing.push(`PostgreSQL at ${TEST_ENV.databaseUrl} (pg_ctlcluster 15 main start)`);
  if (!(await reachable(...hostPort(TEST_ENV.redisUrl, 6379))))
    missing.push(`Redis at ${TEST_ENV.redisUrl} (redis-server --daemonize yes)`);
  if (!(await reachable(...hostPort(TEST_ENV.temporalAddress, 7233))))
    missing.push(`Temporal at ${TEST_ENV.temporalAddress} (run the suite with \`npm test\`, which starts a dev server)`);
  if (missing.length) throw new Error(`Integration tests need running services; not reachable: ${missing.join('; ')}`);
}

/**
 * Connects to the test database, applies the migrations and loads the seed directory before any
 * test writes partners of its own (the test command starts each run from an empty database).
 */
export async function testDatabase(): Promise<DataSource> {
  const dataSource = await initializeDataSource(TEST_ENV.databaseUrl);
  await dataSource.runMigrations({ transaction: 'each' });
  await loadSeedPartnersIfEmpty(dataSource);
  return dataSource;
}
