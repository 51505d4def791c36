import type { Stage } from './codes';
import { durationMs } from './duration';
import type { Policy } from './policy';

/**
 * How long a case may stay in a stage before a person should look at it (the overdue list of
 * programme managers and counsellors). Each deadline is a field of the journey's own policy, so
 * it follows the policy version the journey started with:
 *
 * - `ENGAGING` → `escalateUnresponsiveAfter`: by then the young person should have answered or
 *   the journey should have escalated; still ENGAGING later means nobody has acted.
 * - `NEEDS_COUNSELLOR` → `escalateUnresponsiveAfter`: a counsellor gets as long to act on an
 *   escalated case as the system gave the young person to answer.
 * - `REFERRED` → `referralExpiresAfter`: the partner's answer (or the expiry) is due by then.
 * - `ACCEPTED` → the first check-in offset (`checkInOffsets[0]`): the pathway should have
 *   started well before the first follow-up would be due. When the partner gave an appointment,
 *   {@link stageDueAt} uses `appointmentAt + appointmentReminderBefore` instead: attendance is
 *   expected within the same margin after the appointment as the reminder goes out before it.
 * - every other stage → `null`: CAPTURED and MATCHING last seconds (the reconciler and the
 *   journey handle them), IN_PATHWAY is paced by check-ins, PAUSED stops the clocks, CLOSED ends.
 *
 * Paths into the policy, so SQL (`policies.body #>> path`) and this module read the same field.
 */
export const STAGE_DEADLINE_PATHS: Partial<Record<Stage, readonly (string | number)[]>> = {
  ENGAGING: ['escalateUnresponsiveAfter'],
  NEEDS_COUNSELLOR: ['escalateUnresponsiveAfter'],
  REFERRED: ['referralExpiresAfter'],
  ACCEPTED: ['checkInOffsets', 0],
};

/** The margin after an appointment (ACCEPTED with `appointmentAt`); see above. */
export const APPOINTMENT_MARGIN_PATH = ['appointmentReminderBefore'] as const;

function at(policy: Policy, path: readonly (string | number)[]): string | undefined {
  let value: unknown = policy;
  for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Milliseconds a case may spend in `stage` from entering it, or null when it has no deadline. */
export function stageDeadlineMs(stage: Stage, policy: Policy): number | null {
  const path = STAGE_DEADLINE_PATHS[stage];
  const iso = path && at(policy, path);
  return iso === undefined ? null : durationMs(iso);
}

/** When the current stage is due, or null; `appointmentAt` only matters in ACCEPTED. */
export function stageDueAt(stage: Stage, enteredAt: Date, policy: Policy, appointmentAt?: Date | null): Date | null {
  if (stage === 'ACCEPTED' && appointmentAt) {
    return new Date(appointmentAt.getTime() + durationMs(at(policy, APPOINTMENT_MARGIN_PATH)!));
  }
  const ms = stageDeadlineMs(stage, policy);
  return ms === null ? null : new Date(enteredAt.getTime() + ms);
}
