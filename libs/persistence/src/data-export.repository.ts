import type { DataSource } from 'typeorm';

export interface ExportedMessage {
  messageId: string;
  caseId: string;
  purpose: string;
  channel: string;
  status: string;
  scheduledAt: Date | null;
  sentAt: Date | null;
  subject: string | null;
  text: string | null;
}

export interface ExportedChatLine {
  conversationId: string;
  from: 'youth' | 'bot';
  text: string;
  at: Date;
}

/**
 * What the right of access needs beyond the case page: the young person's other cases, the text of
 * the messages sent to them (the outbox keeps what was rendered) and what they typed in the chatbot.
 */
export class DataExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async caseIdsOfYouth(youthId: string): Promise<string[]> {
    const rows = await this.dataSource.query('SELECT id FROM cases WHERE youth_id = $1 ORDER BY created_at, id', [youthId]);
    return rows.map((r: { id: string }) => r.id);
  }

  messagesOf(caseIds: string[]): Promise<ExportedMessage[]> {
    return this.dataSource.query(
      `SELECT m.id AS "messageId", m.case_id AS "caseId", m.purpose, m.channel, m.status, m.scheduled_at AS "scheduledAt",
              m.sent_at AS "sentAt", o.subject, o.text
         FROM outbound_messages m LEFT JOIN message_outbox o ON o.message_id = m.id
        WHERE m.case_id = ANY($1) AND m.recipient = 'YOUTH'
        ORDER BY m.created_at, m.id`,
      [caseIds],
    );
  }

  chatOf(caseIds: string[]): Promise<ExportedChatLine[]> {
    return this.dataSource.query(
      `SELECT m.conversation_id AS "conversationId", m.sender AS "from", m.text, m.at
         FROM chat_messages m JOIN chat_conversations c ON c.conversation_id = m.conversation_id
        WHERE c.case_id = ANY($1)
        ORDER BY m.at, m.id`,
      [caseIds],
    );
  }
}
