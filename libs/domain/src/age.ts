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

/** Age in completed years on `on` (UTC calendar day). */
export function ageOn(birthDate: string, on: Date): number {
  const b = parseCalendarDate(birthDate);
  if (!b) throw new Error(`Invalid birth date: ${birthDate}`);
  let age = on.getUTCFullYear() - b.year;
  const beforeBirthday = on.getUTCMonth() + 1 < b.month || (on.getUTCMonth() + 1 === b.month && on.getUTCDate() < b.day);
  if (beforeBirthday) age -= 1;
  return age;
}

export function isInScope(age: number): boolean {
  return age >= MIN_AGE && age <= MAX_AGE;
}
