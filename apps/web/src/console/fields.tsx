import { ApiFailure } from '../shared/api';
import { failureText } from './ui';
import { fieldOf, knownFrenchMessage } from '../public/api-messages.fr';

/**
 * The console's own wording ("vous") for the API's validation messages on its forms; then the
 * public form's translations in their "vous" voice (public/api-messages.fr.ts); then the API's sentence itself, so
 * that a refusal is never reduced to a vague "check this".
 */
const CONSOLE_MESSAGES: [RegExp, string][] = [
  [/^is required: why the journey pauses/, 'Indiquez le motif de la pause.'],
  [/must be an ISO 8601 date-time/, 'Indiquez une date et une heure.'],
  [/must be in the future/, 'Choisissez une date à venir.'],
  [/^must be one of/, 'Choisissez une réponse dans la liste.'],
  [/^is required when/, 'Ce champ est à remplir.'],
  [/^must be an integer$/, 'Indiquez un nombre entier.'],
  [/^must be 0 or more$/, 'Indiquez 0 ou plus.'],
  [/^must be at most (\d+)$/, 'Au plus $1.'],
  [/ISO 8601 duration/, 'Indiquez une durée ISO 8601 (exemple : P14D pour 14 jours).'],
  [/^must be text$/, 'Ce champ est à remplir.'],
];

/** A message about the kind of value (a number, text, a list), not its range. */
const IS_KIND = /^must be (an integer|text|a list|true or false)/;

export function consoleMessage(message: string): string {
  for (const [pattern, french] of CONSOLE_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return french.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? '');
  }
  return knownFrenchMessage(message, 'vous') ?? `Valeur refusée (${message}).`;
}

/** The API's 400 details by form field (`zones[0].kind` → `zones`), in French, to show next to each field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiFailure) || error.status !== 400) return {};
  const said: Record<string, string> = {};
  // class-validator reports every rule a value breaks ("douze": at most, 0 or more, an integer);
  // the kind of value expected is the one to say first.
  const kindFirst = [...error.details].sort((a, b) => Number(IS_KIND.test(b.message)) - Number(IS_KIND.test(a.message)));
  for (const d of kindFirst) said[fieldOf(d.field.split('.')[0]).replace(/\[\d+\]$/, '')] ??= consoleMessage(d.message);
  return said;
}

/** The props that tie a field to its error (announced with the field, and `aria-invalid`). */
export const errorProps = (errors: Record<string, string>, field: string, id: string) =>
  errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};

export function FieldError({ errors, field, id }: { errors: Record<string, string>; field: string; id: string }) {
  return errors[field] ? (
    <p className="error" id={`${id}-error`}>
      {errors[field]}
    </p>
  ) : null;
}

/**
 * Above a form's button: a 400 says there are fields to check (each says why); any other
 * refusal (a 409 explained in French, a network failure) is said here, near the action.
 */
export function FormFailure({ error, errors, testId }: { error: unknown; errors: Record<string, string>; testId?: string }) {
  if (!error) return null;
  return (
    <div className="alert" role="alert" data-testid={testId}>
      {Object.keys(errors).length > 0 ? 'Quelques champs sont à vérifier.' : failureText(error)}
    </div>
  );
}
