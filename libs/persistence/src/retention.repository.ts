import type { DataSource } from 'typeorm';
import type { RetentionKind } from '@walt/domain';
import { AccessLogRepository } from './access-log.repository';

/**
 * The retention purge, one batch at a time: each call removes at most `batch` rows of one kind
 * older than `before` and answers how many, so the purge workflow loops until a batch comes back
 * short, and a crash between batches loses nothing (the next run takes what is left).
 */
export class RetentionRepository {
  private readonly accessLog: AccessLogRepository;

  constructor(private readonly dataSource: DataSource) {
    this.accessLog = new AccessLogRepository(dataSource);
  }

  async purgeBatch(kind: RetentionKind, before: Date, batch: number): Promise<number> {
    switch (kind) {
      case 'messageBodies':
        // The row stays (which message, when, its status in outbound_messages): its content and address go.
        return this.count(
          `UPDATE message_outbox SET subject = NULL, text = NULL, recipient = NULL, purged_at = now()
            WHERE id IN (SELECT id FROM message_outbox WHERE purged_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2)`,
          [before, batch],
        );
      case 'chatTranscripts': {
        // Whole conversations only: one idle since `before` (a transcript still being written is left whole).
        const idle = `SELECT 1 FROM chat_conversations c WHERE c.conversation_id = m.conversation_id AND c.last_message_at >= $1`;
        const messages = await this.count(
          `DELETE FROM chat_messages WHERE id IN (
             SELECT m.id FROM chat_messages m WHERE m.at < $1 AND NOT EXISTS (${idle}) ORDER BY m.at LIMIT $2)`,
          [before, batch],
        );
        const drafts = await this.count(
          `DELETE FROM chat_drafts WHERE session_id IN (SELECT session_id FROM chat_drafts WHERE updated_at < $1 LIMIT $2)`,
          [before, batch],
        );
        return messages + drafts;
      }
      case 'accessLog':
        return this.accessLog.purgeBefore(before, batch, 1);
      case 'sessions': {
        // Counted from when they stopped working: ended, expired, or left idle.
        const sessions = await this.count(
          `DELETE FROM sessions WHERE token_hash IN (
             SELECT token_hash FROM sessions WHERE LEAST(expires_at, last_seen_at, COALESCE(ended_at, 'infinity')) < $1 LIMIT $2)`,
          [before, batch],
        );
        const links = await this.count(
          `DELETE FROM sign_in_links WHERE token_hash IN (
             SELECT token_hash FROM sign_in_links WHERE LEAST(expires_at, COALESCE(used_at, 'infinity')) < $1 LIMIT $2)`,
          [before, batch],
        );
        return sessions + links;
      }
      case 'idempotencyKeys':
        // A claim takes an expired key over anyway; this frees the answers. The outer condition
        // is checked again on a row a claim has just renewed, which is then left alone.
        return this.count(
          `DELETE FROM idempotency_keys WHERE created_at < $1 AND (actor, key) IN (
             SELECT actor, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
          [before, batch],
        );
    }
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [, count] = await this.dataSource.query(sql, params);
    return count;
  }
}
