import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const MESSAGE_STATUSES = ['QUEUED', 'DELAYED', 'SENT', 'FAILED', 'SUPPRESSED'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type MessageRecipient = 'YOUTH' | 'PARTNER' | 'COUNSELLOR';

/**
 * One outbound message. This row is the source of truth; the queue is only transport. Its
 * job id is deterministic (workflow, purpose, sequence), so a retried activity never sends twice.
 */
@Entity('outbound_messages')
export class OutboundMessageEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'job_id', type: 'text', unique: true }) jobId: string;
  @Column({ type: 'text' }) purpose: string;
  @Column({ type: 'text' }) channel: string;
  @Column({ type: 'text' }) recipient: MessageRecipient;
  @Column({ name: 'partner_id', type: 'text', nullable: true }) partnerId: string | null;
  @Column({ name: 'referral_id', type: 'uuid', nullable: true }) referralId: string | null;
  @Column({ type: 'text' }) status: MessageStatus;
  /** The A/B experiment and variant this message was worded in, if any. */
  @Column({ type: 'text', nullable: true }) experiment: string | null;
  @Column({ type: 'text', nullable: true }) variant: string | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'scheduled_at', type: 'timestamptz' }) scheduledAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
