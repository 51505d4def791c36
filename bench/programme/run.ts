/**
 * The programme replayed through the real system: `npm run bench:programme` (BENCH_SCALE=0.1 for
 * a short run). It builds, starts its own Temporal dev server (SQLite file), database, worker and
 * API processes, and in the same run on the same server measures:
 *   1. the floor: a bare one-activity workflow on its own task queue and worker;
 *   2. the form with one client at a time;
 *   3. the programme: 10,437 × scale forms by 32 clients in campaign months shaped like the seed
 *      (slow first six months, then growth), young people replying by SMS or reached by a
 *      counsellor, partners accepting, declining with a reason or letting the referral expire,
 *      on a compressed policy;
 *   4. the message path beside bare BullMQ (bench/messaging's two paths).
 * Prints a summary and writes bench/results/programme.json and programme.svg; a progress bar
 * goes to stderr when it is a terminal. Everything it starts is stopped on exit.
 *
 * BENCH_SCALE (1), BENCH_CLIENTS (32), BENCH_MONTH_SECONDS (2: one campaign month of the seed),
 * BENCH_PORT (3300), BENCH_TEMPORAL_PORT (7331), BENCH_DATABASE_URL (…/walt_bench_programme,
 * dropped and recreated; the name must contain "bench"), REDIS_URL, BENCH_SKIP_BUILD=1,
 * BENCH_LABEL (a name for this run in the JSON), DATABASE_POOL_SIZE (10, each process).
 */
import 'reflect-metadata';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { cleanRedis, cpuSeconds, percentile, RESULTS, round, sleep, startSystem, waitUntil } from '../support/system';

const SCALE = Number(process.env.BENCH_SCALE || 1);
const CLIENTS = Number(process.env.BENCH_CLIENTS || 32);
const MONTH_SECONDS = Number(process.env.BENCH_MONTH_SECONDS ?? 2);
const PORT = Number(process.env.BENCH_PORT || 3300);
const TEMPORAL_PORT = Number(process.env.BENCH_TEMPORAL_PORT || 7331);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_programme';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379/6';
const API = `http://127.0.0.1:${PORT}`;
const FLOOR_QUEUE = `bench-floor-${process.pid}`;
const SEED = { captured: 10_437, oriented: 7_400 };

/**
 * The seed's two years as campaign months: six slow months while the programme found its
 * audience, then growth with the school-year campaigns (September, January) above the trend.
 * Weights only; the forms are 10,437 × scale in all.
 */
const MONTH_WEIGHTS = [1, 1, 1.2, 1.2, 1.5, 1.5, 3, 4, 6, 5, 5, 4.5, 7, 6, 5.5, 5, 4.5, 5, 6, 6, 9, 8, 7, 7.5];

/** The compressed policy: a journey's weeks in seconds, so the run ends in minutes. */
const BENCH_POLICY_OVERRIDES = {
  nudgeOffsets: ['PT0S', 'PT8S', 'PT16S'],
  escalateUnresponsiveAfter: 'PT20S',
  closeUnreachableAfter: 'PT40S',
  partnerReminderAfter: 'PT5S',
  referralExpiresAfter: 'PT12S',
  checkInOffsets: ['P30D', 'P90D', 'P180D'], // past ACCEPTED the run stops following the journey
};

/** How the simulated people answer (drawn per case from a seeded PRNG). */
const BEHAVIOUR = { repliesBySms: 0.8, reachedByCounsellor: 0.08, partnerAccepts: 0.7, partnerDeclines: 0.15 };

const latency = (v: number[]) => ({
  count: v.length,
  p50: round(percentile(v, 50)),
  p99: round(percentile(v, 99)),
  max: round(Math.max(...v)),
});

/** Events per second over the middle half of them (from the 25th to the 75th percentile instant): the sustained rate, without the ramp-up and the tail. */
function sustainedRate(instantsMs: number[]): number {
  if (instantsMs.length < 4) return NaN;
  const s = [...instantsMs].sort((a, b) => a - b);
  const lo = Math.floor(s.length * 0.25);
  const hi = Math.floor(s.length * 0.75);
  return round((hi - lo) / ((s[hi] - s[lo]) / 1000 || 1e-3), 2);
}

// ── progress (stderr, only on a terminal) ─────────────────────────────────────────────────────

function progress(label: string, done: number, total: number, extra = '') {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
  process.stderr.write(`\r\x1b[K${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}`);
}
const progressDone = () => process.stderr.isTTY && process.stderr.write('\n');

