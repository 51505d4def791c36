import { DEFAULT_POLICY, Policy } from './policy';

/** One field of the policy that differs between two versions (whole values: a list or quietHours as a unit). */
export interface PolicyChange {
  field: keyof Policy;
  from: unknown;
  to: unknown;
}

const FIELDS = Object.keys(DEFAULT_POLICY) as (keyof Policy)[];

/** Key order of stored JSON (jsonb) is not meaningful: objects are compared key by key. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** What `next` changed from `previous`, in the policy's field order; a field missing on one side counts as null. */
export function policyChanges(previous: Policy, next: Policy): PolicyChange[] {
  return FIELDS.filter((field) => !same(previous[field] ?? null, next[field] ?? null)).map((field) => ({
    field,
    from: previous[field] ?? null,
    to: next[field] ?? null,
  }));
}
