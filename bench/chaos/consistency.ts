/**
 * The consistency checks a run ends with (bench/chaos, bench/soak, test/chaos.e2e.test.ts): for
 * every journey, what PostgreSQL, the journey's events, its messages and its workflow say must
 * agree, whatever was killed on the way.
 *
 *   const report = await checkConsistency({ db, temporal, journeys: [{ caseId, expectedStage: 'CLOSED' }] });
 *   if (report.problems.length) ...
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { journeyWorkflowId } from '../../libs/temporal/src';
import { stateQuery } from '../../workflows/messages';

export interface JourneyExpectation {
  caseId: string;
  /** The stage the journey's script ends in (e.g. CLOSED); omitted: any stage, only agreement is checked. */
  expectedStage?: string;
  /** What went wrong on the client's side (a refused call), reported as a problem. */
  error?: string;
  /** The run knows the journey's start was lost (e.g. intake while Temporal was down): the reconciler's to start. */
  startLost?: boolean;
}

export interface ConsistencyOptions {
  db: DataSource;
  /** A client built with temporalClient() (the payload codec), so the state query can be read. */
  temporal: Client;
  journeys: JourneyExpectation[];
  /** A referral PENDING this long past its due time counts as stuck (the expiry timer has slack). */
  expiryGraceSeconds?: number;
  /** The messaging adapter is the outbox (the default outside production): a SENT message has its row there. */
  outbox?: boolean;
}

export interface ConsistencyReport {
  journeys: number;
  /** Reached their expected stage (every journey when none is expected). */
  completed: number;
  /** Did not reach their expected stage. */
  lost: number;
  /** Events that must happen once per journey (or per referral) and were written more than once. */
  duplicatedEvents: number;
  /** Messages delivered more than once to the outbox. */
  duplicateMessages: number;
  /** Messages never sent (neither SENT nor deliberately SUPPRESSED/CANCELLED), or SENT with nothing delivered. */
  unsentMessages: number;
  pendingPastExpiry: number;
  /** Journeys whose start the run knows it lost. */
  lostStarts: number;
  /** Cases with no workflow, or whose journey never marked them started: the reconciler missed them. */
  notStarted: string[];
  /** Cases whose journey started well after the case was written: the reconciler's work. */
  startedLate: string[];
  /** One line per inconsistency, prefixed by the case id. */
  problems: string[];
}

/** Events a journey writes once (per referral for the REFERRAL_ ones); a second one is a replayed side effect. */
const ONCE = (type: string) => type.startsWith('REFERRAL_') || ['CAPTURED', 'CLOSED', 'PATHWAY_STARTED', 'OUTCOME_REPORTED'].includes(type);
/** Intake starts the journey within a second or two; later than this it was the reconciler (grace 10 s). */
const LATE_START_MS = 8_000;

