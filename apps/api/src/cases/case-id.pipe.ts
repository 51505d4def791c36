import { ParseUUIDPipe } from '@nestjs/common';
import { validationError } from '../common/api-error';

/** `{caseId}` of every case route: a malformed id is a 400 naming the field, not a 404. */
export const caseIdPipe = new ParseUUIDPipe({ exceptionFactory: () => validationError([{ field: 'caseId', message: 'must be a UUID' }]) });
