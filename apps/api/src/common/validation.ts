import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { isEmail, ValidateBy, ValidationOptions } from 'class-validator';
import { validationError } from './api-error';

/** The message of a code-list check: `must be one of A, B, C`. */
export const oneOf = (codes: readonly string[]) => ({ message: `must be one of ${codes.join(', ')}` });

/** Flattens class-validator's tree into `details` with dotted/indexed paths (`consent.channels[0]`). */
export function detailsOf(errors: ClassValidatorError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...detailsOf(error.children ?? [], field)];
  });
}

export const validationPipe = () =>
  new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(detailsOf(errors)),
  });

/**
 * class-validator's @IsEmail, except that text with a lone UTF-16 surrogate is simply not an
 * email address: validator.js's isEmail calls encodeURI, which throws on one (a 500 the fuzzer found).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const IsEmailAddress = (validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isEmail',
      validator: { validate: (value: unknown) => typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value) },
    },
    validationOptions,
  );
