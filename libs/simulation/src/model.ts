/**
 * How the simulated young people, partners and counsellors behave: a model estimated from the
 * programme's own `journey_events`, with a documented default for every part the history is too
 * thin to estimate (fewer than MIN_SAMPLES observations). Pure: no I/O; the history is read by
 * SimulationHistoryRepository, the draws use a seeded PRNG.
 */
import { DECLINE_REASONS, type Barrier, type DeclineReason, type DiplomaLevel, type PartnerType } from '@walt/domain';
import type { Situation, SourceChannel, Wish } from '@walt/domain';
import { Prng } from '../../../infra/seed/prng';

/** Below this many observations a part of the model falls back to its default. */
export const MIN_SAMPLES = 20;

/** The non-identifying shape of a young person at capture: what the cohort is drawn from. */
export interface ProfileShape {
  age: number;
  postalCode: string;
  communeCode: string;
  diplomaLevel: DiplomaLevel;
  situation: Situation;
  barriers: Barrier[];
  wishes: Wish[];
  channel: SourceChannel;
}

export interface PartnerBehaviour {
  /** Shares of referrals accepted, declined, left without an answer (expired); they sum to 1. */
  accept: number;
  decline: number;
  silent: number;
  /** Hours from the referral to the partner's decision, observed (drawn from uniformly). */
  decisionHours: number[];
  declineReasons: Partial<Record<DeclineReason, number>>;
}

export interface BehaviourModel {
  /** Which parts came from history, which from the default, and how many journeys were read. */
  source: { journeys: number; fromHistory: string[]; fromDefault: string[] };
  /** Profiles captured in the period (empty: the demo population is used). */
  profiles: ProfileShape[];
  youth: {
    /** Chance to answer after the n-th message of engagement (0 = welcome), having not answered before. */
    replyAfterNudge: number[];
    /** Hours from that message to the answer. */
    replyHours: number[];
    /** Chance that a counsellor reaches an escalated, unresponsive young person; and how long it takes. */
    reachedAfterEscalation: number;
    reachHours: number[];
  };
  partners: Record<string, PartnerBehaviour>;
  attendance: { attended: number; appointmentHours: number[] };
  /**
   * Counsellors on a case escalated to them once orientation is stuck (attempts exhausted, no
   * eligible partner, a no-show…): hours until they act, and the chance that they start a new
   * round of matching (once per case) rather than close it.
   */
  counsellor: { handleHours: number[]; rematch: number };
}

/** The default partner: most decide within a few days, one referral in five is left unanswered. */
export const DEFAULT_PARTNER: PartnerBehaviour = {
  accept: 0.55,
  decline: 0.25,
  silent: 0.2,
  decisionHours: [4, 10, 20, 28, 44, 52, 70, 96, 120, 150],
  declineReasons: { CAPACITY_FULL: 0.3, NOT_ELIGIBLE: 0.2, YOUTH_UNREACHABLE: 0.2, NOT_INTERESTED: 0.15, NOT_MOBILE: 0.15 },
};

/**
 * The documented default (README, "What-if of a policy change"): a third answer the welcome,
 * fewer after each nudge, within hours rather than days; counsellors reach two escalated young
 * people in five within two days; three in four come to their first appointment, set 2 to 7
 * days after acceptance; a counsellor takes up a stuck case within three days and starts a new
 * round of matching seven times in ten, else closes it.
 */
export const DEFAULT_MODEL: Omit<BehaviourModel, 'source' | 'profiles' | 'partners'> & { partner: PartnerBehaviour } = {
  youth: {
    replyAfterNudge: [0.35, 0.25, 0.15, 0.1],
    replyHours: [0.5, 1, 2, 3, 5, 8, 12, 18, 26, 36],
    reachedAfterEscalation: 0.4,
    reachHours: [4, 8, 20, 30, 46],
  },
  attendance: { attended: 0.75, appointmentHours: [48, 72, 96, 120, 168] },
  counsellor: { handleHours: [4, 8, 24, 30, 48, 72], rematch: 0.7 },
  partner: DEFAULT_PARTNER,
};

/** Observed history, as SimulationHistoryRepository reads it (hours already in real time). */
export interface History {
  journeys: number;
  profiles: ProfileShape[];
  /** Per engagement message index: sent, answered before the next one; and the answer delays. */
  nudges: { sent: number; answered: number }[];
  replyHours: number[];
  escalatedUnresponsive: number;
  reachedAfterEscalation: number;
  reachHours: number[];
  referrals: { partnerType: PartnerType; outcome: 'ACCEPTED' | 'DECLINED' | 'EXPIRED'; hours: number; reason?: DeclineReason }[];
  attendance: { attended: number; total: number; appointmentHours: number[] };
}

