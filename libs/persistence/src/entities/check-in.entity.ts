import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CheckInStatus, Outcome } from '@walt/domain';

/** A follow-up check-in, due at a policy offset after the pathway starts. */
@Entity('check_ins')
export class CheckInEntity {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' }) caseId: string;
  @PrimaryColumn({ type: 'int' }) seq: number;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) at: Date | null;
  @Column({ type: 'text', nullable: true }) status: CheckInStatus | null;
  @Column({ type: 'text', nullable: true }) outcome: Outcome | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
