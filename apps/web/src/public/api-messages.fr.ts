/**
 * The API's validation messages (English, in `details[].message`) said in French to the young
 * person, in the voice of PRODUCT.md ("tu"). Unknown messages fall back to a sentence per field,
 * so an error is always shown next to its field, never swallowed.
 */
const BY_MESSAGE: [RegExp, string][] = [
  [/^must not be empty$/, 'Ce champ est à remplir.'],
  [/^must be at most (\d+) characters$/, '$1 caractères au maximum.'],
  [/^must be a date YYYY-MM-DD$/, 'Indique ta date de naissance (jour, mois, année).'],
  [/^is not a real calendar date$/, "Cette date n'existe pas : vérifie le jour et le mois."],
  [/^is in the future$/, 'Cette date est dans le futur : vérifie l’année.'],
  [/^is not plausible$/, 'Vérifie l’année de ta date de naissance.'],
  [/^must be an email address$/, "Cette adresse e-mail n'a pas l'air complète (exemple : prenom@exemple.fr)."],
  [/^is not a phone number/, "Ce numéro n'a pas l'air valide (exemple : 06 12 34 56 78)."],
  [/^must be a 5-digit postal code$/, 'Le code postal a 5 chiffres (exemple : 75011).'],
  [/^is not a French postal code we know$/, 'On ne trouve pas ce code postal : vérifie-le.'],
  [/^is not a commune of postal code/, 'Choisis ta commune dans la liste.'],
  [/^email or phone is required/, 'Donne au moins un e-mail ou un numéro de téléphone, pour qu’on puisse te recontacter.'],
  [/^must be true: we cannot process/, 'Coche cette case : sans ton accord, on ne peut pas traiter ta demande.'],
  [/^SMS needs a phone number$/, 'Pour recevoir des SMS, indique ton numéro de téléphone.'],
  [/^EMAIL needs an email address$/, 'Pour recevoir des e-mails, indique ton adresse e-mail.'],
  [/^must be one of/, 'Choisis une réponse dans la liste.'],
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
export function knownFrenchMessage(message: string): string | undefined {
  for (const [pattern, french] of BY_MESSAGE) {
    const match = pattern.exec(message);
    if (match) return french.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? '');
  }
  return undefined;
}

export function frenchMessage(field: string, message: string): string {
  return knownFrenchMessage(message) ?? BY_FIELD[fieldOf(field)] ?? 'Vérifie cette réponse.';
}
