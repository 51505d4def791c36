import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** The caller and the `Idempotency-Key` of the request being handled, if it sent one. */
export interface IdempotencyScope {
  actor: string;
  key: string;
}

const scope = new AsyncLocalStorage<IdempotencyScope>();

export const runWithIdempotencyScope = <T>(value: IdempotencyScope, run: () => T): T => scope.run(value, run);

/**
 * The Temporal update id for `name` on `workflowId` under the current key, or undefined without
 * one. Temporal answers an update id it has already run with that run's result: a retry whose
 * first attempt reached the workflow but lost its answer (the API died) changes nothing twice,
 * and the key stays out of the history (a hash, never the caller's own string).
 */
export function idempotentUpdateId(workflowId: string, name: string): string | undefined {
  const current = scope.getStore();
  if (!current) return undefined;
  const digest = createHash('sha256').update(`${current.actor}\n${current.key}\n${workflowId}\n${name}`).digest('base64url');
  return `idem-${digest}`;
}

/**
 * The id of the note a request under the current key writes on `caseId`, or undefined without a
 * key: a retry after a lost answer finds the note its first attempt wrote instead of writing a
 * second one (which no event would refer to, its journey update being the first one again).
 */
export function idempotentNoteId(caseId: string): string | undefined {
  const current = scope.getStore();
  if (!current) return undefined;
  const hex = createHash('sha256').update(`${current.actor}\n${current.key}\nnote\n${caseId}`).digest('hex');
  // Shaped as a UUID (version 8, "custom"), the column's type.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
