import { HttpException, HttpStatus } from '@nestjs/common';

/** The one error shape of API.md. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details: { field: string; message: string }[];
}

export type ErrorCode =
  'ValidationError' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'Conflict' | 'TooManyRequests' | 'Unavailable' | 'InternalError';

export const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'ValidationError',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  503: 'Unavailable',
};

export class ApiError extends HttpException {
  constructor(status: HttpStatus, message: string, details: ErrorBody['details'] = []) {
    super({ error: CODE_BY_STATUS[status] ?? 'InternalError', message, details } satisfies ErrorBody, status);
  }
}

export const validationError = (details: ErrorBody['details'], message = 'The request is not valid.') =>
  new ApiError(HttpStatus.BAD_REQUEST, details.length === 1 ? `${details[0].field}: ${details[0].message}` : message, details);
export const notFound = (what: string) => new ApiError(HttpStatus.NOT_FOUND, `${what} was not found.`);
export const conflict = (message: string) => new ApiError(HttpStatus.CONFLICT, message);
export const unavailable = (message: string, details: ErrorBody['details'] = []) =>
  new ApiError(HttpStatus.SERVICE_UNAVAILABLE, message, details);
