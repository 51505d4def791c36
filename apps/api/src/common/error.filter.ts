import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CODE_BY_STATUS, ErrorBody } from './api-error';

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'A valid bearer token is required.',
  403: 'Your role does not allow this action.',
  404: 'Not found.',
  429: 'Too many requests; try again in a moment.',
};

/** Turns every exception, ours or the framework's, into the error shape of API.md. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(this.statusOf(exception)).json(this.bodyOf(exception));
  }

  private statusOf(exception: unknown): number {
    if (exception instanceof HttpException) return exception.getStatus();
    // Body parser errors (malformed JSON, body too large) carry their own 4xx status.
    const status = (exception as { status?: number })?.status;
    return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
  }

  private bodyOf(exception: unknown): ErrorBody {
    const status = this.statusOf(exception);
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (typeof body === 'object' && body && 'error' in body && 'details' in body) return body as ErrorBody;
      // A 400 that is not ours comes from parsing the body (malformed JSON).
      if (status === 400)
        return {
          error: 'ValidationError',
          message: `The body is not valid JSON: ${exception.message}`,
          details: [{ field: 'body', message: exception.message }],
        };
      return {
        error: CODE_BY_STATUS[status] ?? 'InternalError',
        message: DEFAULT_MESSAGES[status] ?? exception.message,
        details: [],
      };
    }
    if (status < 500) {
      const type = (exception as { type?: string }).type;
      const message = type === 'entity.parse.failed' ? 'The body is not valid JSON.' : (exception as Error).message;
      return {
        error: status === 400 || status === 413 ? 'ValidationError' : (CODE_BY_STATUS[status] ?? 'ValidationError'),
        message,
        details: [{ field: 'body', message }],
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { error: 'InternalError', message: 'An unexpected error occurred; it has been logged.', details: [] };
  }
}
