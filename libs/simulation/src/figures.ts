/**
 * What a simulated run shows, computed from the events and messages its journeys wrote to their
 * own schema, with the durations of the run's logical clock read back in the programme's time
 * (one simulated day is `msPerDay` milliseconds of that clock). Pure; and the interval of each figure over several seeds.
 */
import { durationMs, type Policy } from '../../domain/src';

export const DAY_MS = 86_400_000;

/** A duration of the programme as it lasts in a run where one day is msPerDay ms (`P1D` at 1000 → `PT1S`). */
export function scaleDuration(iso: string, msPerDay: number): string {
  const ms = Math.round((durationMs(iso) * msPerDay) / DAY_MS);
  return `PT${(ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0'}S`;
}

/** Every duration of the policy scaled as scaleDuration does. */
export function scalePolicy(policy: Policy, msPerDay: number): Policy {
  const scale = (iso: string) => scaleDuration(iso, msPerDay);
  return {
    ...policy,
    nudgeOffsets: policy.nudgeOffsets.map(scale),
    escalateUnresponsiveAfter: scale(policy.escalateUnresponsiveAfter),
    closeUnreachableAfter: scale(policy.closeUnreachableAfter),
    partnerReminderAfter: scale(policy.partnerReminderAfter),
    referralExpiresAfter: scale(policy.referralExpiresAfter),
    appointmentReminderBefore: scale(policy.appointmentReminderBefore),
    checkInOffsets: policy.checkInOffsets.map(scale),
    chatIdleExpiry: scale(policy.chatIdleExpiry),
  };
}

export interface RunEvent {
  caseId: string;
  type: string;
  actor: string;
  /** Epoch milliseconds of the run's logical clock (activities/simulation.activities.ts). */
  at: number;
  data: Record<string, any>;
}

export interface RunMessage {
  purpose: string;
  recipient: string;
}

export interface Percentiles {
  count: number;
  p50Hours: number | null;
  p90Hours: number | null;
}

export interface RunFigures {
  funnel: {
    captured: number;
    engaged: number;
    referred: number;
    accepted: number;
    inPathway: number;
    outcome: number;
    closedUnreachable: number;
    needsCounsellor: number;
  };
  /** Per stage (time spent in it, each visit) and end to end, in the programme's hours. */
  durations: Record<string, Percentiles>;
  escalations: Record<string, number> & { total: number };
  referrals: { sent: number; accepted: number; declined: number; expired: number; reminded: number };
  expiries: number;
  /** Actions of the simulated counsellors (contacts, check-ins recorded, new rounds of matching, closures), per simulated week of the run. */
  counsellorWorkload: { perWeek: number; byWeek: number[] };
  messages: { total: number; youth: number; partner: number; counsellor: number; byPurpose: Record<string, number> };
}

/** An action of a counsellor: one per case and instant (its events share them), whatever it wrote. */
const isCounsellorAction = (e: RunEvent) => e.actor.startsWith('counsellor:');

const STAGES_TIMED = ['ENGAGING', 'MATCHING', 'REFERRED', 'ACCEPTED', 'NEEDS_COUNSELLOR'];

