import { DataSource, EntityManager } from 'typeorm';
import type { Policy, VersionedPolicy } from '@walt/domain';
import { PolicyEntity } from './entities/policy.entity';

/** Versioned journey policies; the first version is written by the initial migration. */
export class PoliciesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async current(manager: EntityManager = this.dataSource.manager): Promise<VersionedPolicy> {
    const [latest] = await manager.getRepository(PolicyEntity).find({ order: { version: 'DESC' }, take: 1 });
    if (!latest) throw new Error('No journey policy found: run the migrations (npm run migrate).');
    return { version: latest.version, ...latest.body };
  }

  async version(version: number): Promise<VersionedPolicy | null> {
    const row = await this.dataSource.getRepository(PolicyEntity).findOneBy({ version });
    return row && { version: row.version, ...row.body };
  }

  /**
   * Saves a new version (the latest + 1). `body` may be a function of the current version, so
   * a partial change is merged over what is current at write time: two concurrent PUTs then
   * get consecutive versions and the second keeps the first's change instead of losing it.
   * Whatever `body` throws aborts the write. Journeys already running keep their version.
   */
  async create(body: Policy | ((current: VersionedPolicy) => Policy), createdBy: string): Promise<VersionedPolicy> {
    return this.dataSource.transaction(async (manager) => {
      // EXCLUSIVE blocks other writers of the table until commit, not readers: intake keeps
      // reading the current version while a new one is being written.
      await manager.query('LOCK TABLE policies IN EXCLUSIVE MODE');
      const current = await this.current(manager);
      const policy = typeof body === 'function' ? body(current) : body;
      const version = current.version + 1;
      await manager.insert(PolicyEntity, { version, body: policy, createdBy });
      return { version, ...policy };
    });
  }
}
