import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JourneyEventPayloads, JourneyEventType } from '@walt/domain';

/** Append-only audit trail: every step of every journey, with its time and actor. */
@Entity('journey_events')
export class JourneyEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'text' })
  type: JourneyEventType;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** The payload of `type` (JourneyEventPayloads). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: JourneyEventPayloads[JourneyEventType];

  /** Position in the journey workflow's sequence (null for events written outside it). */
  @Column({ type: 'int', nullable: true })
  seq: number | null;

  /** Makes a retried activity a no-op: `<caseId>:<sequence in the journey>`. */
  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}
