import type { DataSource } from 'typeorm';
import type { MessageChannelName } from '../config';
import type { ChannelAdapter } from './channel-adapter';
import { HttpSmsAdapter } from './http-sms.adapter';
import { OutboxAdapter } from './outbox.adapter';
import { SmtpAdapter } from './smtp.adapter';

export * from './channel-adapter';
export * from './http-sms.adapter';
export * from './outbox.adapter';
export * from './smtp.adapter';

export const DEFAULT_MAIL_FROM = 'Walt <no-reply@walt.localhost>';

/**
 * The adapter of each channel: SMTP when `SMTP_URL` is set, the HTTP SMS provider when
 * `SMS_PROVIDER_URL` is set (with `SMS_PROVIDER_KEY`), the outbox otherwise.
 */
export function adaptersFromEnv(
  dataSource: DataSource,
  env: NodeJS.ProcessEnv = process.env,
  log: ((line: string) => void) | null = (line) => console.log(line),
): Record<MessageChannelName, ChannelAdapter> {
  if (env.NODE_ENV === 'production' && (!env.SMTP_URL || !env.SMS_PROVIDER_URL)) {
    log?.('[messaging] WARNING: production without SMTP_URL or SMS_PROVIDER_URL: those messages go to the outbox only');
  }
  if (env.SMS_PROVIDER_URL && !env.SMS_PROVIDER_KEY) throw new Error('SMS_PROVIDER_KEY is required with SMS_PROVIDER_URL.');
  return {
    EMAIL: env.SMTP_URL ? new SmtpAdapter(env.SMTP_URL, env.MAIL_FROM || DEFAULT_MAIL_FROM) : new OutboxAdapter(dataSource, 'EMAIL', log),
    SMS: env.SMS_PROVIDER_URL ? new HttpSmsAdapter(env.SMS_PROVIDER_URL, env.SMS_PROVIDER_KEY!) : new OutboxAdapter(dataSource, 'SMS', log),
  };
}
export * from './spaced.adapter';
