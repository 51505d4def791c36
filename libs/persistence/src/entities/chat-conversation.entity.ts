import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One session of a chatbot conversation (a conversation starts a new session after it expired
 * or ended): where it went, in codes and times only, so the funnel outlives the deleted drafts
 * and transcripts. Written by the chat workflow's activities (ChatConversationsWriter).
 */
@Entity('chat_conversations')
export class ChatConversationEntity {
  /** The session id the workflow drew (kept across continue-as-new). */
  @PrimaryColumn('uuid') id: string;
  /** The client's conversationId (`chat-<conversationId>` is the workflow). */
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  @Column({ type: 'text', nullable: true }) campaign: string | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'last_message_at', type: 'timestamptz' }) lastMessageAt: Date;
  /** The step it stands at now (a question, COMMUNE, AGE_CHECK, RECAP, DONE). */
  @Column({ type: 'text' }) step: string;
  @Column({ type: 'text', array: true }) reached: string[];
  @Column({ type: 'int' }) turns: number;
  /** Messages it could not use. */
  @Column({ type: 'int' }) unusable: number;
  @Column({ name: 'human_requested', type: 'boolean' }) humanRequested: boolean;
  @Column({ type: 'text', nullable: true }) departement: string | null;
  @Column({ name: 'recap_at', type: 'timestamptz', nullable: true }) recapAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  /** Intake's answer: CREATED, REPEATED (the same person's open case), with eligible. */
  @Column({ name: 'intake_outcome', type: 'text', nullable: true }) intakeOutcome: string | null;
  @Column({ type: 'boolean', nullable: true }) eligible: boolean | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  /** COMPLETED, EXPIRED, ERASED, REFUSED, STOPPED. */
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason: string | null;
}
