/**
 * Demo data: a few hundred journeys through the real system (API, workflows, PostgreSQL) with a
 * compressed policy and a simulated population, so a newcomer sees real reports.
 *
 *   npm run demo -- [count=300] [seed=2026]        (with `npm start` running)
 *
 * Young people reply or not, partners accept, decline with a reason or let referrals expire,
 * attend or not, and check-ins end in outcomes or drop-outs: all drawn with a fixed seed.
 * Replies and partner decisions go to the workflows exactly as the inbound-SMS webhook and the
 * partner portal send them.
 */
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { DECLINE_REASONS, DEFAULT_POLICY, OUTCOMES, Policy } from '../../libs/domain/src';
import { initializeDataSource, PoliciesRepository, UsersRepository } from '../../libs/persistence/src';
import { connectClient, journeyWorkflowId, referralWorkflowId, temporalClient, temporalConfig } from '../../libs/temporal/src';
import * as m from '../../workflows/messages';
import { Prng } from '../seed/prng';
import { simulatedForm } from './population';

const DEMO_POLICY: Policy = {
  ...DEFAULT_POLICY,
  nudgeOffsets: ['PT0S', 'PT3S', 'PT6S'],
  escalateUnresponsiveAfter: 'PT8S',
  closeUnreachableAfter: 'PT14S',
  partnerReminderAfter: 'PT3S',
  referralExpiresAfter: 'PT6S',
  checkInOffsets: ['PT3S', 'PT6S', 'PT9S'],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** At most `size` scripts at once, so the simulation does not flood PostgreSQL with polls. */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

async function main() {
  const count = Number(process.argv[2] ?? 300);
  const prng = new Prng(Number(process.argv[3] ?? 2026));
  const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const dataSource = await initializeDataSource();
  const config = temporalConfig();
  const client = temporalClient(await connectClient(config), config);

  await demoUsers(dataSource);
  const policies = new PoliciesRepository(dataSource);
  const { version } = await policies.create(DEMO_POLICY, 'demo');
  console.log(`[demo] policy v${version} (seconds) for ${count} simulated young people`);
  // Each journey is played by its own little script as soon as its form is in, a few at a time.
  const caseIds: string[] = [];
  const playing: Promise<void>[] = [];
  const slots = new Semaphore(200);
  let played = 0;
  try {
    for (let i = 0; i < count; i++) {
      const body = await submit(api, simulatedForm(prng, i, new Date()));
      if (!body.eligible) continue;
      caseIds.push(body.caseId);
      const script = new Prng(Math.floor(prng.next() * 2 ** 31));
      playing.push(
        slots
          .run(() => play(client, dataSource, body.caseId, script))
          .catch((err) => console.warn(`[demo] ${body.caseId}: ${err.message}`))
          .then(() => void (++played % 50 === 0 && console.log(`[demo] ${played} journeys played`))),
      );
    }
  } finally {
    await policies.create(DEFAULT_POLICY, 'demo'); // these journeys keep their version; new ones get the default
  }
  console.log(`[demo] ${count} forms sent, ${caseIds.length} journeys in scope; waiting for the simulated answers…`);
  await Promise.all(playing);
  const [{ stages }] = await dataSource.query(
    `SELECT json_object_agg(stage, n) AS stages FROM (SELECT stage, count(*) n FROM cases WHERE id = ANY($1) GROUP BY stage) s`,
    [caseIds],
  );
  console.log(`[demo] done; stages now: ${JSON.stringify(stages)}. See GET /v1/reports/* with a manager token (npm run token -- manager).`);
  await client.connection.close();
  await dataSource.destroy();
}

/** One console user per role (sign in at /console/connexion; the link lands in message_outbox). */
async function demoUsers(dataSource: DataSource): Promise<void> {
  const users = new UsersRepository(dataSource);
  const [{ id: partnerId }] = await dataSource.query(`SELECT id FROM partners WHERE active ORDER BY id LIMIT 1`);
  const wanted = [
    { email: 'conseiller@walt.localhost', role: 'counsellor' as const },
    { email: 'partenaire@walt.localhost', role: 'partner' as const, partnerId },
    { email: 'responsable@walt.localhost', role: 'manager' as const },
    { email: 'admin@walt.localhost', role: 'admin' as const },
  ];
  for (const user of wanted) await users.create(user); // an existing address is left as it is
  console.log(`[demo] console users: ${wanted.map((u) => `${u.email} (${u.role})`).join(', ')}`);
}

let warnedAboutRateLimit = false;

/** Sends a form like the web form does; the public intake is rate limited, so it waits its turn. */
async function submit(api: string, form: object): Promise<{ caseId: string; eligible: boolean }> {
  for (;;) {
    const res = await fetch(`${api}/v1/intake/forms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(form),
    });
    if (res.status === 201 || res.status === 200) return (await res.json()) as { caseId: string; eligible: boolean };
    if (res.status !== 429) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
    if (!warnedAboutRateLimit) {
      warnedAboutRateLimit = true;
      console.log(
        '[demo] the intake rate limit applies (INTAKE_RATE_LIMIT_PER_MINUTE, default 60): waiting between forms; start with a higher limit for a faster demo',
      );
    }
    await sleep(1000 * Number(res.headers.get('retry-after') ?? 5));
  }
}

/** One young person's answers, and the answers of the partners they are referred to. */
async function play(client: Client, db: DataSource, caseId: string, prng: Prng) {
  const journey = client.workflow.getHandle(journeyWorkflowId(caseId));
  if (!prng.chance(0.8)) return; // never answers: nudges, escalation, UNREACHABLE
  await sleep(prng.int(0, 4000));
  await journey.signal(m.youthRepliedSignal, { channel: prng.pick(['SMS', 'EMAIL'] as const) });

  for (let attempt = 1; attempt <= 6; attempt++) {
    const referral = await waitFor(() => pendingReferral(db, caseId, attempt), 20_000);
    if (!referral) return; // escalated to a counsellor (nobody eligible, attempts exhausted)
    const actor = `partner:${referral.partner_id}`;
    const answer = prng.next();
    if (answer < 0.15) continue; // no answer: reminder, then expiry
    await sleep(prng.int(200, 2500));
    const decide = (decision: m.ReferralDecision) =>
      client.workflow.getHandle(referralWorkflowId(caseId, attempt)).executeUpdate(m.decideReferralUpdate, { args: [decision] });
    if (answer < 0.45) {
      await decide({ decision: 'DECLINED', reason: prng.pick(DECLINE_REASONS.filter((r) => r !== 'OTHER')), actor });
      continue;
    }
    await decide({ decision: 'ACCEPTED', actor, appointmentAt: new Date(Date.now() + 60_000).toISOString() });
    await waitFor(async () => ((await stageOf(db, caseId)) === 'ACCEPTED' ? true : undefined), 10_000);
    await sleep(prng.int(200, 1500));
    const attended = prng.chance(0.85);
    await journey.executeUpdate(m.recordAttendanceUpdate, { args: [{ referralId: referral.id, attended, actor }] });
    if (!attended) {
      if (prng.chance(0.5)) await journey.executeUpdate(m.closeUpdate, { args: [{ reason: 'WITHDRAWN', actor: 'counsellor:demo' }] });
      return;
    }
    for (let checkIn = 0; checkIn < 3; checkIn++) {
      await sleep(prng.int(1000, 3000));
      const draw = prng.next();
      if (checkIn === 2 || draw < 0.25) {
        await journey.executeUpdate(m.recordCheckInUpdate, {
          args: [{ status: 'OUTCOME', outcome: prng.pick(OUTCOMES), actor: 'counsellor:demo' }],
        });
        return;
      }
      if (draw < 0.33) {
        await journey.executeUpdate(m.recordCheckInUpdate, { args: [{ status: 'DROPPED_OUT', actor: 'counsellor:demo' }] });
        return;
      }
      await journey.executeUpdate(m.recordCheckInUpdate, { args: [{ status: 'ON_TRACK', actor: 'counsellor:demo' }] });
    }
    return;
  }
}

async function pendingReferral(db: DataSource, caseId: string, attempt: number) {
  const [row] = await db.query(`SELECT id, partner_id FROM referrals WHERE case_id = $1 AND attempt = $2 AND status = 'PENDING'`, [
    caseId,
    attempt,
  ]);
  if (row) return row as { id: string; partner_id: string };
  const stage = await stageOf(db, caseId);
  return stage === 'NEEDS_COUNSELLOR' || stage === 'CLOSED' ? null : undefined;
}

async function stageOf(db: DataSource, caseId: string): Promise<string> {
  const [row] = await db.query('SELECT stage FROM cases WHERE id = $1', [caseId]);
  return row.stage;
}

/** Polls until `probe` gives a value (null ends the wait too); undefined after the timeout. */
async function waitFor<T>(probe: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T | null | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(400);
  }
  return undefined;
}

main().catch((err) => {
  console.error(`[demo] ${err.message}`);
  process.exit(1);
});
