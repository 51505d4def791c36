import { ageOn, parseCalendarDate } from '@walt/domain';
import { Place, resolvePostalCode } from '@walt/territory';

/** The form's semantic rules, applied alike by the form, the chatbot and a counsellor's profile change. */

/** A problem with one field, as the API's error details name it. */
export interface FieldProblem {
  field: string;
  message: string;
}

const OLDEST_PLAUSIBLE_AGE = 120;

export const NOT_A_PHONE = 'is not a phone number (e.g. 06 12 34 56 78 or +590 690 12 34 56)';

/** What is wrong with a birth date (`YYYY-MM-DD` by shape) on `now`, or undefined when it is plausible. */
export function birthDateProblem(birthDate: string, now: Date): string | undefined {
  if (!parseCalendarDate(birthDate)) return 'is not a real calendar date';
  const age = ageOn(birthDate, now);
  if (age < 0) return 'is in the future';
  if (age > OLDEST_PLAUSIBLE_AGE) return 'is not plausible';
  return undefined;
}

/** The place of a postal code (and commune, when given); null with a detail naming the wrong field. */
export function resolvePlace(postalCode: string, communeCode: string | undefined, details: FieldProblem[]): Place | null {
  const place = resolvePostalCode(postalCode, communeCode);
  if (!place) {
    details.push(
      communeCode && resolvePostalCode(postalCode)
        ? { field: 'communeCode', message: `is not a commune of postal code ${postalCode}` }
        : { field: 'postalCode', message: 'is not a French postal code we know' },
    );
  }
  return place;
}
