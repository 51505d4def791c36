/**
 * Contact normalisation, so the same person is recognised however they typed their details.
 * French numbers become E.164; overseas numbers get their own country code (+590 Guadeloupe,
 * +596 Martinique, +594 Guyane, +262 La Réunion and Mayotte), as operators route them.
 */
const OVERSEAS_PREFIXES: [RegExp, string][] = [
  [/^0(590|690|691)/, '+590'],
  [/^0(596|696|697)/, '+596'],
  [/^0(594|694)/, '+594'],
  [/^0(262|269|692|693|639)/, '+262'],
];

export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s.\-()]/g, '');
  if (/^0\d{9}$/.test(compact)) {
    const overseas = OVERSEAS_PREFIXES.find(([prefix]) => prefix.test(compact));
    return overseas ? `${overseas[1]}${compact.slice(1)}` : `+33${compact.slice(1)}`;
  }
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (/^\+[1-9]\d{7,14}$/.test(international)) return international;
  return null;
}

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
