import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPARTEMENT, ENCRYPTED_ENCODING, JOURNEY_STAGE, journeyWorkflowId, JourneyStarter, SEGMENT } from '@walt/temporal';
import { historyText } from './support/history';
import { youthRepliedSignal } from '../workflows/messages';
import { createCase, journeyOf, pendingReferral, waitForStage } from './support/journeys';
import { quietTemporalRuntime, startTestSystem, TestSystem } from './support/test-system';

/**
 * Histories are encrypted before they reach Temporal. A server of its own, on a SQLite file, runs a
 * journey up to its first referral; the test then reads the file's bytes, as someone holding a copy
 * of Temporal's database would, and finds no payload in clear. A probe written without the codec
 * proves the scan would see one.
 */
describe('workflow histories are encrypted at rest', () => {
  let env: TestWorkflowEnvironment;
  let sys: TestSystem;
  let dir: string;
  let dbFile: string;

  beforeAll(async () => {
    const cli = process.env.TEMPORAL_CLI;
    if (!cli) throw new Error('TEMPORAL_CLI is not set: run the suite with `npm test`, which builds or finds the Temporal CLI');
    quietTemporalRuntime();
    dir = mkdtempSync(join(tmpdir(), 'walt-temporal-db-'));
    dbFile = join(dir, 'temporal.sqlite');
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        dbFilename: dbFile,
        searchAttributes: [JOURNEY_STAGE, SEGMENT, DEPARTEMENT],
      },
    });
    // The API's own client speaks to the suite's server: its journeys start through the test client instead.
    let starter: JourneyStarter | undefined;
    sys = await startTestSystem({
      temporalAddress: env.connection.options.address,
      journeyStarter: { start: (kase) => starter!.start(kase) },
    });
    starter = new JourneyStarter(sys.client, sys.dataSource);
  });
  afterAll(async () => {
    await sys?.stop();
    await env?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every byte Temporal persisted: the database file, its write-ahead log and rollback journal. */
  const persisted = () => [dbFile, `${dbFile}-wal`, `${dbFile}-journal`].map(bytesOf).join('\n');
  /** SQLite creates and deletes its journal as it goes: a file gone since it was named holds nothing. */
  const bytesOf = (file: string) => {
    try {
      return readFileSync(file).toString('latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  };
  const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

  it('no case id outside workflow ids, no message code, no payload JSON in the database file', async () => {
    const caseId = await createCase(sys, { referralExpiresAfter: 'PT60S', partnerReminderAfter: 'PT30S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    await pendingReferral(sys, caseId, 1);
    await waitForStage(sys, caseId, 'REFERRED');

    // The probe: a workflow started by a client without the codec (no worker polls its queue).
    const probeId = randomUUID();
    const plain = new Client({ connection: sys.client.connection });
    await plain.workflow.start('probeWorkflow', {
      taskQueue: 'privacy-probe',
      workflowId: `probe-${probeId}`,
      args: [{ caseId: probeId, purpose: 'WELCOME' }],
    });
    const bytes = await eventuallyPersisted(() => persisted(), probeId);
    expect(bytes).toContain(`{"caseId":"${probeId}","purpose":"WELCOME"}`);

    // The case's own workflows ran: started, activities scheduled and completed, a child referral.
    const history = await historyText(sys.client, journeyWorkflowId(caseId));
    expect(history).toContain(`caseId\\":\\"${caseId}`); // decrypted through the codec, it is all there (JSON in JSON)
    const mentions = occurrences(bytes, caseId);
    const inIds = occurrences(bytes, `journey-${caseId}`) + occurrences(bytes, `referral-${caseId}`);
    expect(mentions).toBeGreaterThan(0);
    expect(mentions).toBe(inIds); // the ids name the case (by design); no payload does
    expect(bytes).not.toContain(`"caseId":"${caseId}"`);
    // Every WELCOME in the file is the probe's (SQLite may hold its payload in more than one page or
    // in the WAL too): the journey's welcome message is ciphertext.
    expect(occurrences(bytes, 'WELCOME')).toBe(occurrences(bytes, '"purpose":"WELCOME"'));
    expect(bytes).not.toContain('"policyVersion"');
    expect(bytes).not.toContain('"referralId"');
    expect(bytes).toContain(ENCRYPTED_ENCODING);
  });

  it('an admin decodes a stored payload through /v1/temporal-codec/decode, as the Temporal UI does', async () => {
    const caseId = await createCase(sys);
    await waitForStage(sys, caseId, ['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED']);
    const raw = await sys.client.workflow.getHandle(journeyWorkflowId(caseId)).fetchHistory();
    const stored = raw.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const asJson = {
      metadata: Object.fromEntries(Object.entries(stored.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(stored.data!).toString('base64'),
    };
    expect(Buffer.from(stored.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(stored.data!).toString('latin1')).not.toContain(caseId);

    const admin = `Bearer ${sys.token('admin')}`;
    const decoded = await sys
      .http()
      .post('/v1/temporal-codec/decode')
      .set('Authorization', admin)
      .set('X-Namespace', 'default')
      .send({ payloads: [asJson] })
      .expect(200);
    const [payload] = decoded.body.payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toMatchObject({ caseId, segment: expect.any(String) });

    // Encode then decode: what the UI sends back (a signal typed in the UI) is encrypted with the current key.
    const clear = defaultPayloadConverter.toPayload({ channel: 'SMS' })!;
    const clearJson = {
      metadata: { encoding: Buffer.from(clear.metadata!.encoding!).toString('base64') },
      data: Buffer.from(clear.data!).toString('base64'),
    };
    const encoded = (
      await sys
        .http()
        .post('/v1/temporal-codec/encode')
        .set('Authorization', admin)
        .send({ payloads: [clearJson] })
        .expect(200)
    ).body;
    expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    const back = (await sys.http().post('/v1/temporal-codec/decode').set('Authorization', admin).send(encoded).expect(200)).body;
    expect(back.payloads[0].data).toBe(clearJson.data);
  });

  it('only admins; bad bodies and foreign ciphertext are 400s in the one error shape', async () => {
    const body = {
      payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('1').toString('base64') }],
    };
    await sys.http().post('/v1/temporal-codec/decode').send(body).expect(401);
    await sys
      .http()
      .post('/v1/temporal-codec/decode')
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .send(body)
      .expect(403);
    await sys
      .http()
      .post('/v1/temporal-codec/decode')
      .set('Authorization', `Bearer ${sys.token('manager')}`)
      .send(body)
      .expect(403);
    const admin = `Bearer ${sys.token('admin')}`;
    const bad = await sys.http().post('/v1/temporal-codec/decode').set('Authorization', admin).send({ payloads: 'nope' }).expect(400);
    expect(bad.body).toMatchObject({
      error: 'ValidationError',
      details: expect.arrayContaining([{ field: 'payloads', message: 'payloads must be an array' }]),
    });
    const foreign = {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING).toString('base64'),
        'encryption-key-id': Buffer.from('retired-2019').toString('base64'),
      },
      data: Buffer.alloc(40).toString('base64'),
    };
    const refused = await sys
      .http()
      .post('/v1/temporal-codec/decode')
      .set('Authorization', admin)
      .send({ payloads: [foreign] })
      .expect(400);
    expect(refused.body.message).toMatch(/No codec key with id retired-2019/);
  });

  it('CORS answers the configured Temporal UI origin only', async () => {
    const ui = 'http://localhost:8233'; // the default outside production (TEMPORAL_UI_ORIGIN)
    const preflight = await sys
      .http()
      .options('/v1/temporal-codec/decode')
      .set('Origin', ui)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ui);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');

    const elsewhere = await sys
      .http()
      .options('/v1/temporal-codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const post = await sys.http().post('/v1/temporal-codec/decode').set('Origin', 'https://evil.example').send({ payloads: [] });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    // Other routes answer no CORS at all, even to the UI's origin.
    const health = await sys.http().get('/health').set('Origin', ui);
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** The server writes asynchronously: wait until the probe's bytes are in the file. */
async function eventuallyPersisted(read: () => string, marker: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const bytes = read();
    if (bytes.includes(marker) || Date.now() > deadline) return bytes;
    await new Promise((r) => setTimeout(r, 200));
  }
}
