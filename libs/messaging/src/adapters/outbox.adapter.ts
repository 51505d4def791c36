import type { DataSource } from 'typeorm';
import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

/**
 * Development default: nothing leaves the machine. Each message is stored in `message_outbox`
 * (so a developer, a demo or a test can read exactly what would have been sent). The log line
 * names the row, never the recipient or the text: those are a young person's personal data.
 * Stored once per message id, so a retried job never writes it twice.
 */
export class OutboxAdapter implements ChannelAdapter {
  readonly description = 'outbox (message_outbox table, nothing is sent)';

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly log: ((line: string) => void) | null = (line) => console.log(line),
  ) {}

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO message_outbox (message_id, channel, recipient, subject, text) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id) DO UPDATE SET message_id = EXCLUDED.message_id RETURNING id`,
      [message.messageId ?? null, this.channel, message.to, message.subject ?? null, message.text],
    );
    this.log?.(
      `[outbox] ${this.channel} stored as message_outbox ${rows[0].id}${message.messageId ? ` (message ${message.messageId})` : ''}`,
    );
    return { providerId: `outbox-${rows[0].id}` };
  }
}
