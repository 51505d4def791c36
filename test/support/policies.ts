import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_POLICY, type Policy, type VersionedPolicy } from '@walt/domain';
import { PoliciesRepository } from '@walt/persistence';
import { PolicyChoice } from '@walt/intake';

/**
 * A policy version only the test's own journeys use. Negative, so it is never the current one
 * (the highest) that other journeys start with: no test changes the policy of another.
 */
export async function savePolicyVersion(dataSource: DataSource, change: Partial<Policy>, createdBy = 'test'): Promise<number> {
  const version = -(1 + (parseInt(randomUUID().slice(0, 8), 16) % 2_000_000_000));
  await dataSource.query(`INSERT INTO policies (version, body, created_by) VALUES ($1, $2, $3)`, [
    version,
    JSON.stringify({ ...DEFAULT_POLICY, ...change }),
    createdBy,
  ]);
  return version;
}

/** The policy choice in tests: the version a test gave a submission or conversation, else the current one. */
export class TestPolicyChoice extends PolicyChoice {
  private readonly bySubmission = new Map<string, number>();

  constructor(private readonly repository: PoliciesRepository) {
    super(repository);
  }

  use(key: string, version: number): void {
    this.bySubmission.set(key, version);
  }

  /** From now on, `key` takes the current version again. */
  forget(key: string): void {
    this.bySubmission.delete(key);
  }

  override async versionFor(key: string, manager?: EntityManager): Promise<VersionedPolicy> {
    const version = this.bySubmission.get(key);
    if (version === undefined) return super.versionFor(key, manager);
    const policy = await this.repository.version(version);
    if (!policy) throw new Error(`policy version ${version} was not saved`);
    return policy;
  }
}