// ── HTTP ─────────────────────────────────────────────────────────────────────────────────────

/** Past this a request counts as failed (an update waiting behind a backlog of workflow tasks). */
const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_REQUEST_TIMEOUT_MS || 60_000);

/** fetch, tried again (twice) when the connection itself fails: a loaded machine resets a few sockets. Never after a timeout. */
async function send(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (err) {
      if (attempt === 3 || (err as Error).name === 'TimeoutError') throw err;
      await sleep(200 * attempt);
    }
  }
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = body === undefined ? undefined : JSON.stringify(body);
  const res = await send(`${API}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function submitForm(form: object): Promise<{ ms: number; caseId: string; eligible: boolean }> {
  const t = performance.now();
  const res = await call('POST', '/v1/intake/forms', form);
  const ms = performance.now() - t;
  if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { ms, caseId: res.body.caseId, eligible: res.body.eligible };
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const runStarted = Date.now();
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });

  // A fresh database, migrated, the seed's partners, the compressed policy; the processes.
  const system = await startSystem({
    bench: 'programme',
    temporalPort: TEMPORAL_PORT,
    apiPort: PORT,
    databaseUrl: DATABASE_URL,
    mustContain: 'bench',
    redisUrl: REDIS_URL,
    policy: BENCH_POLICY_OVERRIDES,
    // The run's two years fall in one calendar month: each partner gets its two years' capacity.
    prepare: async (fresh) => void (await fresh.query('UPDATE partners SET monthly_capacity = monthly_capacity * 24')),
    // Production in all but one thing: the partners and counsellors sign their own HS256 tokens
    // (no identity provider here), which production refuses with 401: their decisions never landed.
    env: { NODE_ENV: 'development' },
  });
  const { db, dbName, client, api, worker, temporal, secrets } = system;
  const TEMPORAL_ADDRESS = system.temporalAddress;
  const SQLITE = system.sqlite;
  const policy = { version: system.policyVersion };
  const { DECLINE_REASONS } = await import('../../libs/domain/src');
  const { signToken } = await import('../../libs/auth/src');
  const { simulatedForm } = await import('../../infra/demo/population');
  const { Prng } = await import('../../infra/seed/prng');

  // ── 1. the floor: one no-op activity per workflow, on its own queue and worker ──
  const floorCount = Math.max(200, Math.round(1000 * SCALE));
  const nativeConnection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  const floorWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: FLOOR_QUEUE,
    workflowsPath: require.resolve('./floor.workflow'),
    activities: { noop: async () => undefined },
  });
  const floorRunning = floorWorker.run();
  const floorDone: number[] = [];
  const floorStart = Date.now();
  await pool(
    Array.from({ length: floorCount }, (_, i) => i),
    CLIENTS,
    async (i) => {
      const handle = await client.workflow.start('floorWorkflow', { workflowId: `floor-${process.pid}-${i}`, taskQueue: FLOOR_QUEUE });
      void handle.result().then(() => floorDone.push(Date.now()));
    },
  );
  await waitUntil('the floor workflows', () => floorDone.length === floorCount, 600_000);
  const floor = {
    workflows: floorCount,
    seconds: round((Math.max(...floorDone) - floorStart) / 1000, 2),
    perSecond: round(floorCount / ((Math.max(...floorDone) - floorStart) / 1000), 2),
    sustainedPerSecond: sustainedRate(floorDone),
  };
  floorWorker.shutdown();
  await floorRunning;
  console.log(
    `[bench] floor: ${floorCount} one-activity workflows, ${floor.sustainedPerSecond}/s sustained (${floor.perSecond}/s overall)`,
  );

  // ── 2. the form, one client at a time ──
  const prng = new Prng(2026);
  const singleCount = Math.max(30, Math.round(200 * SCALE));
  const single: number[] = [];
  for (let i = 0; i < singleCount; i++) {
    const form = { ...simulatedForm(prng, 1_000_000 + i, new Date()), source: { channel: 'WEBSITE', campaign: 'bench-single' } };
    single.push((await submitForm(form)).ms);
    progress('1 client', i + 1, singleCount);
  }
  progressDone();

  // ── 3. the programme ──
  const total = Math.round(SEED.captured * SCALE);
  const weightSum = MONTH_WEIGHTS.reduce((a, b) => a + b, 0);
  const perMonth = MONTH_WEIGHTS.map((w) => Math.floor((w / weightSum) * total));
  perMonth[perMonth.length - 1] += total - perMonth.reduce((a, b) => a + b, 0);
  const schedule: { month: number; releaseMs: number; index: number }[] = [];
  perMonth.forEach((n, month) => {
    for (let k = 0; k < n; k++) schedule.push({ month, releaseMs: (month + k / n) * MONTH_SECONDS * 1000, index: schedule.length });
  });

  const counsellor = { authorization: `Bearer ${signToken({ sub: 'bench-counsellor', role: 'counsellor' })}` };
  const partnerTokens = new Map<string, Record<string, string>>();
  const partnerAuth = (partnerId: string) => {
    if (!partnerTokens.has(partnerId)) {
      partnerTokens.set(partnerId, { authorization: `Bearer ${signToken({ sub: `bench-${partnerId}`, role: 'partner', partnerId })}` });
    }
    return partnerTokens.get(partnerId)!;
  };

  const cpuAt = () => ({
    api: cpuSeconds(api.pid!),
    worker: cpuSeconds(worker.pid!),
    temporal: cpuSeconds(temporal.pid!),
  });
  // PostgreSQL: the backends serving this database, sampled every second (pools close idle
  // connections, and a backend's CPU goes with it): the last reading of each, minus the first.
  const pgFirst = new Map<number, number>();
  const pgLast = new Map<number, number>();
  const samplePg = async () => {
    const rows: { pid: number }[] = await db.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      if (!pgFirst.has(pid)) pgFirst.set(pid, sampling ? 0 : cpu);
      if (cpu > 0) pgLast.set(pid, cpu);
    }
  };
  let sampling = false;
  const sizes = async () => ({
    postgres: Number((await db.query('SELECT pg_database_size($1) AS n', [dbName]))[0].n),
    sqlite: [SQLITE, `${SQLITE}-wal`].reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0),
  });
  const cpuBefore = cpuAt();
  await samplePg();
  sampling = true;
  const pgSampler = setInterval(() => void samplePg().catch(() => undefined), 1000);
  const sizeBefore = await sizes();

  const intake: number[] = [];
  const cases: { caseId: string; month: number; phone?: string; script: InstanceType<typeof Prng> }[] = [];
  const people: Promise<void>[] = [];
  const decisions: number[] = [];
  const decisionMismatch = { count: 0 };
  let replies = 0;
  let youthFailures = 0;
  let reached = 0;
  const programmeStart = Date.now();

  /** A young person after the form: answers by SMS, is reached by a counsellor, or never answers. */
  const youth = async (c: (typeof cases)[number]) => {
    const draw = c.script.next();
    if (draw < BEHAVIOUR.repliesBySms && c.phone) {
      await sleep(c.script.int(500, 6000));
      const raw = JSON.stringify({ from: c.phone, text: 'Oui je suis intéressé' });
      const signature = createHmac('sha256', secrets.SMS_INBOUND_SECRET).update(raw).digest('hex');
      const res = await send(`${API}/v1/intake/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signature },
        body: raw,
      });
      if (res.ok) replies++;
    } else if (draw < BEHAVIOUR.repliesBySms + BEHAVIOUR.reachedByCounsellor || (draw < BEHAVIOUR.repliesBySms && !c.phone)) {
      await sleep(c.script.int(2000, 10_000));
      const res = await call('POST', `/v1/cases/${c.caseId}/contacts`, { channel: 'PHONE', reached: true }, counsellor);
      if (res.status < 300) reached++;
    }
  };

  // Partners: every pending referral is seen by a poller and answered (or not) after a delay.
  const seenReferrals = new Set<string>();
  let partnersPolling = true;
  const scripts = new Map<string, InstanceType<typeof Prng>>();
  const partnerAnswers: Promise<void>[] = [];
  /** Decisions whose request failed (the cause: a socket closed after the server's 300 s request timeout, …). */
  const partnerFailures: string[] = [];
  const partners = (async () => {
    while (partnersPolling) {
      const pending: { id: string; case_id: string; partner_id: string }[] = await db.query(
        `SELECT id, case_id, partner_id FROM referrals WHERE status = 'PENDING'`,
      );
      for (const r of pending) {
        if (seenReferrals.has(r.id)) continue;
        seenReferrals.add(r.id);
        const script = scripts.get(r.case_id) ?? new Prng(seenReferrals.size);
        const answer = script.next();
        if (answer >= BEHAVIOUR.partnerAccepts + BEHAVIOUR.partnerDeclines) continue; // lets it expire
        const delay = script.int(500, 5000);
        const accept = answer < BEHAVIOUR.partnerAccepts;
        const reason = script.pick(DECLINE_REASONS.filter((d) => d !== 'OTHER'));
        partnerAnswers.push(
          (async () => {
            await sleep(delay);
            const t = performance.now();
            const res = accept
              ? await call(
                  'POST',
                  `/v1/partner/referrals/${r.id}/accept`,
                  { appointmentAt: new Date(Date.now() + 86_400_000).toISOString() },
                  partnerAuth(r.partner_id),
                )
              : await call('POST', `/v1/partner/referrals/${r.id}/decline`, { reason }, partnerAuth(r.partner_id));
            if (res.status !== 200) return; // expired or withdrawn a moment ago
            const page = await call('GET', `/v1/cases/${r.case_id}`, undefined, counsellor);
            decisions.push(performance.now() - t);
            if (accept && page.body?.stage !== 'ACCEPTED') decisionMismatch.count++;
          })().catch((err) => {
            partnerFailures.push(String(err.cause?.code ?? err.cause?.message ?? err.message));
          }),
        );
      }
      await sleep(300);
    }
  })();

  let next = 0;
  await pool(Array.from({ length: CLIENTS }), CLIENTS, async () => {
    while (next < schedule.length) {
      const item = schedule[next++];
      const wait = programmeStart + item.releaseMs - Date.now();
      if (wait > 0) await sleep(wait);
      const form = simulatedForm(prng, item.index, new Date());
      const res = await submitForm({ ...form, source: { ...form.source, campaign: `bench-month-${item.month + 1}` } });
      intake.push(res.ms);
      progress('forms', intake.length, total, `month ${item.month + 1}/24`);
      if (!res.eligible) continue;
      const phone = 'phone' in form && form.phone ? `+33${String(form.phone).slice(1)}` : undefined;
      const c = { caseId: res.caseId, month: item.month, phone, script: new Prng(item.index + 7) };
      scripts.set(c.caseId, new Prng(item.index + 11));
      cases.push(c);
      people.push(youth(c).catch(() => void youthFailures++));
    }
  });
  const formsSeconds = (Date.now() - programmeStart) / 1000;
  progressDone();

  // Settled: accepted, with a counsellor, or closed (nudges, escalation and closure run their
  // course). Waits while journeys keep moving, up to BENCH_SETTLE_SECONDS (900).
  const settleDeadline = Date.now() + Number(process.env.BENCH_SETTLE_SECONDS || 900) * 1000;
  const ids = cases.map((c) => c.caseId);
  let lastOpen = Infinity;
  let lastMove = Date.now();
  for (;;) {
    const [{ open, referred, accepted }] = await db.query(
      `SELECT count(*) FILTER (WHERE stage NOT IN ('ACCEPTED', 'NEEDS_COUNSELLOR', 'CLOSED'))::int AS open,
              count(*) FILTER (WHERE stage = 'REFERRED')::int AS referred, count(*) FILTER (WHERE stage = 'ACCEPTED')::int AS accepted
         FROM cases WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    progress('settling', ids.length - open, ids.length, `referred now ${referred}, accepted ${accepted}`);
    if (open !== lastOpen) [lastOpen, lastMove] = [open, Date.now()];
    if (open === 0 || Date.now() > settleDeadline || Date.now() - lastMove > 90_000) break;
    await sleep(1000);
  }
  progressDone();
  await Promise.all(people);
  partnersPolling = false;
  await partners;
  await Promise.all(partnerAnswers);
  const programmeSeconds = (Date.now() - programmeStart) / 1000;
  const cpuAfter = cpuAt();
  clearInterval(pgSampler);
  await samplePg();
  const sizeAfter = await sizes();
  let pgCpu = 0;
  for (const [pid, last] of pgLast) pgCpu += last - (pgFirst.get(pid) ?? 0);

  // What the event log says, per case of the programme (recorded_at: when each step committed).
  const programmeFilter = `c.id = ANY($1::uuid[])`;
  const [timesRow] = await db.query(
    `SELECT
       -- the form's commit (the journey's CAPTURED event now commits with ENGAGING and the welcome)
       array_agg(extract(epoch FROM c.created_at) * 1000) FILTER (WHERE e.type = 'CAPTURED') AS captured,
       array_agg(extract(epoch FROM e.recorded_at) * 1000) FILTER (WHERE e.type = 'MESSAGE_QUEUED' AND e.data->>'purpose' = 'WELCOME') AS welcomed,
       array_agg(extract(epoch FROM e.recorded_at) * 1000) FILTER (WHERE e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'REFERRED' AND e.data->>'from' = 'MATCHING') AS referred,
       array_agg(extract(epoch FROM e.recorded_at) * 1000) FILTER (WHERE e.type = 'REFERRAL_ACCEPTED') AS accepted
     FROM journey_events e JOIN cases c ON c.id = e.case_id WHERE ${programmeFilter}`,
    [ids],
  );
  const times = Object.fromEntries(Object.entries(timesRow).map(([k, v]) => [k, ((v as string[] | null) ?? []).map(Number)])) as Record<
    'captured' | 'welcomed' | 'referred' | 'accepted',
    number[]
  >;
  // First referral per case only, for the journeys-to-REFERRED rate.
  const firstReferred: number[] = (
    await db.query(
      `SELECT extract(epoch FROM min(e.recorded_at)) * 1000 AS t FROM journey_events e JOIN cases c ON c.id = e.case_id
        WHERE ${programmeFilter} AND e.type = 'REFERRAL_SENT' GROUP BY e.case_id`,
      [ids],
    )
  ).map((r: { t: string }) => Number(r.t));
  const [funnelRow] = await db.query(
    `SELECT count(*)::int AS "inScope",
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = c.id AND e.type = 'MESSAGE_QUEUED' AND e.data->>'purpose' = 'WELCOME'))::int AS welcomed,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = c.id AND e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'MATCHING'))::int AS engaged,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = c.id AND e.type = 'REFERRAL_SENT'))::int AS referred,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = c.id AND e.type = 'REFERRAL_ACCEPTED'))::int AS oriented,
            count(*) FILTER (WHERE c.stage = 'NEEDS_COUNSELLOR')::int AS "needsCounsellor",
            count(*) FILTER (WHERE c.stage = 'CLOSED')::int AS closed
       FROM cases c WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  const [{ events }] = await db.query(`SELECT count(*)::int AS events FROM journey_events WHERE case_id = ANY($1::uuid[])`, [ids]);
  const [msgRow] = await db.query(
    `SELECT count(*)::int AS queued, count(*) FILTER (WHERE status = 'SENT')::int AS sent FROM outbound_messages WHERE case_id = ANY($1::uuid[])`,
    [ids],
  );

  // Temporal events per journey, from a sample of histories of journeys that started (intake's
  // admission leaves the start of the forms beyond what the workers take to the reconciler, so
  // at the end of a loaded run some cases have no workflow yet).
  const [{ started: startedIds }] = await db.query(
    `SELECT coalesce(array_agg(id ORDER BY created_at), '{}') AS started FROM cases WHERE id = ANY($1::uuid[]) AND journey_started_at IS NOT NULL`,
    [ids],
  );
  const sample = (startedIds as string[]).filter((_, i) => i % Math.max(1, Math.floor(startedIds.length / 50)) === 0).slice(0, 50);
  const historyLengths = await Promise.all(
    sample.map(async (id) => {
      // The compressed journeys never continue as new: one run holds the whole history.
      return (await client.workflow.getHandle(`journey-${id}`).describe()).historyLength;
    }),
  );

  // ── 4. messages: the real path beside bare BullMQ, on the same Redis ──
  const messagesCount = Math.max(1000, Math.round(10_000 * SCALE));
  const { bare, messages } = await import('../messaging/run');
  await bare(300, `${process.pid}-warm`);
  await messages(db, 300, `${process.pid}-warm`);
  const bareSeconds = await bare(messagesCount, String(process.pid));
  const messageSeconds = await messages(db, messagesCount, String(process.pid));

  const journeys = ids.length;
  const cpu = {
    api: cpuAfter.api - cpuBefore.api,
    worker: cpuAfter.worker - cpuBefore.worker,
    temporal: cpuAfter.temporal - cpuBefore.temporal,
    postgres: pgCpu,
  };
  const engagingRate = sustainedRate(times.welcomed);
  const result = {
    label: process.env.BENCH_LABEL || 'unnamed',
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverage: require('node:os')
        .loadavg()
        .map((v: number) => round(v, 2)),
    },
    scale: SCALE,
    clients: CLIENTS,
    monthSeconds: MONTH_SECONDS,
    policyVersion: policy.version,
    databasePoolSize: Number(process.env.DATABASE_POOL_SIZE || 10),
    floor,
    intake: { clients32: latency(intake), client1: latency(single), formsPerSecond: round(total / formsSeconds, 2) },
    journeys: {
      inScope: journeys,
      toEngagingPerSecond: engagingRate,
      toReferredPerSecond: sustainedRate(firstReferred),
      ratioToFloor: round(engagingRate / floor.sustainedPerSecond, 2),
      formToWelcomeMs: latency(pairDelays(times.captured, times.welcomed)),
    },
    partnerDecisionToCasePageMs: {
      ...latency(decisions),
      acceptedButPageDisagreed: decisionMismatch.count,
      failed: partnerFailures.length,
      failedBecause: [...new Set(partnerFailures)].slice(0, 5),
    },
    behaviour: {
      ...BEHAVIOUR,
      smsReplies: replies,
      reachedByCounsellor: reached,
      failedRequests: youthFailures,
      referralsSeen: seenReferrals.size,
    },
    funnel: {
      captured: total,
      ...funnelRow,
      seed: { captured: Math.round(SEED.captured * SCALE), oriented: Math.round(SEED.oriented * SCALE) },
    },
    messages: {
      count: messagesCount,
      perSecond: Math.round(messagesCount / messageSeconds),
      bareBullmqPerSecond: Math.round(messagesCount / bareSeconds),
      ratioToBare: round(bareSeconds / messageSeconds, 3),
      programme: msgRow,
    },
    cpuSecondsPerJourney: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v / journeys, 4)])),
    cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 2)])),
    storage: {
      postgresBytesPerJourney: Math.round((sizeAfter.postgres - sizeBefore.postgres) / journeys),
      temporalSqliteBytesPerJourney: Math.round((sizeAfter.sqlite - sizeBefore.sqlite) / journeys),
      journeyEventsPerJourney: round(events / journeys, 1),
      temporalHistoryEventsPerJourney: round(historyLengths.reduce((a, b) => a + b, 0) / historyLengths.length, 1),
    },
    seconds: { forms: round(formsSeconds), programme: round(programmeSeconds), run: round((Date.now() - runStarted) / 1000) },
  };
  mkdirSync(RESULTS, { recursive: true });
  const name = process.env.BENCH_LABEL ? `programme-${process.env.BENCH_LABEL}` : 'programme';
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  if (name !== 'programme') writeFileSync(join(RESULTS, 'programme.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(RESULTS, `${name}.svg`), chart(times, firstReferred, programmeStart, result.funnel));
  printSummary(result);
  console.log(`[bench] wrote bench/results/${name}.json and ${name}.svg`);

  await nativeConnection.close();
  await system.close();
  await cleanRedis(REDIS_URL, [`walt-bench-${process.pid}`]); // bench/messaging's keys
}

/** For each captured instant, the delay to the welcome of the same rank (both sorted): the typical form-to-welcome delay without a join. */
function pairDelays(from: number[], to: number[]): number[] {
  const a = [...from].sort((x, y) => x - y);
  const b = [...to].sort((x, y) => x - y);
  return b.map((t, i) => t - a[i]).filter((d) => Number.isFinite(d) && d >= 0);
}

async function pool<T>(items: T[], size: number, task: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (i < items.length) await task(items[i++]);
    }),
  );
}