/** `startMs`, `endMs`: the run's window on its logical clock (weeks of workload are counted from its start). */
export function runFigures(
  events: RunEvent[],
  messages: RunMessage[],
  run: { startMs: number; endMs: number; msPerDay: number },
): RunFigures {
  const hours = (ms: number) => (ms / run.msPerDay) * 24;
  const byCase = new Map<string, RunEvent[]>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (!byCase.has(e.caseId)) byCase.set(e.caseId, []);
    byCase.get(e.caseId)!.push(e);
  }
  const stageSpans: Record<string, number[]> = Object.fromEntries(STAGES_TIMED.map((s) => [s, []]));
  const ends: Record<string, number[]> = {
    captureToReferral: [],
    referralToDecision: [],
    captureToAcceptance: [],
    captureToPathway: [],
    firstToSecondReferral: [],
  };
  const funnel: RunFigures['funnel'] = {
    captured: 0,
    engaged: 0,
    referred: 0,
    accepted: 0,
    inPathway: 0,
    outcome: 0,
    closedUnreachable: 0,
    needsCounsellor: 0,
  };
  for (const journey of byCase.values()) {
    const captured = journey.find((e) => e.type === 'CAPTURED');
    if (!captured) continue;
    funnel.captured += 1;
    const changes = journey.filter((e) => e.type === 'STAGE_CHANGED');
    const reached = (stage: string) => changes.find((e) => e.data.to === stage);
    // Engaged: answered or reached, whether from engagement directly or after an escalation.
    if (reached('MATCHING')) funnel.engaged += 1;
    const sent = journey.filter((e) => e.type === 'REFERRAL_SENT');
    if (sent.length) funnel.referred += 1;
    const accepted = reached('ACCEPTED');
    if (accepted) funnel.accepted += 1;
    const pathway = reached('IN_PATHWAY');
    if (pathway) funnel.inPathway += 1;
    const closed = journey.find((e) => e.type === 'CLOSED');
    if (closed?.data.reason === 'OUTCOME_REACHED') funnel.outcome += 1;
    if (closed?.data.reason === 'UNREACHABLE') funnel.closedUnreachable += 1;
    if (changes.some((e) => e.data.to === 'NEEDS_COUNSELLOR')) funnel.needsCounsellor += 1;

    changes.forEach((change, i) => {
      const next = changes[i + 1];
      if (next && change.data.to in stageSpans) stageSpans[change.data.to].push(next.at - change.at);
    });
    if (sent[0]) ends.captureToReferral.push(sent[0].at - captured.at);
    if (sent[1]) ends.firstToSecondReferral.push(sent[1].at - sent[0].at);
    for (const referral of sent) {
      const decided = journey.find(
        (e) =>
          ['REFERRAL_ACCEPTED', 'REFERRAL_DECLINED', 'REFERRAL_EXPIRED'].includes(e.type) && e.data.referralId === referral.data.referralId,
      );
      if (decided) ends.referralToDecision.push(decided.at - referral.at);
    }
    if (accepted) ends.captureToAcceptance.push(accepted.at - captured.at);
    if (pathway) ends.captureToPathway.push(pathway.at - captured.at);
  }
  const durations: Record<string, Percentiles> = {};
  for (const [name, spans] of [...Object.entries(stageSpans), ...Object.entries(ends)]) durations[name] = percentiles(spans.map(hours));

  const escalations = { total: 0 } as RunFigures['escalations'];
  for (const e of events.filter((e) => e.type === 'ESCALATED')) {
    escalations[e.data.why] = (escalations[e.data.why] ?? 0) + 1;
    escalations.total += 1;
  }
  const count = (type: string) => events.filter((e) => e.type === type).length;
  const referrals = {
    sent: count('REFERRAL_SENT'),
    accepted: count('REFERRAL_ACCEPTED'),
    declined: count('REFERRAL_DECLINED'),
    expired: count('REFERRAL_EXPIRED'),
    reminded: count('REFERRAL_REMINDED'),
  };

  const weekMs = 7 * run.msPerDay;
  const weeks = Math.max(1, Math.ceil((run.endMs - run.startMs) / weekMs));
  const byWeek = new Array(weeks).fill(0);
  const actions = new Map<string, number>();
  for (const e of events.filter(isCounsellorAction)) actions.set(`${e.caseId}|${e.at}`, e.at);
  for (const at of actions.values()) byWeek[Math.min(weeks - 1, Math.max(0, Math.floor((at - run.startMs) / weekMs)))] += 1;

  const byPurpose: Record<string, number> = {};
  for (const m of messages) byPurpose[m.purpose] = (byPurpose[m.purpose] ?? 0) + 1;
  const to = (recipient: string) => messages.filter((m) => m.recipient === recipient).length;
  return {
    funnel,
    durations,
    escalations,
    referrals,
    expiries: referrals.expired,
    counsellorWorkload: { perWeek: round(actions.size / weeks), byWeek },
    messages: { total: messages.length, youth: to('YOUTH'), partner: to('PARTNER'), counsellor: to('COUNSELLOR'), byPurpose },
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Linear interpolation between closest ranks, as PostgreSQL's percentile_cont (the reports' p50/p90). */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    if (!sorted.length) return null;
    const rank = p * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return round(sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo));
  };
  return { count: sorted.length, p50Hours: at(0.5), p90Hours: at(0.9) };
}

export interface Interval {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Figures of one policy over several seeds: each number becomes its mean ± sd and min–max. */
export type Summary<T> = T extends number
  ? Interval
  : T extends number | null
    ? Interval | null
    : T extends (infer U)[]
      ? Summary<U>[]
      : { [K in keyof T]: Summary<T[K]> };

export function summarise<T>(runs: T[]): Summary<T> {
  return summariseValues(runs as unknown[]) as Summary<T>;
}

function summariseValues(values: unknown[]): unknown {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return null;
  if (typeof present[0] === 'number') {
    const numbers = present as number[];
    const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
    const sd = Math.sqrt(numbers.reduce((a, b) => a + (b - mean) ** 2, 0) / numbers.length);
    return { mean: round(mean), sd: round(sd), min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  if (Array.isArray(present[0])) {
    const length = Math.max(...(present as unknown[][]).map((a) => a.length));
    return Array.from({ length }, (_, i) => summariseValues((present as unknown[][]).map((a) => a[i] ?? 0)));
  }
  const keys = [...new Set(present.flatMap((v) => Object.keys(v as object)))].sort();
  return Object.fromEntries(
    keys.map((k) => [k, summariseValues(present.map((v) => (v as Record<string, unknown>)[k] ?? (isCount(k) ? 0 : null)))]),
  );
}

/** A missing count (no escalation of that kind in one run) is a zero, a missing percentile is no data. */
const isCount = (key: string) => !/Hours$/.test(key);
