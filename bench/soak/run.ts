/**
 * Load without loss: `npm run bench:soak`. SOAK_CLIENTS (64) clients for SOAK_SECONDS (180) on a
 * mixed workload against the running system, which the bench starts itself (bench/support/system:
 * its own Temporal dev server, database, worker and API processes): intake forms, the
 * counsellors' case list, case page and contacts, the partners' inbox and decisions, the reports.
 * Prints requests per second, p50/p99 per route and every error; then the consistency checks of
 * the chaos run (bench/chaos/consistency) on every case the run made, and the memory of each
 * process after the warm-up and at the end. Fails (exit 1) on an error, an inconsistency, or a
 * process whose memory grew past the bound (SOAK_MAX_GROWTH_MB, SOAK_MAX_GROWTH_RATIO).
 *
 * SOAK_PORT (3120), SOAK_TEMPORAL_PORT (7322), SOAK_DATABASE_URL (…/walt_bench_soak, dropped and
 * recreated; the name must contain "soak"), REDIS_URL, SOAK_WARMUP_SECONDS (45),
 * SOAK_WORKER_MAX_CACHED_WORKFLOWS (150: full by the end of the warm-up), BENCH_SKIP_BUILD=1.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { checkConsistency } from '../chaos/consistency';
import { memoryOf, percentile, RESULTS, round, sleep, startSystem } from '../support/system';

const CLIENTS = Number(process.env.SOAK_CLIENTS || 64);
const SECONDS = Number(process.env.SOAK_SECONDS || 180);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 45);
/**
 * The worker's sticky cache, small enough to be full by the end of the warm-up: a cache still
 * filling grows the worker by up to 0.4 MB a journey (2,000 by default), which the memory check
 * would count as growth. Full, what grows after is what leaks.
 */
const WORKER_CACHE = process.env.SOAK_WORKER_MAX_CACHED_WORKFLOWS || '150';
const PORT = Number(process.env.SOAK_PORT || 3120);
const TEMPORAL_PORT = Number(process.env.SOAK_TEMPORAL_PORT || 7322);
const DATABASE_URL = process.env.SOAK_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_soak';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379/6';
/** A process may grow by the larger of these from the end of the warm-up to the end of the run. */
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_GROWTH_MB || 150);
const MAX_GROWTH_RATIO = Number(process.env.SOAK_MAX_GROWTH_RATIO || 0.5);
const REQUEST_TIMEOUT_MS = 60_000;

/** Nothing times out during the run: journeys move only by what the clients do; no quiet hours. */
const SOAK_POLICY = {
  nudgeOffsets: ['PT0S'],
  escalateUnresponsiveAfter: 'PT2H',
  closeUnreachableAfter: 'PT4H',
  partnerReminderAfter: 'PT2H',
  referralExpiresAfter: 'PT4H',
  checkInOffsets: ['P30D', 'P90D', 'P180D'],
  quietHours: { start: '00:00', end: '00:00' },
};

/** The mix: what a client does next, by weight (an action with nothing to act on reads a case page instead). */
const MIX = { intake: 20, caseList: 12, casePage: 18, contact: 10, partnerInbox: 15, decision: 10, report: 15 } as const;
type Action = keyof typeof MIX;
const REPORTS = [
  '/v1/reports/funnel',
  '/v1/reports/journey-durations?groupBy=segment',
  '/v1/reports/partners',
  '/v1/reports/overdue',
  '/v1/reports/nudges?groupBy=variant',
];

