import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';
import { OUTCOMES } from '@walt/domain';
import { oneOf } from '../../common/validation';

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
function OnlyWhen<T>(applies: (dto: T) => boolean, condition: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyWhen',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `must be left out unless ${condition}` },
      validator: { validate: (value: unknown, args: ValidationArguments) => value === undefined || applies(args.object as T) },
    });
}

/**
 * `outcome`, required when `applies` holds (a check-in of status OUTCOME, a closure OUTCOME_REACHED)
 * and refused otherwise. Listed bottom-up, the order of the decorators it stands for.
 */
export function OutcomeOnlyWhen<T>(applies: (dto: T) => boolean, condition: string) {
  return applyDecorators(
    OnlyWhen(applies, condition),
    IsIn(OUTCOMES, requiredWhen(condition, oneOf(OUTCOMES).message)),
    ValidateIf((dto: T & { outcome?: unknown }) => dto.outcome !== undefined || applies(dto)),
    ApiPropertyOptional({ enum: OUTCOMES, description: `Required when ${condition}, and only then` }),
  );
}
