import { MAINLAND_TIME_ZONE, wallClock } from './local-time';

/** Programme scope: young people aged 16 to 25 inclusive at capture. */
export const MIN_AGE = 16;
export const MAX_AGE = 25;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a calendar date `YYYY-MM-DD`, rejecting impossible dates such as 2005-02-30. */
export function parseCalendarDate(value: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/**
 * Age in completed years at the instant `on`, by the calendar of `timeZone` (the young person's
 * own: a birthday starts at local midnight, four hours later in Guadeloupe than in Paris).
 */
export function ageOn(birthDate: string, on: Date, timeZone = MAINLAND_TIME_ZONE): number {
  const b = parseCalendarDate(birthDate);
  // Never the date itself in the message: errors can reach logs and Temporal histories.
  if (!b) throw new Error('Invalid birth date: not a YYYY-MM-DD calendar date');
  const today = wallClock(on, timeZone);
  let age = today.year - b.year;
  const beforeBirthday = today.month < b.month || (today.month === b.month && today.day < b.day);
  if (beforeBirthday) age -= 1;
  return age;
}

export function isInScope(age: number): boolean {
  return age >= MIN_AGE && age <= MAX_AGE;
}
