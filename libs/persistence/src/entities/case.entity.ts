import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ClosureReason, Outcome, Segment, SourceChannel, Stage } from '@walt/domain';
import { YouthEntity } from './youth.entity';

/** Columns of the projection that move together, each versioned by the journey's event sequence. */
export type ProjectionGroup = 'stage' | 'profile' | 'partner' | 'nextAction' | 'closure' | 'counsellor';

/**
 * The projection of one journey, written by intake and then only by the journey's activities.
 * Non-identifying attributes are copied here so lists and reports never join on identity.
 */
@Entity('cases')
export class CaseEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'youth_id', type: 'uuid' })
  youthId: string;

  @ManyToOne(() => YouthEntity)
  @JoinColumn({ name: 'youth_id' })
  youth?: YouthEntity;

  /** The client's idempotency key (form submission or chat conversation). */
  @Column({ name: 'submission_id', type: 'text', unique: true })
  submissionId: string;

  @Column({ type: 'text' })
  stage: Stage;

  @Column({ name: 'stage_entered_at', type: 'timestamptz' })
  stageEnteredAt: Date;

  @Column({ type: 'text' })
  segment: Segment;

  @Column({ type: 'boolean' })
  eligible: boolean;

  @Column({ name: 'age_at_capture', type: 'int' })
  ageAtCapture: number;

  @Column({ type: 'text' })
  departement: string;

  @Column({ type: 'text' })
  region: string;

  @Column({ name: 'source_channel', type: 'text' })
  sourceChannel: SourceChannel;

  @Column({ name: 'source_campaign', type: 'text', nullable: true })
  sourceCampaign: string | null;

  @Column({ name: 'policy_version', type: 'int' })
  policyVersion: number;

  @Column({ name: 'counsellor_id', type: 'text', nullable: true })
  counsellorId: string | null;

  @Column({ name: 'partner_id', type: 'text', nullable: true })
  partnerId: string | null;

  @Column({ name: 'closure_reason', type: 'text', nullable: true })
  closureReason: ClosureReason | null;

  @Column({ name: 'closure_outcome', type: 'text', nullable: true })
  closureOutcome: Outcome | null;

  @Column({ name: 'next_action_at', type: 'timestamptz', nullable: true })
  nextActionAt: Date | null;

  /** Per group of projection columns, the sequence number of the journey event that last set it. */
  @Column({ name: 'projection_seqs', type: 'jsonb', default: () => "'{}'" })
  projectionSeqs: Partial<Record<ProjectionGroup, number>>;

  /** Null until the journey workflow is known to exist: the reconciler's work list. */
  @Column({ name: 'journey_started_at', type: 'timestamptz', nullable: true })
  journeyStartedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
