import type { DataSource } from 'typeorm';
import { RetentionDelays, retentionDelays, RetentionKind } from '@walt/domain';
import { RetentionRepository } from '@walt/persistence';

/** The retention purge's activities: the delays of this deployment, and one batch of one kind. */
export class RetentionActivities {
  private readonly retention: RetentionRepository;

  constructor(dataSource: DataSource) {
    this.retention = new RetentionRepository(dataSource);
  }

  /** Read when the purge runs (not when the worker started), so a changed RETENTION_* takes effect on the next day. */
  async retentionDelays(): Promise<RetentionDelays> {
    return retentionDelays();
  }

  async purgeRetentionBatch(input: { kind: RetentionKind; before: string; batch: number }): Promise<number> {
    return this.retention.purgeBatch(input.kind, new Date(input.before), input.batch);
  }
}
