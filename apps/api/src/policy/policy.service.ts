import { Injectable } from '@nestjs/common';
import { DEFAULT_POLICY, Policy, policyChanges, validatePolicy, VersionedPolicy } from '@walt/domain';
import { PoliciesRepository, PolicyVersionSummary } from '@walt/persistence';
import { conflict, ErrorBody, notFound, validationError } from '../common/api-error';
import { PageQuery } from '../common/paging';
import type { PolicyVersionDto, PolicyVersionPage, PolicyVersionSummaryDto } from './dto/policy.dto';

type Details = ErrorBody['details'];

/** The fields of a policy, in the order they are stored and shown. */
const POLICY_FIELDS = Object.keys(DEFAULT_POLICY) as (keyof Policy)[];
const QUIET_HOURS_FIELDS = Object.keys(DEFAULT_POLICY.quietHours);

type PolicyChange = Partial<Record<keyof Policy, unknown>> & { version?: unknown };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The journey policy: every duration of the journey is data, versioned. A change is saved as a
 * new version for journeys started afterwards; running journeys keep the version they started
 * with (cases.policy_version, set by intake).
 */
@Injectable()
export class PolicyService {
  constructor(private readonly policies: PoliciesRepository) {}

  current(): Promise<VersionedPolicy> {
    return this.policies.current();
  }

  /** Every saved version, newest first, paged like every list. */
  async history({ page, pageSize }: PageQuery): Promise<PolicyVersionPage> {
    const { items, total } = await this.policies.history(page, pageSize);
    return { items: items.map(summaryView), total, page, pageSize };
  }

  /** One version, and what it changed from the one before. */
  async version(version: number): Promise<PolicyVersionDto> {
    const found = await this.policies.historyEntry(version);
    if (!found) throw notFound(`Policy version ${version}`);
    const { entry, previous } = found;
    return {
      ...summaryView(entry),
      policy: entry.policy,
      previousVersion: previous?.version ?? null,
      changes: previous ? policyChanges(previous, entry.policy) : [],
    };
  }

  /** A draft: a partial body merged over the current version and validated exactly as a change, not saved. */
  async draft(body: unknown): Promise<{ current: VersionedPolicy; draft: Policy }> {
    const change = checkShape(body, 'policy');
    const current = await this.policies.current();
    const draft = merge(current, change);
    const problems = validatePolicy(draft);
    if (problems.length) {
      const details = problems.map((p) => ({ ...p, field: `policy.${p.field}` }));
      throw validationError(details, `The draft policy is not valid (${problems.length} problems).`);
    }
    return { current, draft };
  }

  /** Merges a partial body over the current version, validates the result, saves it as the next version. */
  async change(body: unknown, actor: string): Promise<VersionedPolicy> {
    const change = checkShape(body);
    return this.policies.create((current) => {
      if (change.version !== undefined && change.version !== current.version) {
        throw conflict(
          `The policy is at version ${current.version}, not ${String(change.version)}: read it again and re-apply your change.`,
        );
      }
      const next = merge(current, change);
      const problems = validatePolicy(next);
      if (problems.length) throw validationError(problems, `The policy is not valid (${problems.length} problems).`);
      return next;
    }, actor);
  }
}

/** Unknown fields are refused rather than ignored: a typo must not look like a saved change. */
/** `under`: where the policy sits in the body (a simulation's `policy`), for the fields named in details. */
function checkShape(body: unknown, under?: string): PolicyChange {
  const at = (field: string) => (under ? `${under}.${field}` : field);
  if (!isObject(body))
    throw validationError([{ field: under ?? 'body', message: 'must be a JSON object with the policy fields to change' }]);
  const details: Details = [];
  for (const key of Object.keys(body)) {
    if (key !== 'version' && !POLICY_FIELDS.includes(key as keyof Policy)) {
      details.push({ field: at(key), message: `is not a policy field (fields: ${POLICY_FIELDS.join(', ')})` });
    }
  }
  if (isObject(body.quietHours)) {
    for (const key of Object.keys(body.quietHours)) {
      if (!QUIET_HOURS_FIELDS.includes(key))
        details.push({ field: at(`quietHours.${key}`), message: 'is not a quiet-hours field (start, end)' });
    }
  }
  if (body.version !== undefined && !Number.isInteger(body.version)) details.push({ field: at('version'), message: 'must be an integer' });
  if (details.length) throw validationError(details);
  return body as PolicyChange;
}

/** Only policy fields are kept (never `version`); a partial quietHours keeps the other bound. */
function merge(current: VersionedPolicy, change: PolicyChange): Policy {
  const merged = Object.fromEntries(
    POLICY_FIELDS.map((field) => [field, field in change ? change[field] : current[field]]),
  ) as unknown as Policy;
  if (isObject(change.quietHours)) merged.quietHours = { ...current.quietHours, ...change.quietHours };
  return merged;
}

const summaryView = (summary: PolicyVersionSummary): PolicyVersionSummaryDto => ({
  version: summary.version,
  createdBy: summary.createdBy,
  createdAt: summary.createdAt.toISOString(),
  effectiveFrom: summary.effectiveFrom.toISOString(),
  effectiveUntil: summary.effectiveUntil?.toISOString() ?? null,
  current: summary.effectiveUntil === null,
});