/** The model of a period: each part from history when it has MIN_SAMPLES observations, else the default. */
export function estimateModel(history: History): BehaviourModel {
  const fromHistory: string[] = [];
  const fromDefault: string[] = [];
  const use = <T>(part: string, enough: boolean, observed: () => T, fallback: T): T => {
    (enough ? fromHistory : fromDefault).push(part);
    return enough ? observed() : fallback;
  };
  const d = DEFAULT_MODEL;
  const replyAfterNudge = d.youth.replyAfterNudge.map((fallback, i) => {
    const n = history.nudges[i];
    return use(`youth.replyAfterNudge[${i}]`, !!n && n.sent >= MIN_SAMPLES, () => n.answered / n.sent, fallback);
  });
  const partners: Record<string, PartnerBehaviour> = {};
  const types = [...new Set(history.referrals.map((r) => r.partnerType))].sort();
  for (const type of types) {
    const decided = history.referrals.filter((r) => r.partnerType === type);
    partners[type] = use(`partners.${type}`, decided.length >= MIN_SAMPLES, () => partnerFrom(decided), DEFAULT_PARTNER);
  }
  return {
    source: { journeys: history.journeys, fromHistory, fromDefault },
    profiles: use('profiles', history.profiles.length >= MIN_SAMPLES, () => history.profiles, []),
    youth: {
      replyAfterNudge,
      replyHours: use('youth.replyHours', history.replyHours.length >= MIN_SAMPLES, () => history.replyHours, d.youth.replyHours),
      reachedAfterEscalation: use(
        'youth.reachedAfterEscalation',
        history.escalatedUnresponsive >= MIN_SAMPLES,
        () => history.reachedAfterEscalation / history.escalatedUnresponsive,
        d.youth.reachedAfterEscalation,
      ),
      reachHours: use('youth.reachHours', history.reachHours.length >= MIN_SAMPLES, () => history.reachHours, d.youth.reachHours),
    },
    partners,
    attendance: use(
      'attendance',
      history.attendance.total >= MIN_SAMPLES,
      () => ({
        attended: history.attendance.attended / history.attendance.total,
        appointmentHours: history.attendance.appointmentHours.length ? history.attendance.appointmentHours : d.attendance.appointmentHours,
      }),
      d.attendance,
    ),
    // What counsellors do with a stuck case is not in journey_events in a form to estimate from yet.
    counsellor: use('counsellor', false, () => d.counsellor, d.counsellor),
  };
}

function partnerFrom(decided: History['referrals']): PartnerBehaviour {
  const count = (o: string) => decided.filter((r) => r.outcome === o).length;
  const declined = decided.filter((r) => r.outcome === 'DECLINED');
  const reasons: Partial<Record<DeclineReason, number>> = {};
  for (const r of declined) if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1 / declined.length;
  const answered = decided.filter((r) => r.outcome !== 'EXPIRED').map((r) => r.hours);
  return {
    accept: count('ACCEPTED') / decided.length,
    decline: count('DECLINED') / decided.length,
    silent: count('EXPIRED') / decided.length,
    decisionHours: answered.length ? answered : DEFAULT_PARTNER.decisionHours,
    declineReasons: declined.length ? reasons : DEFAULT_PARTNER.declineReasons,
  };
}

/**
 * A PRNG of its own for each (seed, young person, purpose): a draw never depends on the order in
 * which events happened to arrive, so the same seed gives the same decisions under both policies.
 */
export function drawFor(seed: number, index: number, purpose: number): Prng {
  return new Prng(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b) ^ Math.imul(purpose + 1, 0xc2b2ae35));
}

/** Draws from observed values, with a small jitter so two draws rarely coincide. */
export function drawHours(prng: Prng, samples: number[]): number {
  const value = samples[Math.floor(prng.next() * samples.length)];
  return value * (0.85 + 0.3 * prng.next());
}

export type PartnerAnswer =
  | { kind: 'ACCEPTED'; afterHours: number; appointmentAfterHours: number; attends: boolean }
  | { kind: 'DECLINED'; afterHours: number; reason: DeclineReason }
  | { kind: 'SILENT' };

export function partnerAnswer(model: BehaviourModel, partnerType: string, prng: Prng): PartnerAnswer {
  const p = model.partners[partnerType] ?? DEFAULT_PARTNER;
  const draw = prng.next();
  const afterHours = drawHours(prng, p.decisionHours);
  if (draw < p.accept) {
    return {
      kind: 'ACCEPTED',
      afterHours,
      appointmentAfterHours: drawHours(prng, model.attendance.appointmentHours),
      attends: prng.chance(model.attendance.attended),
    };
  }
  if (draw < p.accept + p.decline) {
    const reasons = Object.entries(p.declineReasons) as [DeclineReason, number][];
    let r = prng.next();
    // OTHER needs a comment, which the simulation has no text for: it declines with the most common reason instead.
    const usable = reasons.filter(([reason]) => reason !== 'OTHER' && (DECLINE_REASONS as readonly string[]).includes(reason));
    const total = usable.reduce((sum, [, w]) => sum + w, 0);
    let reason: DeclineReason = usable[0]?.[0] ?? 'CAPACITY_FULL';
    for (const [candidate, weight] of usable) {
      r -= weight / (total || 1);
      if (r <= 0) {
        reason = candidate;
        break;
      }
    }
    return { kind: 'DECLINED', afterHours, reason };
  }
  return { kind: 'SILENT' };
}
