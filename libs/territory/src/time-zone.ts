import { ageOn, MAINLAND_TIME_ZONE } from '@walt/domain';

/**
 * IANA time zone of a département, for quiet hours in the young person's local time.
 * Overseas départements and collectivités have their own; everything else is mainland time.
 */
export const OVERSEAS_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '976': 'Indian/Mayotte',
  // Collectivités d'outre-mer: outside the programme today, but a wrong zone would send SMS at night.
  '975': 'America/Miquelon',
  '977': 'America/St_Barthelemy',
  '978': 'America/Marigot',
  '984': 'Indian/Kerguelen',
  '986': 'Pacific/Wallis',
  '987': 'Pacific/Tahiti',
  '988': 'Pacific/Noumea',
};

export function timeZoneOfDepartement(departement: string): string {
  return OVERSEAS_TIME_ZONES[departement] ?? MAINLAND_TIME_ZONE;
}

/** Age at `at` by the calendar of the young person's département (birthdays begin at local midnight). */
export function localAge(birthDate: string, at: Date, departement: string): number {
  return ageOn(birthDate, at, timeZoneOfDepartement(departement));
}
