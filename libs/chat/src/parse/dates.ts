import * as chrono from 'chrono-node';
import { birthDateProblem } from '@walt/intake';
import type { Unusable } from '../flow/steps';
import { fold } from './text';

/** What a birth-date answer gave: a date (YYYY-MM-DD), an age alone, or why neither. */
export type BirthDateParse = { date: string } | { age: number } | { problem: Unusable } | null;

const MONTHS =
  'janv(?:ier)?|fevr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|aout|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|dec(?:embre)?';

/**
 * A two-digit year as a birth year: the most recent year ending in those digits that is not in
 * the future ("05" is 2005, "98" is 1998). chrono reads only 50-99 after a month name.
 */
function fullYear(twoDigits: string, now: Date): string {
  const yy = Number(twoDigits);
  const century = Math.floor(now.getUTCFullYear() / 100) * 100;
  return String(century + yy > now.getUTCFullYear() ? century - 100 + yy : century + yy);
}

/** The shapes people type that chrono's French parser does not read as they mean them. */
function prepare(folded: string, now: Date): string {
  return (
    folded
      // "12 / 03 / 2005", "12 - 03 - 2005"
      .replace(/(\d)\s*([/.\-])\s*(?=\d)/g, '$1$2')
      // "12032005": day, month, year without separators
      .replace(/\b(\d{2})(\d{2})((?:19|20)\d{2})\b/g, '$1/$2/$3')
      // "12/03/05", "12.03.05", "3 mars 05": a two-digit year
      .replace(/\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{2})\b/g, (_, d, sep, m, yy) => `${d}${sep}${m}${sep}${fullYear(yy, now)}`)
      .replace(new RegExp(`\\b(\\d{1,2}(?:er)?\\s+(?:${MONTHS})\\.?)\\s+(\\d{2})\\b`, 'g'), (_, dm, yy) => `${dm} ${fullYear(yy, now)}`)
  );
}

const AGE = /(?:^|\b)(?:j'?\s?ai|j ai|age|agee?|moi)?\s*(\d{1,2})\s*(?:ans|an)\b/;

/**
 * A birth date in the young person's words: "12/03/2005", "12.03.05", "le 3 mars 2005",
 * "3 mars 05", "né le 1er janvier 2004". chrono's French parser reads the date; a date counts
 * only when day, month and year were all written (chrono would otherwise imply this year).
 * An age alone ("j'ai 19 ans") is returned as such.
 */
export function parseBirthDate(text: string, now: Date): BirthDateParse {
  const folded = fold(text);
  const prepared = prepare(folded, now);
  const found = chrono.fr.parse(prepared, now, { forwardDate: false });
  // A year written in figures: "hier" or "aujourd'hui" are certain to chrono, and no birth date.
  const written = found.filter((r) => /\d/.test(r.text));
  const explicit = written.filter((r) => r.start.isCertain('day') && r.start.isCertain('month') && r.start.isCertain('year'));
  if (explicit.length >= 1) {
    const dates = [...new Set(explicit.map((r) => isoOf(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!)))];
    if (dates.length > 1) return { problem: 'DATE_INVALID' };
    const [date] = dates;
    const problem = birthDateProblem(date, now);
    if (problem === 'is in the future') return { problem: 'DATE_FUTURE' };
    if (problem) return { problem: problem === 'is not plausible' ? 'DATE_IMPLAUSIBLE' : 'DATE_INVALID' };
    return { date };
  }
  if (written.some((r) => r.start.isCertain('day') && r.start.isCertain('month'))) return { problem: 'DATE_NO_YEAR' };
  const age = AGE.exec(folded);
  if (age) return { age: Number(age[1]) };
  // Something date-shaped chrono refused (31/02/2005, 45/13/2005): an impossible date.
  if (/\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b/.test(prepared)) return { problem: 'DATE_INVALID' };
  // "mars 2005", "né en 2005": a year, without the day.
  if (/\b(19|20)\d{2}\b/.test(prepared) && !/\d{5,}/.test(prepared)) return { problem: 'DATE_INCOMPLETE' };
  return null;
}

function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
