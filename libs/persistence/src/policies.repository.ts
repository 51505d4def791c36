import { DataSource, EntityManager } from 'typeorm';
import type { Policy, VersionedPolicy } from '@walt/domain';
import { PolicyEntity } from './entities/policy.entity';

/** A saved version as the history shows it: who saved it, and when journeys started with it. */
export interface PolicyVersionSummary {
  version: number;
  createdBy: string;
  createdAt: Date;
  /** New journeys start with it from its creation... */
  effectiveFrom: Date;
  /** ...until the next version was saved; null while it is the current one. */
  effectiveUntil: Date | null;
}

/**
 * The history is versions 1 and up. Tests save private versions below 1 (test/support/policies)
 * that no journey outside the test uses: they are no version of the history.
 */
const HISTORY = 'version >= 1';

/** Versioned journey policies; the first version is written by the initial migration. */
export class PoliciesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async current(manager: EntityManager = this.dataSource.manager): Promise<VersionedPolicy> {
    const [latest] = await manager.getRepository(PolicyEntity).find({ order: { version: 'DESC' }, take: 1 });
    if (!latest) throw new Error('No journey policy found: run the migrations (npm run migrate).');
    return { ...latest.body, version: latest.version };
  }

  async version(version: number): Promise<VersionedPolicy | null> {
    const row = await this.dataSource.getRepository(PolicyEntity).findOneBy({ version });
    return row && { ...row.body, version: row.version };
  }

  /** The history, newest first, one page of it; `total` counts every version. */
  async history(page: number, pageSize: number): Promise<{ items: PolicyVersionSummary[]; total: number }> {
    const rows: { version: number; created_by: string; created_at: Date; effective_until: Date | null; total: string }[] =
      await this.dataSource.query(
        `SELECT version, created_by, created_at, LEAD(created_at) OVER (ORDER BY version) AS effective_until, COUNT(*) OVER () AS total
           FROM policies WHERE ${HISTORY} ORDER BY version DESC LIMIT $1 OFFSET $2`,
        [pageSize, (page - 1) * pageSize],
      );
    const total = rows.length
      ? Number(rows[0].total)
      : Number((await this.dataSource.query(`SELECT COUNT(*) AS n FROM policies WHERE ${HISTORY}`))[0].n);
    return { items: rows.map(summaryOf), total };
  }

  /** One version of the history with the one before it (null for the first), to say what changed. */
  async historyEntry(
    version: number,
  ): Promise<{ entry: PolicyVersionSummary & { policy: VersionedPolicy }; previous: VersionedPolicy | null } | null> {
    if (version < 1) return null;
    const rows: { version: number; body: Policy; created_by: string; created_at: Date; effective_until: Date | null }[] =
      await this.dataSource.query(
        `SELECT version, body, created_by, created_at,
                (SELECT MIN(created_at) FROM policies n WHERE n.version > p.version) AS effective_until
           FROM policies p WHERE ${HISTORY} AND version <= $1 ORDER BY version DESC LIMIT 2`,
        [version],
      );
    if (rows[0]?.version !== version) return null;
    const [entry, previous] = rows;
    return {
      entry: { ...summaryOf(entry), policy: { ...entry.body, version: entry.version } },
      previous: previous ? { ...previous.body, version: previous.version } : null,
    };
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
      // A body built from the current version carries its number: the row's number is the one that counts.
      const { version: _stale, ...policy } = (typeof body === 'function' ? body(current) : body) as VersionedPolicy;
      const version = current.version + 1;
      await manager.insert(PolicyEntity, { version, body: policy, createdBy });
      return { ...policy, version };
    });
  }
}

const summaryOf = (row: { version: number; created_by: string; created_at: Date; effective_until: Date | null }): PolicyVersionSummary => ({
  version: row.version,
  createdBy: row.created_by,
  createdAt: row.created_at,
  effectiveFrom: row.created_at,
  effectiveUntil: row.effective_until,
});
