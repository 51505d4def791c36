import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import {
  bullJobId,
  EMAIL_STOP,
  MessageChannelName,
  MessagingConfig,
  OutboxAdapter,
  partnerLinkSecret,
  readReferralLink,
  signInbound,
  SMS_STOP,
} from '@walt/messaging';
import { JourneyActivities, JourneyStep, StepEffects } from '../activities/journey.activities';
import { jwtSecret } from '@walt/auth';
import { MessageProcessor } from '../apps/worker/src/messaging/message.processor';
import { Messaging, startMessaging } from '../apps/worker/src/messaging/messaging';
import { startSmsSink, SmsSink } from '../libs/messaging/src/testing/sms-sink';
import { SmtpSink, startSmtpSink } from '../libs/messaging/src/testing/smtp-sink';
import { aForm } from './support/forms';
import { TEST_ENV } from './support/services';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * Outbound messages for real: the journey activity's rows go through BullMQ on a real Redis
 * to a local SMTP server and a local HTTP SMS provider (both started here), and the row in
 * PostgreSQL records what happened. Redis: a dedicated database (5) and a per-run key prefix;
 * "flushing" deletes only this run's keys.
 */
const redisUrl = (() => {
  const url = new URL(TEST_ENV.redisUrl);
  url.pathname = '/5';
  return url.toString();
})();
const PREFIX = `walt-test-${process.pid}`;
const COUNSELLORS = 'conseillers@programme.example';
const INBOUND_SECRET = 'inbound-secret-for-tests-0123';
/**
 * The clock of the quiet-hours rule unless a test sets its own: 16:00 in Paris, 11:00 in
 * Guadeloupe and Martinique, 12:00 in Guyane, outside every quiet period. With the real clock,
 * an SMS to Guadeloupe is (rightly) held from 00:00 to 13:00 UTC and the test waits in vain.
 */
const DAYTIME = new Date('2026-01-15T15:00:00Z');

let sys: TestSystem;
let smtp: SmtpSink;
let sms: SmsSink;
let messaging: Messaging | undefined;
const logs: string[] = [];

beforeAll(async () => {
  sys = await startTestSystem();
  [smtp, sms] = await Promise.all([startSmtpSink(), startSmsSink()]);
  // Pending rows of earlier runs are not this run's business (the sweeper would pick them up).
  await sys.dataSource.query(
    `UPDATE outbound_messages SET status = 'SUPPRESSED', last_error = 'earlier test run' WHERE status IN ('QUEUED', 'DELAYED')`,
  );
});

afterEach(async () => {
  await messaging?.close();
  messaging = undefined;
  sms.fail(0);
});

afterAll(async () => {
  await sys.dataSource.query(
    `UPDATE outbound_messages SET status = 'SUPPRESSED', last_error = 'end of test run' WHERE status IN ('QUEUED', 'DELAYED')`,
  );
  await deleteKeys(`${PREFIX}:*`);
  await Promise.all([smtp?.close(), sms?.close()]);
  await sys?.stop();
});

async function start(config: Partial<MessagingConfig> = {}, now: () => Date = () => DAYTIME): Promise<Messaging> {
  messaging = await startMessaging({
    dataSource: sys.dataSource,
    env: {
      NODE_ENV: 'test',
      JWT_SECRET: process.env.JWT_SECRET,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Programme <bonjour@programme.example>',
      SMS_PROVIDER_URL: sms.url,
      SMS_PROVIDER_KEY: 'sms-key-123',
      COUNSELLOR_EMAIL: COUNSELLORS,
    },
    config: { redisUrl, prefix: PREFIX, backoffMs: 20, sweepIntervalMs: 3_600_000, ratePerSecond: {}, ...config },
    now,
    log: (line) => logs.push(line),
  });
  return messaging;
}

