/**
 * What the reports' facts cost a journey step: N step-like writes (one transaction each, as the
 * step writer does: an event, the case's projection, a queued message) timed with the report
 * triggers on, then with every user trigger of those tables off, alternately, on the bench
 * database that bench/reports/run.ts filled (BENCH_DATABASE_URL; its cases get extra events).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/reports/step-cost.ts
 *   STEPS=300 ROUNDS=2 ...
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { DataSource } from 'typeorm';
import { initializeDataSource } from '../../libs/persistence/src';

const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/walt_bench';
const STEPS = Number(process.env.STEPS || 300);
const ROUNDS = Number(process.env.ROUNDS || 2);
const TABLES = ['journey_events', 'cases', 'outbound_messages', 'referrals'];

async function timeSteps(ds: DataSource, caseIds: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (const caseId of caseIds) {
    const started = process.hrtime.bigint();
    await ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO journey_events (case_id, type, actor, at, data, idempotency_key)
         VALUES ($1, 'STAGE_CHANGED', 'system', now(), '{"from": "ENGAGING", "to": "MATCHING"}', $2)`,
        [caseId, `step-cost-${randomUUID()}`],
      );
      await m.query(`UPDATE cases SET stage = 'MATCHING', stage_entered_at = now() WHERE id = $1`, [caseId]);
      await m.query(
        `INSERT INTO outbound_messages (id, case_id, job_id, purpose, channel, recipient, status, scheduled_at)
         VALUES ($1, $2, $3, 'NUDGE_9', 'SMS', 'YOUTH', 'QUEUED', now())`,
        [randomUUID(), caseId, `step-cost-${randomUUID()}`],
      );
    });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.slice(1).sort((a, b) => a - b); // the first is a warm-up
}

const at = (sorted: number[], p: number) => sorted[Math.floor(p * (sorted.length - 1))].toFixed(1);

async function main() {
  if (!/bench/.test(new URL(DATABASE_URL).pathname)) throw new Error('BENCH_DATABASE_URL must name a bench database');
  const ds = await initializeDataSource(DATABASE_URL);
  const open: { id: string }[] = await ds.query(`SELECT id FROM cases WHERE stage <> 'CLOSED' ORDER BY md5(id::text) LIMIT $1`, [
    STEPS * ROUNDS * 2,
  ]);
  const ids = open.map((c) => c.id);
  const results: Record<string, number[]> = { 'report triggers on': [], 'report triggers off': [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, mode] of (['report triggers on', 'report triggers off'] as const).entries()) {
        const slice = ids.slice((round * 2 + i) * STEPS, (round * 2 + i + 1) * STEPS);
        const toggle = mode.endsWith('off') ? 'DISABLE' : 'ENABLE';
        for (const table of TABLES) await ds.query(`ALTER TABLE ${table} ${toggle} TRIGGER USER`);
        results[mode].push(...(await timeSteps(ds, slice)));
      }
    }
  } finally {
    for (const table of TABLES) await ds.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const [mode, samples] of Object.entries(results)) {
    samples.sort((a, b) => a - b);
    console.log(`${mode}: ${samples.length} steps, p50 ${at(samples, 0.5)} ms, p90 ${at(samples, 0.9)} ms`);
  }
  await ds.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
