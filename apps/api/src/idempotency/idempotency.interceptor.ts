import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { actorOf, Principal } from '@walt/auth';
import { IdempotencyKeysRepository } from '@walt/persistence';
import { ApiError, validationError } from '../common/api-error';
import { runWithIdempotencyScope } from './idempotency-context';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * How long a claimed key waits for its request before a retry may take it over: longer than any
 * request takes when things go well (a Temporal update answers in well under a second), short
 * enough that a client retrying after the API died is not kept waiting long.
 */
const LEASE_SECONDS = 15;

/**
 * API.md: writes by counsellors, partners and admins accept an `Idempotency-Key`; the same key
 * from the same caller within 24 h answers the first answer again and records nothing new. The
 * caller is the token's actor, or for a signed partner link the link itself. Public intake has
 * its own key in the body (`submissionId`) and is left alone.
 *
 * - same key, same request (method, path, query and body): the first answer, status and body,
 *   with `Idempotent-Replayed: true`; a 4xx is an answer like any other;
 * - same key, another request: 409, nothing done;
 * - same key while the first request still runs: 409 with `Retry-After`;
 * - a first attempt that failed on our side (5xx, 429, 503) is not an answer: the key is
 *   released and a retry runs again. Journey updates under a key carry a Temporal update id
 *   derived from it, so a retry after an answer lost in a crash does not act twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyKeysRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (!WRITES.has(request.method)) return next.handle();
    const header = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (header === undefined) return next.handle();
    const actor = callerOf(request);
    if (!actor) return next.handle();
    const key = Array.isArray(header) ? undefined : header;
    if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw validationError([
        { field: IDEMPOTENCY_HEADER, message: `must be one string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
    const response = context.switchToHttp().getResponse<Response>();
    const successStatus: number =
      Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const fingerprint = fingerprintOf(request);

    return from(this.keys.claim(actor, key, fingerprint, LEASE_SECONDS)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
          case 'answered':
            response.setHeader('Idempotent-Replayed', 'true');
            if (claim.status >= 400) throw new HttpException(claim.body as object, claim.status);
            return of(claim.body);
          case 'mismatch':
            throw new ApiError(HttpStatus.CONFLICT, `This ${IDEMPOTENCY_HEADER} was already used for another request.`, [
              { field: IDEMPOTENCY_HEADER, message: 'was used with another method, path or body: send a new key for a new request' },
            ]);
          case 'inProgress':
            response.setHeader('Retry-After', '1');
            throw new ApiError(
              HttpStatus.CONFLICT,
              `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry in a moment.`,
              [{ field: IDEMPOTENCY_HEADER, message: 'is in use by a request that has not answered yet' }],
            );
          case 'claimed':
            return this.run(next, actor, key, successStatus);
        }
      }),
    );
  }

  private run(next: CallHandler, actor: string, key: string, successStatus: number): Observable<unknown> {
    const handled = new Observable<unknown>((subscriber) =>
      runWithIdempotencyScope({ actor, key }, () => next.handle().subscribe(subscriber)),
    );
    return handled.pipe(
      mergeMap(async (body) => {
        await this.keys.answer(actor, key, successStatus, body);
        return body;
      }),
      catchError(async (err: unknown) => {
        const status = err instanceof HttpException ? err.getStatus() : 500;
        if (status < 500 && status !== HttpStatus.TOO_MANY_REQUESTS) {
          await this.keys.answer(actor, key, status, (err as HttpException).getResponse());
        } else {
          await this.keys.release(actor, key).catch(() => undefined); // the database may be what failed
        }
        throw err;
      }),
    );
  }
}

/** Who the key belongs to: the token's actor, or the signed link (hashed: it is a credential). */
function callerOf(request: Request & { principal?: Principal }): string | undefined {
  if (request.principal) return actorOf(request.principal);
  const token = request.params?.token;
  if (typeof token === 'string' && request.path.startsWith('/v1/partner/links/')) {
    return `link:${createHash('sha256').update(token).digest('base64url')}`;
  }
  return undefined;
}

/** The request a key names: method, path with its query, and the body with its keys sorted. */
function fingerprintOf(request: Request): string {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl}\n${stableJson(request.body)}`)
    .digest('base64url');
}

function stableJson(value: unknown): string {
  if (Buffer.isBuffer(value)) return `buffer:${value.toString('base64')}`;
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
