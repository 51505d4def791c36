import { wallClock, zonedInstant } from '@walt/domain';

/**
 * Quiet hours for SMS, in the young person's own time zone (PRODUCT.md, "Policy"): a message
 * due inside the quiet period waits until it ends. Pure, so the rule has a spec of its own.
 */
export interface QuietHours {
  /** Local time of day the quiet period starts, `HH:MM`. */
  start: string;
  /** Local time of day it ends, `HH:MM`; before `start` when the period spans midnight. */
  end: string;
}

const minutesOf = (clock: string) => {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
};

/** True when `instant` falls inside the quiet period, in local time of `timeZone`. */
export function inQuietHours(instant: Date, timeZone: string, quietHours: QuietHours): boolean {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return false;
  const now = wallClock(instant, timeZone).minutes;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * When a message due at `instant` may be sent: `instant` itself outside quiet hours, otherwise
 * the end of the current quiet period (22:00 in Paris → 09:00 the next morning in Paris).
 */
export function nextSendTime(instant: Date, timeZone: string, quietHours: QuietHours): Date {
  if (!inQuietHours(instant, timeZone, quietHours)) return instant;
  const end = minutesOf(quietHours.end);
  const local = wallClock(instant, timeZone);
  // Evening part of a period spanning midnight: it ends tomorrow; otherwise later today.
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + (local.minutes < end ? 0 : 1)));
  return zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), end, timeZone);
}
