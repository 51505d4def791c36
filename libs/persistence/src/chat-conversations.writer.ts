import { DataSource, EntityManager } from 'typeorm';
import { ChatConversationEntity } from './entities/chat-conversation.entity';
import { ChatDraftEntity, ChatDraftFields } from './entities/chat-draft.entity';
import { ChatMessageEntity } from './entities/chat-message.entity';

/** Where a session stands, as the workflow reports it with each step (codes, counts, times). */
export interface ChatSessionProgress {
  sessionId: string;
  conversationId: string;
  step: string;
  reached: string[];
  turns: number;
  unusable: number;
  humanRequested: boolean;
  departement: string | null;
  recapAt: string | null;
  at: string;
}

export type ChatSessionEnd = 'COMPLETED' | 'EXPIRED' | 'ERASED' | 'REFUSED' | 'STOPPED';

/**
 * Writes a chatbot session for the workflow's activities: its funnel row, its draft, and its
 * end. Each write is idempotent (a retried activity changes nothing more), and an end removes
 * what it must in the same transaction that records it.
 */
export class ChatConversationsWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens the session's row (once) and returns how the conversation's previous session ended, if any. */
  async open(session: { sessionId: string; conversationId: string; campaign: string | null; at: string }): Promise<ChatSessionEnd | null> {
    const at = new Date(session.at);
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ChatConversationEntity)
      .values({
        id: session.sessionId,
        conversationId: session.conversationId,
        campaign: session.campaign,
        startedAt: at,
        lastMessageAt: at,
        step: 'FIRST_NAME',
        reached: [],
        turns: 0,
        unusable: 0,
        humanRequested: false,
      })
      .orIgnore()
      .execute();
    const previous = await this.dataSource
      .getRepository(ChatConversationEntity)
      .createQueryBuilder('s')
      .where('s.conversation_id = :conversationId', { conversationId: session.conversationId })
      .andWhere('s.id <> :id', { id: session.sessionId })
      .andWhere('s.started_at <= :at', { at })
      .orderBy('s.started_at', 'DESC')
      .getOne();
    return (previous?.endReason as ChatSessionEnd | undefined) ?? null;
  }

  async progress(p: ChatSessionProgress, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.update(
      ChatConversationEntity,
      { id: p.sessionId },
      {
        step: p.step,
        reached: p.reached,
        turns: p.turns,
        unusable: p.unusable,
        humanRequested: p.humanRequested,
        departement: p.departement,
        recapAt: p.recapAt ? new Date(p.recapAt) : null,
        lastMessageAt: new Date(p.at),
      },
    );
  }

  async draft(sessionId: string): Promise<ChatDraftFields> {
    const row = await this.dataSource.getRepository(ChatDraftEntity).findOneBy({ sessionId });
    return row?.fields ?? {};
  }

  async saveDraft(sessionId: string, conversationId: string, fields: ChatDraftFields): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ChatDraftEntity)
      .values({ sessionId, conversationId, fields, updatedAt: new Date() })
      .orUpdate(['fields', 'updated_at'], ['session_id'])
      .execute();
  }

  async clearDraft(sessionId: string): Promise<void> {
    await this.dataSource.getRepository(ChatDraftEntity).delete({ sessionId });
  }

  /** The case exists: the session records it, and the draft (now in `youths`) goes. */
  async complete(p: ChatSessionProgress, result: { caseId: string; outcome: string; eligible: boolean }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.progress(p, manager);
      await manager.query(
        `UPDATE chat_conversations SET completed_at = coalesce(completed_at, $2), case_id = $3, intake_outcome = $4, eligible = $5 WHERE id = $1`,
        [p.sessionId, p.at, result.caseId, result.outcome, result.eligible],
      );
      await manager.delete(ChatDraftEntity, { sessionId: p.sessionId });
    });
  }

  /**
   * The session ends: recorded once, its draft deleted, and its transcript too (`keepReplyId`: a
   * closing reply that says what happened, free of personal data, stays for the page to show).
   */
  async end(p: ChatSessionProgress, reason: ChatSessionEnd, keepReplyId?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.progress(p, manager);
      await manager.query(
        `UPDATE chat_conversations SET ended_at = coalesce(ended_at, $2), end_reason = coalesce(end_reason, $3) WHERE id = $1`,
        [p.sessionId, p.at, reason],
      );
      await manager.delete(ChatDraftEntity, { sessionId: p.sessionId });
      const purge = manager
        .createQueryBuilder()
        .delete()
        .from(ChatMessageEntity)
        .where('conversation_id = :conversationId', { conversationId: p.conversationId })
        .andWhere('(session_id = :sessionId OR session_id IS NULL)', { sessionId: p.sessionId });
      if (keepReplyId) purge.andWhere('id <> :keep', { keep: keepReplyId });
      await purge.execute();
    });
  }

  /** The latest session of a conversation (the page's `done` and `caseId`), or null. */
  latest(conversationId: string): Promise<ChatConversationEntity | null> {
    return this.dataSource.getRepository(ChatConversationEntity).findOne({ where: { conversationId }, order: { startedAt: 'DESC' } });
  }
}
