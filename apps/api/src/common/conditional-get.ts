import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

/** A strong validator of the JSON answer: the same bytes, the same tag. */
export const etagOf = (body: unknown): string =>
  `"${createHash('sha256')
    .update(JSON.stringify(body) ?? '')
    .digest('base64url')
    .slice(0, 32)}"`;

/** If-None-Match holds `etag` (or is `*`). Weak comparison, as RFC 9110 asks for If-None-Match. */
export function noneMatchHolds(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * Answers the ETag of the body, and 304 without a body when the request's If-None-Match holds it:
 * the console polls these routes (the case page each second, the lists every 5 s), and most polls
 * find nothing new. `Cache-Control: no-store`: the answers carry personal data that must not stay
 * in a browser's disk cache, so the client keeps the tag and the body itself (shared/api.ts).
 * The body is still computed each time: the tag is a hash of it, so it can never be stale.
 */
@Injectable()
export class ConditionalGetInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body) => {
        const etag = etagOf(body);
        response.setHeader('ETag', etag);
        response.setHeader('Cache-Control', 'no-store');
        // Nest sets the status (200) and calls res.json(body) once interceptors are done: the 304
        // decided here is sent there, with no body. Express's own freshness check is not used: it
        // ignores If-None-Match when the request says Cache-Control: no-cache, as fetch's no-store does.
        if (noneMatchHolds(request.headers['if-none-match'], etag)) response.json = () => response.status(304).end();
        return body;
      }),
    );
  }
}

/** A GET the console polls: ETag on every answer, 304 when unchanged (see ConditionalGetInterceptor). */
export const ConditionalGet = () =>
  applyDecorators(
    UseInterceptors(ConditionalGetInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the answer already held: 304 if unchanged' }),
    ApiResponse({ status: 304, description: 'Not Modified: the answer is the one of the ETag sent in If-None-Match (no body)' }),
  );
