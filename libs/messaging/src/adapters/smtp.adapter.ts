import nodemailer, { Transporter } from 'nodemailer';
import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

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
    // Bounded waits (nodemailer's defaults run to minutes), well inside the worker's send lease.
    this.transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
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
