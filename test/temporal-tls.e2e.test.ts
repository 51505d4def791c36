import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { connectClient, connectWorker, journeyWorkflowId, temporalConfig } from '@walt/temporal';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/app';
import { createJourneyWorker } from '../apps/worker/src/journey-worker';
import { aForm } from './support/forms';
import { requireServices, TEST_ENV, testDatabase } from './support/services';
import { eventually, quietTemporalRuntime } from './support/test-system';
import { makeTestCertificates, MtlsEndpoint, startMtlsEndpoint, TestCertificates } from './support/tls';

/**
 * The remote-cluster / Temporal Cloud path: the API and the worker reach Temporal through an
 * endpoint that demands a client certificate (mTLS), with a private CA and a server name that is
 * not the address's host, configured only through the TEMPORAL_* variables the processes read.
 */
describe('Temporal over mTLS: the API and the worker start against a TLS endpoint', () => {
  const SERVER_NAME = 'temporal.walt.test';
  const VARIABLES = [
    'TEMPORAL_ADDRESS',
    'TEMPORAL_TLS_CERT_PATH',
    'TEMPORAL_TLS_KEY_PATH',
    'TEMPORAL_TLS_CA_PATH',
    'TEMPORAL_TLS_SERVER_NAME',
  ];
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  let certificates: TestCertificates;
  let endpoint: MtlsEndpoint;
  let dataSource: DataSource;
  let app: INestApplication;
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const startedJourneys: string[] = [];

  beforeAll(async () => {
    await requireServices();
    quietTemporalRuntime();
    dataSource = await testDatabase();
    certificates = makeTestCertificates(SERVER_NAME, 'walt-worker');
    endpoint = await startMtlsEndpoint(certificates, TEST_ENV.temporalAddress);
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: endpoint.address,
      TEMPORAL_TLS_CERT_PATH: certificates.clientCertPath,
      TEMPORAL_TLS_KEY_PATH: certificates.clientKeyPath,
      TEMPORAL_TLS_CA_PATH: certificates.caPath,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    });
    // As apps/worker/src/main.ts does: the configuration from the environment, then the worker.
    workerConnection = await connectWorker(temporalConfig());
    worker = await createJourneyWorker({ connection: workerConnection, dataSource });
    running = worker.run();
    // As apps/api/src/main.ts does: the real AppModule reads the same variables.
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
    await app.init();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    // After the worker: a journey ended under a running activity makes the worker log a warning.
    const client = new Client({ connection: await connectClient(), namespace: 'default' });
    for (const caseId of startedJourneys) await client.workflow.getHandle(journeyWorkflowId(caseId)).terminate('test finished');
    await client.connection.close();
    await app?.close();
    await dataSource?.destroy();
    await endpoint?.close();
    certificates?.remove();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('a form submitted to the API starts a journey that the worker runs, every call over mTLS', async () => {
    const ready = await request(app.getHttpServer()).get('/ready').expect(200);
    expect(ready.body.checks.temporal).toBe('up');

    const { caseId } = (await request(app.getHttpServer()).post('/v1/intake/forms').send(aForm()).expect(201)).body;
    await eventually(async () => {
      const [row] = await dataSource.query('SELECT stage FROM cases WHERE id = $1', [caseId]);
      return row?.stage === 'ENGAGING' ? row : undefined;
    }, 'the journey (run by the worker over mTLS) to move the case to ENGAGING');

    // Both processes came through the endpoint, each with the client certificate.
    expect(endpoint.clients.length).toBeGreaterThanOrEqual(2);
    expect(new Set(endpoint.clients)).toEqual(new Set(['walt-worker']));

    startedJourneys.push(caseId);
  });

  it('without the client certificate the endpoint refuses the handshake, and the error says where and how it connected', async () => {
    const refusedBefore = endpoint.refused;
    const noCertificate = temporalConfig({ ...process.env, TEMPORAL_TLS_CERT_PATH: '', TEMPORAL_TLS_KEY_PATH: '' });
    await expect(connectWorker(noCertificate)).rejects.toThrow(`Temporal is not reachable at ${endpoint.address} (namespace default, TLS)`);
    expect(endpoint.refused).toBeGreaterThan(refusedBefore);
  });
});
