import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
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
