/**
 * Local wall-clock time of an instant in an IANA time zone, and back. Ages, quiet hours and the
 * programme's months are all local: a birthday in Guadeloupe starts four hours after Paris's.
 * Pure (Intl only), so workflows may use it too.
 */

/** Mainland France: the programme's own months and the default zone of a young person. */
export const MAINLAND_TIME_ZONE = 'Europe/Paris';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
  seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function wallClock(instant: Date, timeZone: string): WallClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: part.year, month: part.month, day: part.day, minutes: part.hour * 60 + part.minute, seconds: part.second };
}

/** The instant a local wall-clock time occurs in `timeZone` (a time skipped by DST moves forward). */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, 0, minutes);
  let t = wanted;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(t), timeZone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes, w.seconds) - t;
    t = wanted - offset;
  }
  return new Date(t);
}

/** `YYYY-MM` of the local month `instant` falls in. */
export function localMonth(instant: Date, timeZone: string): string {
  const { year, month } = wallClock(instant, timeZone);
  return `${year}-${String(month).padStart(2, '0')}`;
}
