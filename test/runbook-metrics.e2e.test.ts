import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { workerTelemetry } from '../apps/worker/src/telemetry';
import { aForm } from './support/forms';
import { TEST_ENV } from './support/services';
import { quietTemporalRuntime, startTestSystem, TestSystem } from './support/test-system';

/** The metrics the README's runbook names (`name` or `name{label…}` in backticks), with the labels it selects on. */
function runbookMetrics(readme: string): { name: string; labels: string[] }[] {
  const start = readme.indexOf('### Runbook');
  if (start < 0) throw new Error('the README has no "### Runbook" section');
  const end = readme.indexOf('\n## ', start);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const found = new Map<string, Set<string>>();
  for (const [, name, selector = ''] of section.matchAll(/`((?:walt|temporal)_[a-z0-9_]+)(\{[^}`]*\})?/g)) {
    const labels = found.get(name) ?? new Set<string>();
    for (const [, label] of selector.matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)/g)) labels.add(label);
    found.set(name, labels);
  }
  return [...found].map(([name, labels]) => ({ name, labels: [...labels] }));
}

/** Metric family → label names on its samples, from Prometheus text (histograms under their base name). */
function families(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = line.match(/^# TYPE (\S+) /);
    if (type) out.set(type[1], out.get(type[1]) ?? new Set());
    const sample = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /);
    if (!sample) continue;
    const family = sample[1].replace(/_(bucket|sum|count)$/, '');
    const labels = out.get(out.has(sample[1]) ? sample[1] : family);
    for (const [, label] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) labels?.add(label);
  }
  return out;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });

/**
 * Every metric the runbook tells an operator to watch exists under that name, with the labels it
 * selects on: in the API's /metrics after a few requests, and in a worker's Prometheus endpoint
 * (the SDK's telemetry, configured as apps/worker/src/main.ts does) after one workflow whose
 * activity failed once.
 */
describe('the runbook names metrics the processes export', () => {
  const expected = runbookMetrics(readFileSync(join(__dirname, '..', 'README.md'), 'utf8'));
  let sys: TestSystem;
  let workerMetrics = '';

  beforeAll(async () => {
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    quietTemporalRuntime(workerTelemetry(metricsAddress)); // before startTestSystem installs a quiet one
    sys = await startTestSystem({ worker: false });

    const connection = await NativeConnection.connect({ address: TEST_ENV.temporalAddress });
    const taskQueue = `runbook-metrics-${randomUUID()}`;
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/metrics/workflow'),
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
      }),
      activities: {
        async flaky() {
          if (Context.current().info.attempt === 1) throw new Error('first attempt fails');
          return 'ok';
        },
      },
    });
    const running = worker.run();
    await sys.client.workflow.execute('metricsWorkflow', { taskQueue, workflowId: taskQueue });
    // Scraped while the worker still polls (pollers and cache are gauges of a running worker).
    workerMetrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    worker.shutdown();
    await running;
    await connection.close();
  });

  afterAll(() => sys?.stop());

  it('reads the names from the runbook', () => {
    expect(expected.map((m) => m.name)).toEqual(expect.arrayContaining(['walt_http_requests_total', 'walt_queue_jobs']));
    expect(expected.some((m) => m.name.startsWith('temporal_'))).toBe(true);
  });

  it('the API exports every walt_ metric of the runbook, with its labels', async () => {
    await sys.http().post('/v1/intake/forms').send(aForm()).expect(201); // a case, so walt_journeys has a stage
    await sys.http().get('/no/such/path').expect(404);
    const api = families((await sys.http().get('/metrics').expect(200)).text);
    for (const { name, labels } of expected.filter((m) => m.name.startsWith('walt_'))) {
      expect({ name, exported: api.has(name) }).toEqual({ name, exported: true });
      expect({ name, labels: [...(api.get(name) ?? [])] }).toEqual({ name, labels: expect.arrayContaining(labels) });
    }
  });

  it('a worker exports every temporal_ metric of the runbook, with its labels', () => {
    const worker = families(workerMetrics);
    for (const { name, labels } of expected.filter((m) => m.name.startsWith('temporal_'))) {
      expect({ name, exported: worker.has(name) }).toEqual({ name, exported: true });
      expect({ name, labels: [...(worker.get(name) ?? [])] }).toEqual({ name, labels: expect.arrayContaining(labels) });
    }
  });
});
