import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency.interceptor';

const WRITES = ['post', 'put', 'patch', 'delete'] as const;

/**
 * Documents the `Idempotency-Key` header on every write the interceptor honours (those behind a
 * bearer token, and the signed partner links), from the same rule, so /docs cannot drift.
 */
export function documentIdempotencyKey(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of WRITES) {
      const operation = item[method];
      if (!operation || !(operation.security?.length || path.startsWith('/v1/partner/links/'))) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
          description:
            'Any string the client chooses. The same key from the same caller within 24 h answers the first answer again ' +
            '(header Idempotent-Replayed: true) and records nothing new; the same key with another method, path or body is ' +
            '409; a key whose first request is still running is 409 with Retry-After.',
        },
      ];
      operation.responses['409'] ??= { description: 'Conflict (also: an Idempotency-Key reused for another request, or still in use)' };
    }
  }
}
