import { DataSource, EntityManager } from 'typeorm';
import type { ClosureReason, JourneyEventBody, Outcome, Segment, Stage } from '@walt/domain';
import { CaseEntity, ProjectionGroup } from './entities/case.entity';
import { JourneyEventEntity } from './entities/journey-event.entity';

/** An event to append: a type with its own payload (JourneyEventPayloads), who, when. */
export type NewJourneyEvent = JourneyEventBody & {
  caseId: string;
  /** Unique per step of a journey; recording the same key twice is a no-op. */
  idempotencyKey: string;
  actor: string;
  at: Date;
  /** The journey workflow's sequence number of this event; required to change the projection. */
  seq?: number;
};

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

/** Which projection columns move together, so each group can be versioned on its own. */
const GROUP_OF: Record<keyof ProjectionChange, ProjectionGroup> = {
  stage: 'stage',
  segment: 'profile',
  departement: 'profile',
  counsellorId: 'counsellor',
  partnerId: 'partner',
  closureReason: 'closure',
  closureOutcome: 'closure',
  nextActionAt: 'nextAction',
};

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
      .values({ ...event, seq: event.seq ?? null, data: event.data as JourneyEventEntity['data'] & object })
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length === 0) return false;
    await this.project(manager, event, change);
    return true;
  }

  /**
   * Applies the change group by group, each only if this event is newer than the one that last
   * set the group: steps of one journey can commit out of order, the projection only moves forward.
   */
  private async project(manager: EntityManager, event: NewJourneyEvent, change: ProjectionChange): Promise<void> {
    const groups = new Map<ProjectionGroup, Partial<CaseEntity>>();
    for (const [column, value] of Object.entries(change) as [keyof ProjectionChange, unknown][]) {
      if (value === undefined) continue;
      const group = GROUP_OF[column];
      groups.set(group, { ...groups.get(group), [column]: value, ...(column === 'stage' ? { stageEnteredAt: event.at } : {}) });
    }
    if (groups.size === 0) return;
    if (event.seq === undefined) throw new Error(`${event.type} changes the case projection but has no sequence number`);
    for (const [group, set] of groups) {
      await manager
        .createQueryBuilder()
        .update(CaseEntity)
        .set({ ...set, projectionSeqs: () => `projection_seqs || jsonb_build_object('${group}', ${Number(event.seq)})` })
        .where('id = :id', { id: event.caseId })
        .andWhere(`coalesce((projection_seqs ->> '${group}')::int, -1) < :seq`, { seq: event.seq })
        .execute();
    }
  }

  timeline(caseId: string): Promise<JourneyEventEntity[]> {
    return this.dataSource.getRepository(JourneyEventEntity).find({ where: { caseId }, order: { at: 'ASC', seq: 'ASC', id: 'ASC' } });
  }
}
