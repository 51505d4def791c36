import { parseDuration } from './duration';
import { retentionMs } from './retention';
import { EXPERIMENT_NAME, NUDGE_VARIANTS, NudgeExperiment } from './experiment';

/** Every duration of the journey is data (PRODUCT.md, "Policy"), versioned in `policies`. */
export interface Policy {
  nudgeOffsets: string[];
  escalateUnresponsiveAfter: string;
  closeUnreachableAfter: string;
  partnerReminderAfter: string;
  referralExpiresAfter: string;
  maxReferralAttempts: number;
  appointmentReminderBefore: string;
  checkInOffsets: string[];
  quietHours: { start: string; end: string };
  /** A chatbot conversation left alone this long expires and its draft is deleted. */
  chatIdleExpiry: string;
  /** The A/B test of the nudges' wording, or null for none (`experiment.ts`). */
  nudgeExperiment: NudgeExperiment | null;
  /** A case without activity this long is anonymised as an erasure does (years allowed: `P2Y`)… */
  anonymiseAfterInactivity: string;
  /** …after a notice this long before, which the young person can answer to keep their file. */
  anonymiseNoticeBefore: string;
}

export interface VersionedPolicy extends Policy {
  version: number;
}

export const DEFAULT_POLICY: Policy = {
  nudgeOffsets: ['PT0S', 'P2D', 'P5D', 'P10D'],
  escalateUnresponsiveAfter: 'P14D',
  closeUnreachableAfter: 'P30D',
  partnerReminderAfter: 'P2D',
  referralExpiresAfter: 'P7D',
  maxReferralAttempts: 3,
  appointmentReminderBefore: 'P1D',
  checkInOffsets: ['P30D', 'P90D', 'P180D'],
  quietHours: { start: '20:00', end: '09:00' },
  chatIdleExpiry: 'PT24H',
  nudgeExperiment: { name: 'nudge-wording-1', variants: ['A', 'B'] },
  anonymiseAfterInactivity: 'P2Y',
  anonymiseNoticeBefore: 'P30D',
};

export interface PolicyProblem {
  field: string;
  message: string;
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Checks a complete policy; returns every problem, so an admin fixes them in one go. */
export function validatePolicy(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const duration = (field: string, value: unknown) => {
    if (typeof value !== 'string' || parseDuration(value) === null) {
      problems.push({ field, message: 'must be an ISO 8601 duration such as PT30S, P2D or P1DT12H' });
    }
  };
  const durations = (field: string, value: unknown) => {
    if (!Array.isArray(value) || value.length === 0) {
      problems.push({ field, message: 'must be a non-empty list of ISO 8601 durations' });
      return;
    }
    value.forEach((v, i) => duration(`${field}[${i}]`, v));
    const ms = value.map((v) => (typeof v === 'string' ? parseDuration(v) : null));
    if (ms.every((v) => v !== null) && ms.some((v, i) => i > 0 && v! < ms[i - 1]!)) {
      problems.push({ field, message: 'offsets must be in increasing order' });
    }
  };
  durations('nudgeOffsets', policy.nudgeOffsets);
  duration('escalateUnresponsiveAfter', policy.escalateUnresponsiveAfter);
  duration('closeUnreachableAfter', policy.closeUnreachableAfter);
  duration('partnerReminderAfter', policy.partnerReminderAfter);
  duration('referralExpiresAfter', policy.referralExpiresAfter);
  duration('appointmentReminderBefore', policy.appointmentReminderBefore);
  durations('checkInOffsets', policy.checkInOffsets);
  duration('chatIdleExpiry', policy.chatIdleExpiry);
  if (parseDuration(policy.chatIdleExpiry) === 0) problems.push({ field: 'chatIdleExpiry', message: 'must be longer than zero' });
  if (!Number.isInteger(policy.maxReferralAttempts) || policy.maxReferralAttempts < 1 || policy.maxReferralAttempts > 20) {
    problems.push({ field: 'maxReferralAttempts', message: 'must be an integer between 1 and 20' });
  }
  if (!policy.quietHours || typeof policy.quietHours !== 'object') {
    problems.push({ field: 'quietHours', message: 'must be { start: "HH:MM", end: "HH:MM" }' });
  } else {
    for (const key of ['start', 'end'] as const) {
      if (typeof policy.quietHours[key] !== 'string' || !CLOCK.test(policy.quietHours[key])) {
        problems.push({ field: `quietHours.${key}`, message: 'must be a time of day HH:MM' });
      }
    }
  }
  problems.push(...experimentProblems(policy.nudgeExperiment));
  const anonymise = retentionMs(policy.anonymiseAfterInactivity);
  const notice = retentionMs(policy.anonymiseNoticeBefore);
  if (anonymise === null)
    problems.push({ field: 'anonymiseAfterInactivity', message: 'must be an ISO 8601 duration such as P2Y or P730D' });
  if (notice === null) problems.push({ field: 'anonymiseNoticeBefore', message: 'must be an ISO 8601 duration such as P30D' });
  if (anonymise !== null && notice !== null && (notice <= 0 || notice >= anonymise)) {
    problems.push({ field: 'anonymiseNoticeBefore', message: 'must be longer than zero and shorter than anonymiseAfterInactivity' });
  }
  const escalate = parseDuration(policy.escalateUnresponsiveAfter);
  const close = parseDuration(policy.closeUnreachableAfter);
  if (escalate !== null && close !== null && close < escalate) {
    problems.push({ field: 'closeUnreachableAfter', message: 'must not be shorter than escalateUnresponsiveAfter' });
  }
  const remind = parseDuration(policy.partnerReminderAfter);
  const expire = parseDuration(policy.referralExpiresAfter);
  if (remind !== null && expire !== null && expire < remind) {
    problems.push({ field: 'referralExpiresAfter', message: 'must not be shorter than partnerReminderAfter' });
  }
  return problems;
}

function experimentProblems(experiment: unknown): PolicyProblem[] {
  if (experiment === null) return [];
  const field = 'nudgeExperiment';
  if (typeof experiment !== 'object' || experiment === undefined || Array.isArray(experiment)) {
    return [{ field, message: 'must be { name, variants } or null for no experiment' }];
  }
  const { name, variants } = experiment as Partial<NudgeExperiment>;
  const problems: PolicyProblem[] = [];
  if (typeof name !== 'string' || !EXPERIMENT_NAME.test(name)) {
    problems.push({ field: `${field}.name`, message: 'must be 1 to 40 lowercase letters, digits or dashes' });
  }
  const known: readonly string[] = NUDGE_VARIANTS;
  if (!Array.isArray(variants) || variants.length === 0 || variants.some((v) => !known.includes(v))) {
    problems.push({ field: `${field}.variants`, message: `must be a non-empty list of ${NUDGE_VARIANTS.join(', ')}` });
  } else if (new Set(variants).size !== variants.length) {
    problems.push({ field: `${field}.variants`, message: 'must not repeat a variant' });
  }
  return problems;
}
