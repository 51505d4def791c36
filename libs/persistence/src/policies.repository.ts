import { DataSource, EntityManager } from 'typeorm';
import type { VersionedPolicy } from '@walt/domain';
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
}
