import { DataSource, EntityManager } from 'typeorm';
import { ChatMessageEntity, QuickReply } from './entities/chat-message.entity';

/**
 * The chatbot's transcript. A young person's message is stored before the workflow hears of it
 * (the workflow gets its id, never its text); the bot's reply is stored by the workflow's reply
 * activity, once per turn, and read back by the API.
 */
export class ChatTranscriptRepository {
  constructor(private readonly dataSource: DataSource) {}

  addYouthMessage(conversationId: string, text: string): Promise<ChatMessageEntity> {
    const repo = this.dataSource.getRepository(ChatMessageEntity);
    return repo.save(repo.create({ conversationId, sender: 'youth', text }));
  }

  /**
   * Takes a message of this conversation that the young person wrote, for the turn of a session
   * that reads it (orders the transcript as the workflow heard it), and returns its text; null
   * when there is no such message. One round trip.
   */
  async readForTurn(id: string, conversationId: string, sessionId: string, turn: number): Promise<string | null> {
    const updated = await this.dataSource
      .createQueryBuilder()
      .update(ChatMessageEntity)
      .set({ sessionId, turn })
      .where(`id = :id AND conversation_id = :conversationId AND sender = 'youth'`, { id, conversationId })
      .returning('text')
      .execute();
    const rows = updated.raw as { text: string }[];
    return rows[0]?.text ?? null;
  }

  /** Stores the reply of a turn; a retry finds the reply already stored and returns its id. */
  async addReply(
    reply: { sessionId: string; conversationId: string; turn: number; text: string; intent: string; quickReplies: QuickReply[] },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ChatMessageEntity)
      .values({ ...reply, sender: 'bot' })
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length) return inserted.raw[0].id;
    const existing = await manager.findOneByOrFail(ChatMessageEntity, { sessionId: reply.sessionId, turn: reply.turn, sender: 'bot' });
    return existing.id;
  }

  message(id: string): Promise<ChatMessageEntity | null> {
    return this.dataSource.getRepository(ChatMessageEntity).findOneBy({ id });
  }

  /** Oldest first, in the order the workflow read and answered (messages not read yet last). */
  transcript(conversationId: string): Promise<ChatMessageEntity[]> {
    return this.dataSource
      .getRepository(ChatMessageEntity)
      .createQueryBuilder('m')
      .leftJoin('chat_conversations', 's', 's.id = m.session_id')
      .where('m.conversation_id = :conversationId', { conversationId })
      .orderBy('s.started_at', 'ASC', 'NULLS LAST')
      .addOrderBy('m.turn', 'ASC', 'NULLS LAST')
      .addOrderBy(`CASE WHEN m.sender = 'youth' THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('m.at', 'ASC')
      .getMany();
  }

  /** Whatever remains of a conversation whose workflow has ended (DELETE after it expired). */
  async removeConversation(conversationId: string): Promise<void> {
    await this.dataSource.getRepository(ChatMessageEntity).delete({ conversationId });
  }

  /** A message the workflow never received (Temporal did not answer): nothing is kept of it. */
  async remove(id: string): Promise<void> {
    await this.dataSource.getRepository(ChatMessageEntity).delete({ id });
  }
}
