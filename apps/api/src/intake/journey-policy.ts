import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VersionedPolicy } from '@walt/domain';
import { PoliciesRepository } from '@walt/persistence';

/**
 * Which policy version a new journey starts with (it keeps it to the end): the current one. One
 * seam, so a test gives its journeys a version of their own without changing the current one.
 */
@Injectable()
export class JourneyPolicyChoice {
  constructor(private readonly policies: PoliciesRepository) {}

  versionFor(_submissionId: string, manager: EntityManager): Promise<VersionedPolicy> {
    return this.policies.current(manager);
  }
}