async function deleteKeys(pattern: string): Promise<number> {
  const redis = new IORedis(redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

let phoneCounter = 0;

/** A young person and their case, inserted directly: département and consent as the test needs. */
async function aCase(options: { departement?: string; channels?: MessageChannelName[]; firstName?: string } = {}) {
  const { departement = '75', channels = ['SMS', 'EMAIL'], firstName = 'Léa' } = options;
  const youthId = randomUUID();
  const caseId = randomUUID();
  phoneCounter += 1;
  const phone = `+3361${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`;
  const email = `lea.${caseId.slice(0, 8)}@example.org`;
  const commune = departement === '971' ? '97101' : '75111';
  await sys.dataSource.query(
    `INSERT INTO youths (id, first_name, last_name, birth_date, email, phone, postal_code, commune_code, diploma_level, situation, consent)
     VALUES ($1, $2, 'Martin', '2005-03-01', $3, $4, '75011', $5, 'CAP_BEP', 'LOOKING_FOR_JOB', $6)`,
    [youthId, firstName, email, phone, commune, JSON.stringify({ dataProcessing: true, shareWithPartners: true, channels })],
  );
  await sys.dataSource.query(
    `INSERT INTO cases (id, youth_id, submission_id, stage, stage_entered_at, segment, eligible, age_at_capture, departement, region,
                        source_channel, policy_version, journey_started_at)
     SELECT $1, $2, $3, 'ENGAGING', now(), 'CHOMEUR_CLASSIQUE', true, 20, $4, $5, 'INSTAGRAM', 1, now()`,
    [caseId, youthId, `test-${caseId}`, departement, departement === '971' ? '01' : '11'],
  );
  return { caseId, youthId, phone, email };
}

let stepCounter = 0;
const aStep = (caseId: string, messages: StepEffects['messages'], extra: StepEffects = {}): JourneyStep => ({
  caseId,
  idempotencyKey: `${caseId}:${++stepCounter}`,
  type: 'MESSAGE_QUEUED',
  actor: 'system',
  at: new Date().toISOString(),
  data: { purpose: messages?.[0]?.purpose ?? 'NONE' },
  messages,
  ...extra,
});

/** Records a step through the real activity, with the dispatcher the worker gives it. */
const record = (step: JourneyStep, m: Messaging = messaging!) =>
  new JourneyActivities(sys.dataSource, { dispatcher: m.dispatcher }).recordStep(step);

const messagesOf = (caseId: string) =>
  sys.dataSource.query(`SELECT * FROM outbound_messages WHERE case_id = $1 ORDER BY created_at, channel`, [caseId]);

const settled = (caseId: string, count: number, statuses = ['SENT', 'SUPPRESSED', 'FAILED']) =>
  eventually(async () => {
    const rows = await messagesOf(caseId);
    return rows.length >= count && rows.every((r: { status: string }) => statuses.includes(r.status)) ? rows : undefined;
  }, `${count} message(s) of case ${caseId} to settle`);

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
const smsTo = (phone: string) => sms.requests.filter((r) => r.body.to === phone);

describe('outbound messages through BullMQ', () => {
  it('sends the welcome email over SMTP with its French text', async () => {
    await start();
    const { caseId, email } = await aCase({ channels: ['EMAIL'] });
    expect(await record(aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]))).toBe(1);
    const [row] = await settled(caseId, 1);
    expect(row).toMatchObject({ status: 'SENT', channel: 'EMAIL', attempts: 1 });
    expect(row.sent_at).toBeInstanceOf(Date);
    const [mail] = mailsTo(email);
    expect(mail.from).toBe('bonjour@programme.example');
    expect(mail.subject).toBe('On a bien reçu ta demande');
    expect(mail.text).toContain('Salut Léa ! Ta demande est bien arrivée.');
    expect(mail.text).toContain(EMAIL_STOP);
    expect(mail.messageId).toBe(`<${row.id}@walt.messages>`);
    expect(row.provider_id).toBe(mail.messageId);
    expect(logs.some((l) => l.includes(`EMAIL: smtp smtp://127.0.0.1`))).toBe(true);
  });

  it('sends the SMS to the HTTP provider as JSON { to, text } with its bearer key', async () => {
    await start();
    const { caseId, phone } = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]));
    const [row] = await settled(caseId, 1);
    expect(row.status).toBe('SENT');
    const [request] = smsTo(phone);
    expect(request.body).toEqual({
      to: phone,
      text: `Salut Léa ! Ta demande est bien arrivée. Réponds à ce message et on en parle ensemble pour trouver ta suite : job, formation ou autre projet. ${SMS_STOP}`,
    });
    expect(request.headers.authorization).toBe('Bearer sms-key-123');
    expect(request.headers['idempotency-key']).toBe(row.id);
  });

  it('a repeated activity and a repeated enqueue make one job and one message', async () => {
    const m = await start();
    await m.workers[0].pause(); // SMS
    await m.workers[1].pause(); // EMAIL
    const { caseId, phone, email } = await aCase({ departement: '971' });
    const step = aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]);
    expect(await record(step)).toBe(2);
    expect(await record(step)).toBe(0);
    const rows = await messagesOf(caseId);
    expect(rows).toHaveLength(2);
    await m.dispatcher.enqueue(rows.map((r: any) => ({ id: r.id, jobId: r.job_id, channel: r.channel }))); // again
    for (const row of rows) {
      const queue = m.dispatcher.queueOf(row.channel);
      expect(await queue.getJobState(bullJobId(row.job_id))).toBe('waiting');
      expect((await queue.getJobs(['waiting'])).filter((job) => job.data.messageId === row.id)).toHaveLength(1);
    }
    m.workers.forEach((w) => w.resume());
    await settled(caseId, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(phone)).toHaveLength(1);
    expect(mailsTo(email)).toHaveLength(1);
  });

  it('a second run of a message being sent waits for the first: one send', async () => {
    const { caseId } = await aCase({ channels: ['EMAIL'] });
    await new JourneyActivities(sys.dataSource).recordStep(aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }])); // not enqueued
    const [row] = await messagesOf(caseId);
    let sends = 0;
    const slow = {
      description: 'slow',
      send: async () => (sends++, await new Promise((r) => setTimeout(r, 300)), { providerId: 'slow-1' }),
    };
    const processor = new MessageProcessor({
      dataSource: sys.dataSource,
      adapters: { SMS: slow, EMAIL: slow },
      dispatcher: { dispatch: async () => undefined },
      config: { maxAttempts: 5, counsellorEmail: COUNSELLORS, publicBaseUrl: 'http://127.0.0.1:3000' },
      linkFor: () => 'unused',
    });
    const outcomes = await Promise.all([processor.send(row.id), processor.send(row.id)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['delayed', 'sent']);
    expect((await processor.send(row.id)).kind).toBe('skipped');
    expect(sends).toBe(1);
    expect((await messagesOf(caseId))[0]).toMatchObject({ status: 'SENT', attempts: 1, provider_id: 'slow-1', sending_until: null });
  });

  it('a batch claimed at once and accepted by the provider, then a crash before SENT: the retry sends each message once', async () => {
    const { caseId } = await aCase({ channels: ['EMAIL'] });
    const activities = new JourneyActivities(sys.dataSource); // rows only, not enqueued
    for (let i = 0; i < 5; i++) await activities.recordStep(aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]));
    const rows: { id: string }[] = await messagesOf(caseId);
    expect(rows).toHaveLength(5);
    // The first worker's database: counts the claims' writes and dies at the SENT write.
    const statements: string[] = [];
    const dying = new Proxy(sys.dataSource, {
      get(target, key, receiver) {
        if (key !== 'query') return Reflect.get(target, key, receiver);
        return (sql: string, params?: unknown[]) => {
          statements.push(sql);
          if (/SET status = 'SENT'/.test(sql)) return Promise.reject(new Error('worker killed'));
          return target.query(sql, params);
        };
      },
    });
    const processorOn = (dataSource: typeof sys.dataSource) =>
      new MessageProcessor({
        dataSource,
        adapters: { SMS: new OutboxAdapter(sys.dataSource, 'SMS', null), EMAIL: new OutboxAdapter(sys.dataSource, 'EMAIL', null) },
        dispatcher: { dispatch: async () => undefined },
        config: { maxAttempts: 5, counsellorEmail: COUNSELLORS, publicBaseUrl: 'http://127.0.0.1:3000' },
        linkFor: () => 'unused',
      });
    const one = processorOn(dying as never);
    const first = await Promise.allSettled(rows.map((r) => one.send(r.id)));
    expect(first.every((o) => o.status === 'rejected')).toBe(true);
    // The five claims were one compare-and-set statement, their SENT one statement too.
    expect(statements.filter((q) => /^WITH claimed AS \(\s*UPDATE outbound_messages /.test(q))).toHaveLength(1);
    expect(statements.filter((q) => /SET status = 'SENT'/.test(q))).toHaveLength(1);
    const again = await Promise.all(rows.map((r) => one.send(r.id)));
    expect(again.map((o) => o.kind)).toEqual(rows.map(() => 'delayed')); // the first run's leases hold
    const outbox = (ids: string[]) =>
      sys.dataSource.query(`SELECT message_id, count(*)::int AS n FROM message_outbox WHERE message_id = ANY($1) GROUP BY 1`, [ids]);
    expect(await outbox(rows.map((r) => r.id))).toHaveLength(5); // the provider accepted all five
    expect((await messagesOf(caseId)).map((r: any) => [r.status, r.attempts])).toEqual(rows.map(() => ['QUEUED', 1]));

    // The leases run out; a healthy worker retries the five jobs at once.
    await sys.dataSource.query(`UPDATE outbound_messages SET sending_until = now() - interval '1 second' WHERE case_id = $1`, [caseId]);
    const healthy = processorOn(sys.dataSource);
    expect((await Promise.all(rows.map((r) => healthy.send(r.id)))).map((o) => o.kind)).toEqual(rows.map(() => 'sent'));
    const after = await messagesOf(caseId);
    expect(after.map((r: any) => [r.status, r.attempts, r.sending_until])).toEqual(rows.map(() => ['SENT', 2, null]));
    // Stored once per message id: the repeat reached the provider with the same id and was dropped.
    expect((await outbox(rows.map((r) => r.id))).map((r: any) => r.n)).toEqual(rows.map(() => 1));
    const stored = await sys.dataSource.query(`SELECT id, message_id FROM message_outbox WHERE message_id = ANY($1)`, [
      rows.map((r) => r.id),
    ]);
    for (const r of after) expect(r.provider_id).toBe(`outbox-${stored.find((s: any) => s.message_id === r.id).id}`);
  });

  it('holds an SMS at 22:00 in Paris until 09:00 Paris time, while the same instant in Guadeloupe sends at once', async () => {
    const tenPmParis = new Date('2026-01-15T21:00:00Z');
    const m = await start({}, () => tenPmParis);
    const paris = await aCase({ departement: '75', channels: ['SMS', 'EMAIL'] });
    const guadeloupe = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(paris.caseId, [{ purpose: 'NUDGE_1', recipient: 'YOUTH' }]));
    await record(aStep(guadeloupe.caseId, [{ purpose: 'NUDGE_1', recipient: 'YOUTH' }]));

    const [sent] = await settled(guadeloupe.caseId, 1);
    expect(sent.status).toBe('SENT');
    expect(smsTo(guadeloupe.phone)).toHaveLength(1);

    const held = await eventually(async () => {
      const rows = await messagesOf(paris.caseId);
      const smsRow = rows.find((r: any) => r.channel === 'SMS');
      return smsRow?.status === 'DELAYED' && rows.find((r: any) => r.channel === 'EMAIL')?.status === 'SENT' ? smsRow : undefined;
    }, 'the Paris SMS to be delayed and its email sent');
    expect(held.scheduled_at).toEqual(new Date('2026-01-16T08:00:00Z')); // 09:00 in Paris
    expect(held.attempts).toBe(0);
    const job = await m.dispatcher.queues.SMS.getJob(bullJobId(held.job_id));
    expect(await job!.getState()).toBe('delayed');
    expect(job!.delay).toBeGreaterThan(11 * 3600_000 - 5_000);
    expect(job!.delay).toBeLessThanOrEqual(11 * 3600_000);
    expect(smsTo(paris.phone)).toHaveLength(0);
    expect(mailsTo(paris.email)).toHaveLength(1); // quiet hours are for SMS only
  });

  it('in Guadeloupe, 23:00 local holds the SMS until 09:00 local (13:00 UTC); 11:00 local sends at once', async () => {
    const elevenPmGuadeloupe = new Date('2026-01-16T03:00:00Z'); // 04:00 in Paris
    await start({}, () => elevenPmGuadeloupe);
    const night = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(night.caseId, [{ purpose: 'NUDGE_1', recipient: 'YOUTH' }]));
    const [held] = await settled(night.caseId, 1, ['DELAYED']);
    expect(held.scheduled_at).toEqual(new Date('2026-01-16T13:00:00Z'));
    expect(held.attempts).toBe(0);
    await messaging!.close();

    const elevenAmGuadeloupe = new Date('2026-01-16T15:00:00Z');
    await start({}, () => elevenAmGuadeloupe);
    const day = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(day.caseId, [{ purpose: 'NUDGE_1', recipient: 'YOUTH' }]));
    const [sent] = await settled(day.caseId, 1);
    expect(sent.status).toBe('SENT');
    expect(smsTo(day.phone)).toHaveLength(1);
    expect(smsTo(night.phone)).toHaveLength(0);
  });

  it('retries a failing provider with backoff: three failures then one message sent, 4 attempts', async () => {
    await start({ maxAttempts: 5 });
    sms.fail(3);
    const { caseId, phone } = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(caseId, [{ purpose: 'NUDGE_2', recipient: 'YOUTH' }]));
    const [row] = await settled(caseId, 1);
    expect(row).toMatchObject({ status: 'SENT', attempts: 4, last_error: 'SMS provider answered HTTP 500' });
    expect(smsTo(phone).map((r) => r.status)).toEqual([500, 500, 500, 202]);
  });

  it('gives up after the last attempt: FAILED, MESSAGE_FAILED on the timeline and an alert to the counsellors', async () => {
    await start({ maxAttempts: 3 });
    sms.fail(Infinity);
    const { caseId, phone } = await aCase({ departement: '971', channels: ['SMS'] });
    await record(aStep(caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]));
    const rows = await settled(caseId, 2);
    const failed = rows.find((r: any) => r.purpose === 'WELCOME');
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, last_error: 'SMS provider answered HTTP 500' });
    expect(smsTo(phone)).toHaveLength(3);
    const alert = rows.find((r: any) => r.purpose === 'DELIVERY_FAILED');
    expect(alert).toMatchObject({ recipient: 'COUNSELLOR', channel: 'EMAIL', status: 'SENT' });
    const [event] = await sys.dataSource.query(
      `SELECT type, actor, data FROM journey_events WHERE case_id = $1 AND type = 'MESSAGE_FAILED'`,
      [caseId],
    );
    expect(event).toMatchObject({ actor: 'system', data: { messageId: failed.id, purpose: 'WELCOME', channel: 'SMS', attempts: 3 } });
    const mail = mailsTo(COUNSELLORS).find((m) => m.text.includes(caseId))!;
    expect(mail.subject).toBe('Message non distribué : message de bienvenue (SMS)');
    expect(mail.text).toContain("n'a pas pu être envoyé après 3 tentative(s)");
  });

  it('keeps every one-second window at or under the SMS rate limit', async () => {
    const rate = 5;
    await start({ ratePerSecond: { SMS: rate } });
    const cases = await Promise.all(Array.from({ length: 12 }, () => aCase({ departement: '971', channels: ['SMS'] })));
    await Promise.all(cases.map((c) => record(aStep(c.caseId, [{ purpose: 'WELCOME', recipient: 'YOUTH' }]))));
    for (const c of cases) await settled(c.caseId, 1);
    const times = cases.map((c) => smsTo(c.phone)[0].at).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(rate);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(2000); // 12 sends at ≤ 5/s
  }, 30_000);

  it('Redis flushed with 50 messages pending: the sweeper re-enqueues them, each sent exactly once', async () => {
    const m = await start({ sweepIntervalMs: 200, ratePerSecond: { EMAIL: 40 } });
    const emailWorker = m.workers[1];
    await emailWorker.pause();
    const { caseId, email } = await aCase({ channels: ['EMAIL'] });
    for (let i = 0; i < 50; i++) await record(aStep(caseId, [{ purpose: 'NUDGE_1', recipient: 'YOUTH' }]));
    expect(await m.dispatcher.queues.EMAIL.getWaitingCount()).toBe(50);
    expect(await deleteKeys(`${PREFIX}:*`)).toBeGreaterThan(0); // this run's keys only
    emailWorker.resume();
    // And once more in the middle of sending, jobs in flight included.
    await eventually(
      async () => ((await messagesOf(caseId)).filter((r: any) => r.status === 'SENT').length >= 10 ? true : undefined),
      '10 sent',
    );
    await deleteKeys(`${PREFIX}:*`);
    const rows = await eventually(
      async () => {
        const all = await messagesOf(caseId);
        return all.length === 50 && all.every((r: any) => r.status === 'SENT') ? all : undefined;
      },
      'all 50 messages to be sent',
      30_000,
    );
    const ids = mailsTo(email).map((mail) => mail.messageId);
    expect(ids).toHaveLength(50);
    expect(new Set(ids)).toEqual(new Set(rows.map((r: any) => `<${r.id}@walt.messages>`)));
    expect(rows.every((r: any) => r.attempts === 1)).toBe(true);
    expect(logs.some((l) => /sweeper enqueued \d+ message/.test(l))).toBe(true);
  }, 40_000);

  it('asks the partner with its signed link, and tells the young person in their own time zone', async () => {
    await start();
    const { caseId, email } = await aCase({ departement: '971', channels: ['EMAIL'] });
    const partnerId = `test-ml-${caseId.slice(0, 8)}`;
    await sys.dataSource.query(
      `INSERT INTO partners (id, type, name, commune_code, departement, zones, min_age, max_age, diploma_levels, monthly_capacity, contact_email)
       VALUES ($1, 'MISSION_LOCALE', 'Mission Locale de Pointe-à-Pitre', '97120', '971', '[]', 16, 25, '{NONE,CAP_BEP}', 10, $2)`,
      [partnerId, `${partnerId}@partner.example`],
    );
    const referralId = randomUUID();
    const dueAt = new Date('2026-02-10T16:00:00Z');
    await record(
      aStep(caseId, [{ purpose: 'REFERRAL_NEW', recipient: 'PARTNER', partnerId, referralId }], {
        referral: { id: referralId, create: { partnerId, attempt: 1, sentAt: new Date().toISOString(), dueAt: dueAt.toISOString() } },
      }),
    );
    await record(
      aStep(caseId, [{ purpose: 'REFERRAL_ACCEPTED', recipient: 'YOUTH', partnerId, referralId }], {
        referral: { id: referralId, change: { status: 'ACCEPTED', appointmentAt: '2026-02-12T13:30:00Z' } },
      }),
    );
    await settled(caseId, 2);

    const [ask] = mailsTo(`${partnerId}@partner.example`);
    expect(ask.subject).toBe('Nouvelle orientation à traiter avant le 10/02/2026');
    expect(ask.text).toContain('- 20 ans, niveau CAP/BEP, habite Les Abymes (971)');
    expect(ask.text).toContain('avant le mardi 10 février à 12h00'); // 16:00 UTC in Guadeloupe
    expect(ask.text).not.toContain('Léa');
    const token = /http:\/\/127\.0\.0\.1:3000\/lien\/(\S+)/.exec(ask.text)![1];
    expect(readReferralLink(token, partnerLinkSecret(jwtSecret()))).toEqual({ referralId, expiresAt: dueAt });

    const [accepted] = mailsTo(email);
    expect(accepted.text).toContain("Mission Locale de Pointe-à-Pitre accepte de t'accompagner");
    expect(accepted.text).toContain('jeudi 12 février à 09h30'); // 13:30 UTC in Guadeloupe
    expect(accepted.text).toContain(`${partnerId}@partner.example`);
  });
});

