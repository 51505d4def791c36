import type { EntityManager } from 'typeorm';
import type { VersionedPolicy } from '@walt/domain';
import type { PoliciesRepository } from '@walt/persistence';

/**
 * Which policy version a new journey or conversation starts with (it keeps it to the end): the
 * current one. One seam for the form and the chat, so a test gives its journeys a version of
 * their own without changing the current one.
 */
export class PolicyChoice {
  constructor(private readonly policies: PoliciesRepository) {}

  /** `key`: the form's submissionId or the conversationId. */
  versionFor(_key: string, manager?: EntityManager): Promise<VersionedPolicy> {
    return this.policies.current(manager);
  }
}
