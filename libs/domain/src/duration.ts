/**
 * ISO 8601 durations as the policy writes them (`PT2S`, `P2D`, `P1DT12H`). Weeks, days, hours,
 * minutes and (fractional) seconds only: years and months have no fixed length, and a timer
 * must mean the same thing in every journey.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(value: string): number | null {
  if (typeof value !== 'string') return null;
  const m = ISO_DURATION.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const [weeks, days, hours, minutes, seconds] = m.slice(1).map((part) => (part ? Number(part) : 0));
  return Math.round((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
}

export function durationMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === null) throw new Error(`Not an ISO 8601 duration (use e.g. PT30S, P2D, P1DT12H): ${value}`);
  return ms;
}
