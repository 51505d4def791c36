import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Outcome } from '@walt/domain';

export const REFERRAL_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** One ask to one partner (projection of a referral workflow). */
@Entity('referrals')
export class ReferralEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'partner_id', type: 'text' }) partnerId: string;
  @Column({ type: 'int' }) attempt: number;
  @Column({ type: 'text' }) status: ReferralStatus;
  /** A decline reason of PRODUCT.md, or EXPIRED. */
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  /** The counsellor's note on an override. */
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true }) remindedAt: Date | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'decided_by', type: 'text', nullable: true }) decidedBy: string | null;
  @Column({ name: 'appointment_at', type: 'timestamptz', nullable: true }) appointmentAt: Date | null;
  @Column({ type: 'boolean', nullable: true }) attended: boolean | null;
  @Column({ name: 'attendance_at', type: 'timestamptz', nullable: true }) attendanceAt: Date | null;
  @Column({ type: 'text', nullable: true }) outcome: Outcome | null;
}
