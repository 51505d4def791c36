import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ChatSender = 'youth' | 'bot';

export interface QuickReply {
  label: string;
  value: string;
}

/**
 * The transcript: what the young person typed (free text: personal data, PostgreSQL only; the
 * workflow gets its id) and what the bot answered (rendered from the templates and the draft).
 */
@Entity('chat_messages')
export class ChatMessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  /** Null until the workflow has read it (a youth message), always set on a bot message. */
  @Column({ name: 'session_id', type: 'uuid', nullable: true }) sessionId: string | null;
  @Column({ type: 'int', nullable: true }) turn: number | null;
  @Column({ type: 'text' }) sender: ChatSender;
  @Column({ type: 'text' }) text: string;
  /** The reply's intent code (bot messages). */
  @Column({ type: 'text', nullable: true }) intent: string | null;
  @Column({ name: 'quick_replies', type: 'jsonb', nullable: true }) quickReplies: QuickReply[] | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at: Date;
}