describe('inbound SMS (POST /v1/intake/sms/inbound)', () => {
  const post = (body: object, signature?: string) => {
    const raw = JSON.stringify(body);
    const req = sys.http().post('/v1/intake/sms/inbound').set('content-type', 'application/json');
    return (signature === undefined ? req.set('x-signature', signInbound(INBOUND_SECRET, raw)) : req.set('x-signature', signature)).send(
      raw,
    );
  };

  beforeAll(() => {
    process.env.SMS_INBOUND_SECRET = INBOUND_SECRET;
  });

  it('refuses a wrong or missing signature with 401', async () => {
    const res = await post({ from: '+33612345678', text: 'STOP' }, 'deadbeef'.repeat(8)).expect(401);
    expect(res.body).toMatchObject({ error: 'Unauthorized', details: [] });
    await sys.http().post('/v1/intake/sms/inbound').send({ from: '+33612345678', text: 'STOP' }).expect(401);
  });

  it('a reply reaches the journey of the open case as youthReplied (SMS)', async () => {
    const form = aForm({ postalCode: '97110' });
    const { body } = await sys.http().post('/v1/intake/forms').send(form).expect(201);
    await eventually(async () => ((await messagesOf(body.caseId)).length ? true : undefined), 'the welcome message to be queued');
    const res = await post({ from: form.phone as string, text: 'Oui je suis dispo demain' }).expect(200);
    expect(res.body).toEqual({ action: 'REPLY' });
    const replied = await eventually(async () => {
      const [e] = await sys.dataSource.query(`SELECT actor, data FROM journey_events WHERE case_id = $1 AND type = 'YOUTH_REPLIED'`, [
        body.caseId,
      ]);
      return e;
    }, 'YOUTH_REPLIED on the timeline');
    expect(replied).toEqual({ actor: 'youth', data: { channel: 'SMS' } });
  });

  it('a message to a young person whose case has closed since it was queued is SUPPRESSED, not sent', async () => {
    const { caseId, email } = await aCase({ channels: ['EMAIL'] });
    // Queued while no worker runs (as in quiet hours), then the journey closes before it goes.
    await new JourneyActivities(sys.dataSource).recordStep(aStep(caseId, [{ purpose: 'NUDGE_2', recipient: 'YOUTH' }]));
    await sys.dataSource.query(`UPDATE cases SET stage = 'CLOSED', closure_reason = 'UNREACHABLE' WHERE id = $1`, [caseId]);
    await start({ sweepIntervalMs: 100 });
    const [row] = await settled(caseId, 1);
    expect(row).toMatchObject({ status: 'SUPPRESSED', last_error: 'the case is closed', attempts: 0 });
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('STOP opts the number out: the SMS is SUPPRESSED at send time, the email still goes', async () => {
    const form = aForm({ postalCode: '97110' }); // Guadeloupe; the processor's clock is DAYTIME
    const { body } = await sys.http().post('/v1/intake/forms').send(form).expect(201);
    await eventually(
      async () => ((await messagesOf(body.caseId)).length === 2 ? true : undefined),
      'the welcome SMS and email to be queued',
    );

    const res = await post({ from: ` ${form.phone} `, text: ' Stop ' }).expect(200);
    expect(res.body).toEqual({ action: 'OPT_OUT' });
    const [youth] = await sys.dataSource.query(`SELECT y.sms_opt_out_at FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`, [
      body.caseId,
    ]);
    expect(youth.sms_opt_out_at).toBeInstanceOf(Date);
    const events = await sys.dataSource.query(
      `SELECT actor, data, idempotency_key FROM journey_events WHERE case_id = $1 AND type = 'SMS_OPT_OUT'`,
      [body.caseId],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'youth', data: { channel: 'SMS' } });
    expect(events[0].idempotency_key).toMatch(/^sms-opt-out:/);
    await post({ from: form.phone as string, text: 'ARRET' }).expect(200); // again: no second event
    expect(
      await sys.dataSource.query(`SELECT 1 FROM journey_events WHERE case_id = $1 AND type = 'SMS_OPT_OUT'`, [body.caseId]),
    ).toHaveLength(1);

    // The journey's welcome rows were written without a dispatcher: the sweeper enqueues them.
    await start({ sweepIntervalMs: 100 });
    const rows = await settled(body.caseId, 2);
    expect(rows.find((r: any) => r.channel === 'SMS')).toMatchObject({
      status: 'SUPPRESSED',
      last_error: 'opted out of SMS (STOP)',
      attempts: 0,
    });
    expect(rows.find((r: any) => r.channel === 'EMAIL')).toMatchObject({ status: 'SENT' });
    expect(sms.requests.filter((r) => r.body.to.endsWith(String(form.phone).slice(1)))).toHaveLength(0);
    expect(mailsTo(String(form.email).toLowerCase())).toHaveLength(1);
  });
});