function printSummary(r: any) {
  const rows: [string, string][] = [
    ['floor: bare one-activity workflow', `${r.floor.sustainedPerSecond} workflows/s`],
    ['form → welcome queued (ENGAGING)', `${r.journeys.toEngagingPerSecond} journeys/s (ratio ${r.journeys.ratioToFloor})`],
    ['form → first referral (REFERRED)', `${r.journeys.toReferredPerSecond} journeys/s`],
    [
      `POST /v1/intake/forms, ${r.clients} clients`,
      `p50 ${r.intake.clients32.p50} ms, p99 ${r.intake.clients32.p99} ms (${r.intake.formsPerSecond} forms/s)`,
    ],
    ['the same, one client', `p50 ${r.intake.client1.p50} ms, p99 ${r.intake.client1.p99} ms`],
    ['partner decision → case page', `p50 ${r.partnerDecisionToCasePageMs.p50} ms, p99 ${r.partnerDecisionToCasePageMs.p99} ms`],
    ['messages vs bare BullMQ', `${r.messages.perSecond}/s vs ${r.messages.bareBullmqPerSecond}/s (ratio ${r.messages.ratioToBare})`],
    [
      'funnel',
      `captured ${r.funnel.captured} (seed ${r.funnel.seed.captured}), oriented ${r.funnel.oriented} (seed ${r.funnel.seed.oriented})`,
    ],
    [
      'CPU s/journey',
      Object.entries(r.cpuSecondsPerJourney)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    [
      'storage/journey',
      `PostgreSQL ${r.storage.postgresBytesPerJourney} B, Temporal SQLite ${r.storage.temporalSqliteBytesPerJourney} B, ${r.storage.temporalHistoryEventsPerJourney} history events`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

/** Throughput per second over the run (captured, welcomed, referred, accepted) and the funnel beside the seed's. */
function chart(times: Record<string, number[]>, firstReferred: number[], start: number, funnel: any): string {
  const series: [string, number[], string][] = [
    ['captured', times.captured, '#888'],
    ['welcome queued (ENGAGING)', times.welcomed, '#1f77b4'],
    ['first referral (REFERRED)', firstReferred, '#ff7f0e'],
    ['accepted', times.accepted, '#2ca02c'],
  ];
  const end = Math.max(start + 1000, ...series.flatMap(([, t]) => t));
  const seconds = Math.ceil((end - start) / 1000);
  const buckets = series.map(([, t]) => {
    const b = new Array(seconds + 1).fill(0);
    for (const v of t) b[Math.max(0, Math.floor((v - start) / 1000))]++;
    // 5-second moving average, so one slow second does not hide the trend.
    return b.map((_, i) => b.slice(Math.max(0, i - 4), i + 1).reduce((x, y) => x + y, 0) / Math.min(5, i + 1));
  });
  const W = 800;
  const H = 260;
  const max = Math.max(1, ...buckets.flat());
  const x = (i: number) => 50 + (i / Math.max(1, seconds)) * (W - 70);
  const y = (v: number) => 20 + (1 - v / max) * (H - 50);
  const lines = buckets
    .map(
      (b, s) =>
        `<polyline fill="none" stroke="${series[s][2]}" stroke-width="1.5" points="${b.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('\n');
  const legend = series
    .map(([name, , color], i) => `<text x="${60 + i * 190}" y="14" fill="${color}" font-size="12">${name}</text>`)
    .join('');
  const bars: [string, number, number | null][] = [
    ['captured', funnel.captured, funnel.seed.captured],
    ['welcomed', funnel.welcomed, null],
    ['engaged', funnel.engaged, null],
    ['referred', funnel.referred, null],
    ['oriented', funnel.oriented, funnel.seed.oriented],
  ];
  const fmax = Math.max(1, ...bars.flatMap(([, a, b]) => [a ?? 0, b ?? 0]));
  const funnelSvg = bars
    .map(([name, run, seed], i) => {
      const y0 = H + 40 + i * 28;
      const w = (v: number) => (v / fmax) * (W - 260);
      return (
        `<text x="10" y="${y0 + 12}" font-size="12">${name}</text>` +
        `<rect x="90" y="${y0}" width="${w(run ?? 0).toFixed(1)}" height="10" fill="#1f77b4"/>` +
        (seed === null ? '' : `<rect x="90" y="${y0 + 11}" width="${w(seed).toFixed(1)}" height="6" fill="#bbb"/>`) +
        `<text x="${95 + w(Math.max(run ?? 0, seed ?? 0))}" y="${y0 + 10}" font-size="11">${run}${seed === null ? '' : ` (seed × scale ${seed})`}</text>`
      );
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 200}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${legend}
<line x1="50" y1="${H - 30}" x2="${W - 20}" y2="${H - 30}" stroke="#000"/><line x1="50" y1="20" x2="50" y2="${H - 30}" stroke="#000"/>
<text x="5" y="28" font-size="11">${max.toFixed(0)}/s</text><text x="${W - 60}" y="${H - 12}" font-size="11">${seconds} s</text>
${lines}
<text x="10" y="${H + 25}" font-size="13">Funnel of the run (blue) beside the seed's figures × scale (grey)</text>
${funnelSvg}
</svg>
`;
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    progressDone();
    console.error(`[bench] ${err.stack ?? err}`);
    process.exit(1);
  });