async function main() {
  const system = await startSystem({
    bench: 'soak',
    temporalPort: TEMPORAL_PORT,
    apiPort: PORT,
    databaseUrl: DATABASE_URL,
    mustContain: 'soak',
    redisUrl: REDIS_URL,
    policy: SOAK_POLICY,
    // Production in all but one thing: the bench's clients sign their own HS256 tokens (no identity provider here).
    env: { NODE_ENV: 'development', WORKER_MAX_CACHED_WORKFLOWS: WORKER_CACHE },
  });
  const { db, dbName, apiUrl } = system;
  const { signToken } = await import('../../libs/auth/src');
  const { simulatedForm } = await import('../../infra/demo/population');
  const { Prng } = await import('../../infra/seed/prng');
  const { DECLINE_REASONS } = await import('../../libs/domain/src');
  const bearer = (claims: object) => `Bearer ${signToken(claims as never, undefined, '4h')}`;
  const counsellor = bearer({ sub: 'soak-counsellor', role: 'counsellor' });
  const manager = bearer({ sub: 'soak-manager', role: 'manager' });
  const partnerTokens = new Map<string, string>();
  const partner = (partnerId: string) => {
    if (!partnerTokens.has(partnerId)) partnerTokens.set(partnerId, bearer({ sub: `soak-${partnerId}`, role: 'partner', partnerId }));
    return partnerTokens.get(partnerId)!;
  };

  // ── what the clients share: the cases made, those waiting for a contact, the pending referrals ──
  const cases: string[] = [];
  const toContact: string[] = [];
  const pending: { id: string; partnerId: string }[] = [];
  const seen = new Set<string>();
  const latencies = new Map<string, number[]>();
  const errors: string[] = [];
  let requests = 0;
  let loading = true;
  const poller = (async () => {
    while (loading) {
      const rows: { id: string; partner_id: string }[] = await db.query(`SELECT id, partner_id FROM referrals WHERE status = 'PENDING'`);
      for (const r of rows) if (!seen.has(r.id)) (seen.add(r.id), pending.push({ id: r.id, partnerId: r.partner_id }));
      await sleep(500);
    }
  })();

  /** One request, timed under its route's name; anything but the expected status is an error, listed. */
  async function call(route: string, method: string, path: string, auth?: string, body?: unknown, ok = [200]) {
    const t = performance.now();
    requests++;
    try {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: auth } : {}),
          ...(method !== 'GET' && auth ? { 'idempotency-key': randomUUID() } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if (!latencies.has(route)) latencies.set(route, []);
      latencies.get(route)!.push(performance.now() - t);
      if (!ok.includes(res.status)) {
        errors.push(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
        return undefined;
      }
      return text ? JSON.parse(text) : {};
    } catch (err) {
      errors.push(`${method} ${path}: ${(err as Error).name} ${String((err as Error).cause ?? (err as Error).message).slice(0, 200)}`);
      return undefined;
    }
  }

  const weights = Object.entries(MIX) as [Action, number][];
  const total = weights.reduce((a, [, w]) => a + w, 0);
  async function client(index: number, until: number) {
    const prng = new Prng(1000 + index);
    let forms = 0;
    while (Date.now() < until) {
      let draw = prng.next() * total;
      const action = weights.find(([, w]) => (draw -= w) < 0)![0];
      const someCase = cases.length ? cases[prng.int(0, cases.length - 1)] : undefined;
      if (action === 'intake') {
        const form = simulatedForm(prng, index * 1_000_000 + forms++, new Date());
        const res = await call('POST /v1/intake/forms', 'POST', '/v1/intake/forms', undefined, form, [200, 201]);
        if (res?.caseId && res.eligible) (cases.push(res.caseId), toContact.push(res.caseId));
      } else if (action === 'caseList') {
        const page = prng.int(1, 3);
        await call('GET /v1/cases', 'GET', `/v1/cases?page=${page}&pageSize=50${prng.chance(0.5) ? '&stage=ENGAGING' : ''}`, counsellor);
      } else if (action === 'contact' && toContact.length) {
        const caseId = toContact.shift()!;
        await call('POST /v1/cases/{id}/contacts', 'POST', `/v1/cases/${caseId}/contacts`, counsellor, { channel: 'PHONE', reached: true });
      } else if (action === 'partnerInbox' && pending.length) {
        const { partnerId } = pending[prng.int(0, pending.length - 1)];
        await call('GET /v1/partner/referrals', 'GET', '/v1/partner/referrals?status=PENDING', partner(partnerId));
      } else if (action === 'decision' && pending.length) {
        const referral = pending.splice(prng.int(0, pending.length - 1), 1)[0];
        const base = `/v1/partner/referrals/${referral.id}`;
        if (prng.chance(0.75))
          await call('POST /v1/partner/referrals/{id}/accept', 'POST', `${base}/accept`, partner(referral.partnerId), {});
        else {
          const reason = prng.pick(DECLINE_REASONS.filter((d) => d !== 'OTHER'));
          await call('POST /v1/partner/referrals/{id}/decline', 'POST', `${base}/decline`, partner(referral.partnerId), { reason });
        }
      } else if (action === 'report') {
        const path = REPORTS[prng.int(0, REPORTS.length - 1)];
        await call(`GET ${path.split('?')[0]}`, 'GET', path, manager);
      } else if (someCase) {
        await call('GET /v1/cases/{id}', 'GET', `/v1/cases/${someCase}`, counsellor);
      } else {
        await call('GET /v1/cases', 'GET', '/v1/cases?page=1&pageSize=50', counsellor);
      }
    }
  }

  // ── memory: each process after the warm-up and at the end; PostgreSQL's backends for this database ──
  const processes = { api: system.api.pid!, worker: system.worker.pid!, temporal: system.temporal.pid! };
  const memory = async () => {
    const backends: { pid: number }[] = await db.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    const pg = backends.map((b) => memoryOf(b.pid)).filter((m): m is { rss: number; anon: number } => m !== undefined);
    return {
      ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, memoryOf(pid)?.rss ?? NaN])),
      // Their private memory only: a backend's RSS counts the shared buffers it has touched, which is not its own.
      postgresBackends: round(pg.reduce((s, m) => s + m.anon, 0)),
      postgresBackendCount: pg.length,
    } as Record<'api' | 'worker' | 'temporal' | 'postgresBackends' | 'postgresBackendCount', number>;
  };

  console.log(
    `[soak] ${CLIENTS} clients for ${SECONDS} s (the first ${WARMUP_SECONDS} s a warm-up); load average ${loadavg().map((v) => round(v, 2))}`,
  );
  const started = Date.now();
  const until = started + SECONDS * 1000;
  const running = Array.from({ length: CLIENTS }, (_, i) => client(i, until));
  await sleep(WARMUP_SECONDS * 1000);
  const memoryWarm = await memory();
  const loadDuring: number[][] = [];
  const loadSampler = setInterval(() => loadDuring.push(loadavg()), 10_000);
  await Promise.all(running);
  const loadSeconds = (Date.now() - started) / 1000;
  clearInterval(loadSampler);
  loading = false;
  await poller;
  const memoryEnd = await memory();
  console.log(`[soak] ${requests} requests in ${round(loadSeconds)} s; settling`);

  // Settled: every message through the channels, no journey between two steps (up to 120 s).
  const settleDeadline = Date.now() + 120_000;
  for (;;) {
    const [{ moving }] = await db.query(
      `SELECT (SELECT count(*) FROM outbound_messages WHERE status IN ('QUEUED', 'DELAYED', 'SENDING'))::int
            + (SELECT count(*) FROM cases WHERE id = ANY($1::uuid[]) AND stage = 'MATCHING')::int AS moving`,
      [cases],
    );
    if (moving === 0 || Date.now() > settleDeadline) break;
    await sleep(1000);
  }
  const consistency = await checkConsistency({ db, temporal: system.client, journeys: cases.map((caseId) => ({ caseId })) });

  const growth = Object.fromEntries(
    (['api', 'worker', 'temporal', 'postgresBackends'] as const).map((name) => {
      const bound = Math.max(MAX_GROWTH_MB, memoryWarm[name] * MAX_GROWTH_RATIO);
      const grew = memoryEnd[name] - memoryWarm[name];
      return [
        name,
        { warmMb: memoryWarm[name], endMb: memoryEnd[name], growthMb: round(grew), boundMb: round(bound), ok: !(grew > bound) },
      ];
    }),
  );
  const routes = [...latencies]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, v]) => ({
      route,
      count: v.length,
      p50: round(percentile(v, 50)),
      p99: round(percentile(v, 99)),
      max: round(Math.max(...v)),
    }));
  const [stages] = await db.query(
    `SELECT json_object_agg(stage, n) AS stages FROM (SELECT stage, count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) GROUP BY stage) s`,
    [cases],
  );
  const result = {
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverageAtEnd: loadavg().map((v) => round(v, 2)),
      loadAverage1mDuring: loadDuring.map((l) => round(l[0], 2)),
    },
    clients: CLIENTS,
    seconds: round(loadSeconds),
    warmupSeconds: WARMUP_SECONDS,
    mix: MIX,
    requests,
    requestsPerSecond: round(requests / loadSeconds),
    routes,
    errors: { count: errors.length, first: errors.slice(0, 50) },
    cases: { made: cases.length, byStage: stages.stages, referralsSeen: seen.size },
    consistency: { ...consistency, problems: consistency.problems.slice(0, 100), problemCount: consistency.problems.length },
    memory: { warm: memoryWarm, end: memoryEnd, growth, bound: `max(${MAX_GROWTH_MB} MB, ${MAX_GROWTH_RATIO * 100}% of the warm figure)` },
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);

  console.log(`\n| route | requests | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|`);
  for (const r of routes) console.log(`| ${r.route} | ${r.count} | ${r.p50} | ${r.p99} | ${r.max} |`);
  console.log(`| **all** | ${requests} (${result.requestsPerSecond}/s) | | | |`);
  console.log(`\n| process | MB after warm-up | MB at the end | growth | bound |\n|---|---:|---:|---:|---:|`);
  for (const [name, g] of Object.entries(growth))
    console.log(`| ${name} | ${g.warmMb} | ${g.endMb} | ${g.growthMb}${g.ok ? '' : ' **over**'} | ${g.boundMb} |`);
  console.log(
    `\nerrors: ${errors.length}; cases ${cases.length} (${JSON.stringify(stages.stages)}); consistency: ${consistency.problems.length} problem(s), ` +
      `${consistency.duplicatedEvents} duplicated events, ${consistency.duplicateMessages} duplicate messages, ${consistency.unsentMessages} unsent`,
  );
  for (const e of errors.slice(0, 20)) console.log(`  error: ${e}`);
  for (const p of consistency.problems.slice(0, 20)) console.log(`  inconsistent: ${p}`);
  console.log('[soak] wrote bench/results/soak.json');
  await system.close();
  const failed = errors.length > 0 || consistency.problems.length > 0 || Object.values(growth).some((g) => !g.ok);
  return failed ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`[soak] ${err.stack ?? err}`);
    process.exit(1);
  });
