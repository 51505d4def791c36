/** A policy value as an admin reads it, in French: `P14D` → « 14 jours », quiet hours « de 20:00 à 09:00 ». */

const UNITS: [string, string, string][] = [
  // ISO 8601 designator, singular, plural; date part first, then time part (after T).
  ['Y', 'an', 'ans'],
  ['M', 'mois', 'mois'],
  ['W', 'semaine', 'semaines'],
  ['D', 'jour', 'jours'],
  ['TH', 'heure', 'heures'],
  ['TM', 'minute', 'minutes'],
  ['TS', 'seconde', 'secondes'],
];

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO 8601 duration in words; anything else (not a duration) as written. */
export function durationText(iso: string): string {
  const match = DURATION.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return iso;
  const parts = UNITS.flatMap(([, one, many], i) => {
    const n = Number(match[i + 1] ?? 0);
    return n ? [`${n} ${n === 1 ? one : many}`] : [];
  });
  return parts.length ? parts.join(' ') : 'aussitôt';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any value of a policy field: durations in words, lists joined, quiet hours and the A/B test spelled out. */
export function policyValueText(value: unknown): string {
  if (value === null || value === undefined) return 'aucun';
  if (typeof value === 'string') return durationText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map(policyValueText).join(', ') : 'aucun';
  if (isObject(value) && typeof value.start === 'string' && typeof value.end === 'string') return `de ${value.start} à ${value.end}`;
  if (isObject(value) && typeof value.name === 'string' && Array.isArray(value.variants))
    return `« ${value.name} », variantes ${value.variants.join(', ')}`;
  return JSON.stringify(value);
}