export async function checkConsistency(options: ConsistencyOptions): Promise<ConsistencyReport> {
  const { db, temporal, journeys } = options;
  const grace = options.expiryGraceSeconds ?? 5;
  const outbox = options.outbox ?? true;
  const report: ConsistencyReport = {
    journeys: journeys.length,
    completed: 0,
    lost: 0,
    duplicatedEvents: 0,
    duplicateMessages: 0,
    unsentMessages: 0,
    pendingPastExpiry: 0,
    lostStarts: journeys.filter((j) => j.startLost).length,
    notStarted: [],
    startedLate: [],
    problems: [],
  };
  const problem = (caseId: string, line: string) => report.problems.push(`${caseId}: ${line}`);

  for (const journey of journeys) {
    const { caseId } = journey;
    if (journey.error) problem(caseId, `script failed: ${journey.error}`);
    const [row] = await db.query('SELECT stage, created_at, journey_started_at FROM cases WHERE id = $1', [caseId]);
    if (!row) {
      problem(caseId, 'no such case in PostgreSQL');
      report.lost += 1;
      continue;
    }
    if (!journey.expectedStage || row.stage === journey.expectedStage) report.completed += 1;
    else {
      report.lost += 1;
      problem(caseId, `ended ${row.stage}, expected ${journey.expectedStage}`);
    }

    // The journey exists and started: whoever started it, intake or the reconciler.
    const handle = temporal.workflow.getHandle(journeyWorkflowId(caseId));
    const described = await handle.describe().catch((err: Error) => err);
    if (described instanceof WorkflowNotFoundError || !row.journey_started_at) {
      report.notStarted.push(caseId);
      problem(
        caseId,
        `journey never started (${described instanceof Error ? 'no workflow' : 'journey_started_at null'})${journey.startLost ? ': its start was lost and the reconciler did not start it' : ''}`,
      );
    } else if (described instanceof Error) {
      problem(caseId, `workflow not described: ${described.message}`);
    } else if (described.startTime.getTime() - new Date(row.created_at).getTime() > LATE_START_MS) {
      report.startedLate.push(caseId);
    }

    // One stage, three witnesses: the case row, the last STAGE_CHANGED event, the workflow's state.
    const events: { type: string; actor: string; data: Record<string, string> }[] = await db.query(
      'SELECT type, actor, data FROM journey_events WHERE case_id = $1 ORDER BY at, seq, id',
      [caseId],
    );
    const lastStage = events.filter((e) => e.type === 'STAGE_CHANGED').pop()?.data.to;
    const state = described instanceof Error ? undefined : await handle.query(stateQuery).catch((err: Error) => err);
    if (state instanceof Error) problem(caseId, `state query failed: ${state.message}`);
    const queried = state && !(state instanceof Error) ? state.stage : undefined;
    if (row.stage !== lastStage || (queried !== undefined && queried !== row.stage)) {
      problem(caseId, `cases.stage ${row.stage}, last STAGE_CHANGED ${lastStage}, state query ${queried}`);
    }

    // Nothing missing from the sequence: the journey numbers its steps 1, 2, 3...; each cause is there.
    const seqs: number[] = (
      await db.query('SELECT seq FROM journey_events WHERE case_id = $1 AND seq IS NOT NULL ORDER BY seq', [caseId])
    ).map((r: { seq: number }) => r.seq);
    const gaps = seqs.filter((seq, i) => seq !== i + 1);
    if (gaps.length) problem(caseId, `journey steps not numbered 1..${seqs.length}: ${seqs.join(',')}`);
    const has = (type: string) => events.some((e) => e.type === type);
    if (row.journey_started_at && !has('CAPTURED')) problem(caseId, 'started without a CAPTURED event');
    if (row.stage === 'CLOSED' && !has('CLOSED')) problem(caseId, 'CLOSED without a CLOSED event');
    const movedBy = (actor: string) => events.some((e) => e.type === 'STAGE_CHANGED' && e.data.from === 'ENGAGING' && e.actor === actor);
    if (movedBy('counsellor:chaos-counsellor') && !has('CONTACT_LOGGED'))
      problem(caseId, 'left ENGAGING by a counsellor without a CONTACT_LOGGED event');
    // One message per purpose, per check-in (its seq) and per referral: CHECK_IN comes once per check-in.
    const purposes = events
      .filter((e) => e.type === 'MESSAGE_QUEUED')
      .map((e) => [e.data.purpose, e.data.seq, e.data.referralId].filter((part) => part !== undefined).join(' '));
    for (const purpose of new Set(purposes)) {
      const n = purposes.filter((p) => p === purpose).length;
      if (n > 1) ((report.duplicatedEvents += n - 1), problem(caseId, `MESSAGE_QUEUED ${purpose} ×${n}`));
    }
    const once = new Map<string, number>();
    for (const e of events.filter((e) => ONCE(e.type))) {
      const key = `${e.type}:${e.data.referralId ?? ''}`;
      once.set(key, (once.get(key) ?? 0) + 1);
    }
    for (const [key, n] of once) {
      if (n < 2) continue;
      report.duplicatedEvents += n - 1;
      problem(caseId, `${key} ×${n}`);
    }

    // Every message expected is SENT exactly once: delivered to the outbox once, never twice, none left behind.
    const [m] = await db.query(
      `SELECT count(*) FILTER (WHERE m.status NOT IN ('SENT', 'SUPPRESSED', 'CANCELLED')) AS unsent,
              count(*) FILTER (WHERE m.status = 'SENT' AND o.n IS NULL AND $2) AS undelivered,
              count(*) FILTER (WHERE o.n > 1) AS twice
         FROM outbound_messages m
         LEFT JOIN (SELECT message_id, count(*) AS n FROM message_outbox GROUP BY message_id) o ON o.message_id = m.id
        WHERE m.case_id = $1`,
      [caseId, outbox],
    );
    const unsent = Number(m.unsent) + Number(m.undelivered);
    report.unsentMessages += unsent;
    report.duplicateMessages += Number(m.twice);
    if (Number(m.unsent)) problem(caseId, `${m.unsent} message(s) not sent`);
    if (Number(m.undelivered)) problem(caseId, `${m.undelivered} message(s) SENT but not in the outbox`);
    if (Number(m.twice)) problem(caseId, `${m.twice} message(s) delivered twice`);

    const [p] = await db.query(
      `SELECT count(*) AS n FROM referrals WHERE case_id = $1 AND status = 'PENDING' AND due_at < now() - make_interval(secs => $2)`,
      [caseId, grace],
    );
    report.pendingPastExpiry += Number(p.n);
    if (Number(p.n)) problem(caseId, `${p.n} referral(s) PENDING past their expiry`);
  }
  return report;
}
