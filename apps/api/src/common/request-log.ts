import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@walt/logging';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request id for every request (the caller's X-Request-Id when it is a plain token, else a new
 * one), answered in X-Request-Id, and one JSON line when the answer leaves: route template,
 * status, duration, and the case id when the route names one. Never the path with its values,
 * the query string or the body (they can carry names, emails or phone numbers).
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const caseId = req.params?.caseId;
      logger.info(
        {
          requestId,
          method: req.method,
          route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 100_000n) / 10,
          ...(typeof caseId === 'string' && UUID.test(caseId) ? { caseId } : {}),
        },
        'request',
      );
    });
    next();
  };
}
