import type { DataSource } from 'typeorm';

/** What was read: the route family, not the fields. */
export type AccessKind = 'CASE_PAGE' | 'TIMELINE' | 'MATCHES' | 'PARTNER_REFERRAL' | 'EXPORT';

export interface AccessEntry {
  actor: string;
  role: string;
  caseId: string;
  what: AccessKind;
  ip?: string;
  userAgent?: string;
}

export interface AccessRecord extends Omit<AccessEntry, 'ip' | 'userAgent'> {
  id: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface AccessFilter {
  caseId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** The append-only access log (migration 1796440000000): written on every read of personal data, read by admins. */
export class AccessLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(entries: AccessEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: unknown[] = [];
    const rows = entries.map((e, i) => {
      values.push(e.actor, e.role, e.caseId, e.what, e.ip ?? null, e.userAgent?.slice(0, 300) ?? null);
      const n = i * 6;
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6})`;
    });
    await this.dataSource.query(`INSERT INTO access_log (actor, role, case_id, what, ip, user_agent) VALUES ${rows.join(', ')}`, values);
  }

  /** Newest first. `to` is exclusive. */
  async search(filter: AccessFilter): Promise<{ items: AccessRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => (params.push(value), where.push(clause.replace('?', `$${params.length}`)));
    if (filter.caseId) add('case_id = ?', filter.caseId);
    if (filter.actor) add('actor = ?', filter.actor);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM access_log ${condition}`, params);
    const items = await this.dataSource.query(
      `SELECT id::text, at, actor, role, case_id AS "caseId", what, ip, user_agent AS "userAgent"
         FROM access_log ${condition} ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return { items, total };
  }

  /** Retention: rows older than `before` go (the only DELETE the log allows); at most `maxBatches` batches per call. */
  async purgeBefore(before: Date, batch = 5000, maxBatches = Infinity): Promise<number> {
    let removed = 0;
    for (let batches = 1; ; batches++) {
      const [, count] = await this.dataSource.query(
        `DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE at < $1 ORDER BY id LIMIT $2)`,
        [before, batch],
      );
      removed += count;
      if (count < batch || batches >= maxBatches) return removed;
    }
  }
}
