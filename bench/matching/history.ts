/**
 * One match's cost as the programme's history grows: the seed directory, one young person, and
 * a ledger of 125,544 referrals' places over the last twelve months (the referrals of the
 * reports bench at 104,370 journeys), then ten times more. Timed: `CaseMatcher.match` (what
 * the journey's activity calls), a place taken (`PartnerPlacesRepository.take`), and beside
 * them the month's load as the matcher computed it before the counters (a count over the
 * month's places of every partner).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/matching/history.ts
 *
 * Uses its own database (BENCH_DATABASE_URL, default .../walt_bench_matching: emptied and
 * refilled). Prints a table; writes bench/results/matching-history.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CaseMatcher, loadSeedPartnersIfEmpty, PartnerPlacesRepository, placeMonthOf } from '../../libs/directory/src';
import { initializeDataSource } from '../../libs/persistence/src';

const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench_matching';
const SIZES = [125_544, 1_255_440];
const RUNS = 50;
const AT = new Date();
const CASE_ID = '00000000-0000-4000-8000-000000000001';

async function ensureDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  if (!/bench/.test(name)) throw new Error(`Refusing to empty ${name}: the benchmark database's name must contain "bench".`);
  const admin = await initializeDataSource(url.replace(/\/[^/]*$/, '/postgres'));
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.destroy();
}

async function percentiles(run: () => Promise<unknown>) {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(RUNS - 1, Math.ceil(q * RUNS) - 1)] * 100) / 100;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function main() {
  await ensureDatabase(DATABASE_URL);
  const ds = await initializeDataSource(DATABASE_URL);
  await ds.runMigrations({ transaction: 'each' });
  await ds.query(`TRUNCATE partner_places, referrals, journey_events, cases, youths, partners CASCADE`);
  const partners = await loadSeedPartnersIfEmpty(ds);
  await ds.query(
    `INSERT INTO youths (id, postal_code, commune_code, diploma_level, situation, consent, birth_date)
     VALUES ($1, '75011', '75111', 'CAP_BEP', 'LOOKING_FOR_JOB', '{"dataProcessing": true, "shareWithPartners": true, "channels": ["SMS"]}', '2005-03-01')`,
    [CASE_ID],
  );
  await ds.query(
    `INSERT INTO cases (id, youth_id, submission_id, stage, stage_entered_at, segment, eligible, age_at_capture, departement, region,
                        source_channel, source_campaign, policy_version)
     VALUES ($1, $1, 'bench-match', 'MATCHING', now(), 'DECROCHEUR', true, 20, '75', '11', 'WEBSITE', 'bench', 1)`,
    [CASE_ID],
  );
  const [{ id: partnerId }] = await ds.query('SELECT id FROM partners ORDER BY id LIMIT 1');
  const matcher = new CaseMatcher(ds);
  const places = new PartnerPlacesRepository(ds);
  const results: Record<string, unknown>[] = [];
  let loaded = 0;
  for (const size of SIZES) {
    // The places of twelve months, loaded in bulk (the ledger's trigger off: it counts one place
    // per transaction, as the journeys take them), then counted as the migration does.
    const started = Date.now();
    await ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(
        `INSERT INTO partner_places (referral_id, partner_id, case_id, month, taken_at)
         SELECT gen_random_uuid(), p.ids[1 + (i % cardinality(p.ids))], $2, to_char(t AT TIME ZONE 'Europe/Paris', 'YYYY-MM'), t
         FROM (SELECT array_agg(id ORDER BY id) AS ids FROM partners) p,
              generate_series(1, $1) i, LATERAL (SELECT $3::timestamptz - (i % 12) * interval '1 month' AS t) m`,
        [size - loaded, CASE_ID, AT],
      );
      await manager.query(`DELETE FROM partner_month_load`);
      await manager.query(
        `INSERT INTO partner_month_load (partner_id, month, taken) SELECT partner_id, month, count(*) FROM partner_places GROUP BY 1, 2`,
      );
    });
    loaded = size;
    await ds.query('VACUUM ANALYZE partner_places');
    await ds.query('VACUUM ANALYZE partner_month_load');
    const [{ month }] = await ds.query(`SELECT count(*)::int AS month FROM partner_places WHERE month = $1`, [placeMonthOf(AT)]);
    console.log(`${size.toLocaleString('en')} places (${month.toLocaleString('en')} this month) in ${Date.now() - started} ms`);
    const match = await percentiles(() => matcher.match(CASE_ID, { at: AT }));
    const take = await percentiles(() =>
      // Forced: past the capacity too, so each run takes its place (the check and the insert both run).
      places.take({ referralId: randomUUID(), partnerId, caseId: CASE_ID, at: AT, forced: true }),
    );
    const before = await percentiles(() =>
      ds.query('SELECT partner_id, count(*)::int AS n FROM partner_places WHERE month = $1 GROUP BY partner_id', [placeMonthOf(AT)]),
    );
    results.push({ places: size, placesThisMonth: month, match, take, loadByCountingBefore: before });
  }
  console.log(
    `\nload ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${partners} partners; ${RUNS} runs each, ms\n`,
  );
  console.log("| places in the ledger | match p50 | match p99 | take p50 | the month's load by counting (before) p50 |");
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of results as any[]) {
    console.log(
      `| ${r.places.toLocaleString('en')} | ${r.match.p50Ms} | ${r.match.p99Ms} | ${r.take.p50Ms} | ${r.loadByCountingBefore.p50Ms} |`,
    );
  }
  mkdirSync(join(__dirname, '../results'), { recursive: true });
  writeFileSync(
    join(__dirname, '../results/matching-history.json'),
    JSON.stringify({ at: new Date().toISOString(), load: loadavg(), partners, runs: RUNS, results }, null, 2) + '\n',
  );
  await ds.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
