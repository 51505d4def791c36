import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const NOTE_MAX_LENGTH = 5000;


/**
 * The message of a field that is required only in some cases (`ValidateIf` runs its checks when
 * the field is given or required): "is required when …" if missing, `otherwise` if malformed.
 */
export const requiredWhen = (condition: string, otherwise: string) => ({
  message: (args: ValidationArguments) => (args.value === undefined || args.value === null ? `is required when ${condition}` : otherwise),
});

/** Free text stored in case_notes: 1 to 5000 characters, not only spaces. */
export function IsNoteText(options: ValidationOptions = {}) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNoteText',
      target: target.constructor,
      propertyName,
      options: { message: `must be text of 1 to ${NOTE_MAX_LENGTH} characters`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 && value.length <= NOTE_MAX_LENGTH },
    });
}

/** A field that only makes sense with another one (an outcome only with OUTCOME): refused otherwise. */
export function OnlyWhen<T>(applies: (dto: T) => boolean, condition: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'onlyWhen',
      target: target.constructor,
      propertyName,
      options: { message: `must be left out unless ${condition}` },
      validator: { validate: (value: unknown, args: ValidationArguments) => value === undefined || applies(args.object as T) },
    });
}
