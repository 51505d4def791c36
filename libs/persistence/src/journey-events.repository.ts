import { DataSource, EntityManager } from 'typeorm';
import type { ClosureReason, JourneyEventType, Outcome, Segment, Stage } from '@walt/domain';
import { CaseEntity } from './entities/case.entity';
import { JourneyEventEntity } from './entities/journey-event.entity';

export interface NewJourneyEvent {
  caseId: string;
  /** Unique per step of a journey; recording the same key twice is a no-op. */
  idempotencyKey: string;
  type: JourneyEventType;
  actor: string;
  at: Date;
  data?: Record<string, unknown>;
}

/** The part of the `cases` projection a step may change. */
export interface ProjectionChange {
  stage?: Stage;
  segment?: Segment;
  departement?: string;
  counsellorId?: string | null;
  partnerId?: string | null;
  closureReason?: ClosureReason | null;
  closureOutcome?: Outcome | null;
  nextActionAt?: Date | null;
}

/**
 * The one way to write the audit trail: the event and the projection change commit together,
 * and a retried write (same idempotency key) changes nothing.
 */
export class JourneyEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns false when the event had already been recorded. */
  async record(event: NewJourneyEvent, change: ProjectionChange = {}): Promise<boolean> {
    return this.dataSource.transaction((manager) => this.recordIn(manager, event, change));
  }

  async recordIn(manager: EntityManager, event: NewJourneyEvent, change: ProjectionChange = {}): Promise<boolean> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(JourneyEventEntity)
      .values({ ...event, data: (event.data ?? {}) as JourneyEventEntity['data'] & object })
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length === 0) return false;
    const set: Partial<CaseEntity> = { ...change };
    if (change.stage) set.stageEnteredAt = event.at;
    if (Object.keys(set).length > 0) await manager.update(CaseEntity, { id: event.caseId }, set);
    return true;
  }

  timeline(caseId: string): Promise<JourneyEventEntity[]> {
    return this.dataSource.getRepository(JourneyEventEntity).find({ where: { caseId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
