import nodemailer, { Transporter } from 'nodemailer';
import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

const SMTP_DEFAULTS = {
  pool: 'true',
  maxConnections: '5',
  connectionTimeout: '10000',
  greetingTimeout: '10000',
  socketTimeout: '30000',
};

/** EMAIL over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.org:465`), from `MAIL_FROM`. */
export class SmtpAdapter implements ChannelAdapter {
  readonly description: string;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    this.description = `smtp ${url.protocol}//${url.host} from ${from}`;
    // Connection settings go in the URL's query (nodemailer reads its transport options there,
    // and takes an object beside a URL as message defaults, not as transport options); those
    // given in SMTP_URL win. Bounded waits (nodemailer's defaults run to minutes), well inside
    // the worker's send lease; a pool of a few connections, so the jobs running at once
    // (MESSAGE_CONCURRENCY) queue for them instead of each opening its own.
    for (const [key, value] of Object.entries(SMTP_DEFAULTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
    this.transport = nodemailer.createTransport(url.toString());
  }

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const info = await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject ?? '',
      text: message.text,
      ...(message.messageId ? { messageId: `<${message.messageId}@walt.messages>` } : {}),
    });
    if (info.rejected?.length) throw new Error(`SMTP server rejected the recipient (${info.response})`);
    return { providerId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }
}
