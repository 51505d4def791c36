import type { DataSource } from 'typeorm';
import { Batcher } from '../batcher';
import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

/**
 * Development default: nothing leaves the machine. Each message is stored in `message_outbox`
 * (so a developer, a demo or a test can read exactly what would have been sent). The log line
 * names the row, never the recipient or the text: those are a young person's personal data.
 * Stored once per message id, so a retried job never writes it twice. Messages sent at the same
 * time are stored by one INSERT (a provider's bulk call, where the real ones take one each).
 */
export class OutboxAdapter implements ChannelAdapter {
  readonly description = 'outbox (message_outbox table, nothing is sent)';

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly log: ((line: string) => void) | null = (line) => console.log(line),
  ) {}

  private readonly batches = new Batcher((messages: OutgoingMessage[]) => this.store(messages));

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const id = message.messageId ? await this.batches.call(message) : (await this.store([message]))[0];
    this.log?.(`[outbox] ${this.channel} stored as message_outbox ${id}${message.messageId ? ` (message ${message.messageId})` : ''}`);
    return { providerId: `outbox-${id}` };
  }

  /**
   * One row per message id (a repeat answers the row already stored); the row ids in input order.
   * Several messages without an id would be one row each, so those come one at a time.
   */
  private async store(messages: OutgoingMessage[]): Promise<string[]> {
    const first = new Map<string | null, OutgoingMessage>();
    for (const m of messages) if (!first.has(m.messageId ?? null)) first.set(m.messageId ?? null, m);
    const unique = [...first.values()];
    const rows: { id: string; message_id: string | null }[] = await this.dataSource.query(
      `INSERT INTO message_outbox (message_id, channel, recipient, subject, text)
       SELECT v.message_id, $5, v.recipient, v.subject, v.text FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v (message_id, recipient, subject, text)
       ON CONFLICT (message_id) DO UPDATE SET message_id = EXCLUDED.message_id RETURNING id, message_id`,
      [
        unique.map((m) => m.messageId ?? null),
        unique.map((m) => m.to),
        unique.map((m) => m.subject ?? null),
        unique.map((m) => m.text),
        this.channel,
      ],
    );
    const idOf = new Map(rows.map((r) => [r.message_id, r.id]));
    return messages.map((m) => idOf.get(m.messageId ?? null)!);
  }
}
