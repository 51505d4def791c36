/**
 * The API's validation messages (English, in `details[].message`) said in French, in the voices
 * of PRODUCT.md: "tu" to the young person (this form), "vous" to professionals (the console, which
 * asks for `vous`). Unknown messages fall back to a sentence per field,
 * so an error is always shown next to its field, never swallowed.
 */
/** [the API's message, the French for the young person ("tu"), for professionals ("vous") when it differs]. */
export const API_MESSAGES: [RegExp, string, string?][] = [
  [/^must not be empty$/, 'Ce champ est à remplir.'],
  [/^must be at most (\d+) characters$/, '$1 caractères au maximum.'],
  [
    /^must be a date YYYY-MM-DD$/,
    'Indique ta date de naissance (jour, mois, année).',
    'Indiquez la date de naissance (jour, mois, année).',
  ],
  [
    /^is not a real calendar date$/,
    "Cette date n'existe pas : vérifie le jour et le mois.",
    "Cette date n'existe pas : vérifiez le jour et le mois.",
  ],
  [/^is in the future$/, 'Cette date est dans le futur : vérifie l’année.', 'Cette date est dans le futur : vérifiez l’année.'],
  [/^is not plausible$/, 'Vérifie l’année de ta date de naissance.', 'Vérifiez l’année de naissance.'],
  [/^must be an email address$/, "Cette adresse e-mail n'a pas l'air complète (exemple : prenom@exemple.fr)."],
  [/^is not a phone number/, "Ce numéro n'a pas l'air valide (exemple : 06 12 34 56 78)."],
  [/^must be a 5-digit postal code$/, 'Le code postal a 5 chiffres (exemple : 75011).'],
  [/^is not a French postal code we know$/, 'On ne trouve pas ce code postal : vérifie-le.', 'Ce code postal est inconnu : vérifiez-le.'],
  [/^is not a commune of postal code/, 'Choisis ta commune dans la liste.', 'Choisissez la commune dans la liste.'],
  [
    /^email or phone is required/,
    'Donne au moins un e-mail ou un numéro de téléphone, pour qu’on puisse te recontacter.',
    'Indiquez au moins un e-mail ou un numéro de téléphone.',
  ],
  [
    /^must be true: we cannot process/,
    'Coche cette case : sans ton accord, on ne peut pas traiter ta demande.',
    'Sans l’accord du jeune pour le traitement de ses données, sa demande ne peut pas être traitée.',
  ],
  [
    /^SMS needs a phone number$/,
    'Pour recevoir des SMS, indique ton numéro de téléphone.',
    'Pour les SMS, indiquez un numéro de téléphone.',
  ],
  [
    /^EMAIL needs an email address$/,
    'Pour recevoir des e-mails, indique ton adresse e-mail.',
    'Pour les e-mails, indiquez une adresse e-mail.',
  ],
  [/^must be one of/, 'Choisis une réponse dans la liste.', 'Choisissez une réponse dans la liste.'],
];

const BY_FIELD: Record<string, string> = {
  firstName: 'Vérifie ton prénom.',
  lastName: 'Vérifie ton nom.',
  birthDate: 'Vérifie ta date de naissance.',
  email: 'Vérifie ton adresse e-mail.',
  phone: 'Vérifie ton numéro de téléphone.',
  postalCode: 'Vérifie ton code postal.',
  communeCode: 'Choisis ta commune.',
  diplomaLevel: 'Choisis ton diplôme le plus haut.',
  situation: 'Choisis ta situation.',
  barriers: 'Vérifie cette réponse.',
  wishes: 'Vérifie cette réponse.',
};

/** The form field a detail names (`consent.channels[0]` → `consent.channels`). */
export const fieldOf = (path: string) => path.replace(/\[\d+\]$/, '');

/** The French of a message this list knows, or undefined (the console then says its own). */
export function knownFrenchMessage(message: string, voice: 'tu' | 'vous' = 'tu'): string | undefined {
  for (const [pattern, tu, vous] of API_MESSAGES) {
    const match = pattern.exec(message);
    const french = voice === 'vous' ? (vous ?? tu) : tu;
    if (match) return french.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? '');
  }
  return undefined;
}

export function frenchMessage(field: string, message: string): string {
  return knownFrenchMessage(message) ?? BY_FIELD[fieldOf(field)] ?? 'Vérifie cette réponse.';
}
