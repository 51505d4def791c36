import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

/**
 * SMS through an HTTP provider: `POST SMS_PROVIDER_URL` with JSON `{ to, text }` and
 * `Authorization: Bearer SMS_PROVIDER_KEY`; any 2xx is an acceptance. The message id goes as
 * `Idempotency-Key`, so a provider that honours it never sends a retried request twice.
 */
export class HttpSmsAdapter implements ChannelAdapter {
  readonly description: string;

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly timeoutMs = 10_000,
  ) {
    const { protocol, host, pathname } = new URL(url);
    this.description = `http ${protocol}//${host}${pathname}`;
  }

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.key}`,
        ...(message.messageId ? { 'idempotency-key': message.messageId } : {}),
      },
      body: JSON.stringify({ to: message.to, text: message.text }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await res.text();
    // Status only: a provider's error body may echo the number or the text.
    if (!res.ok) throw new Error(`SMS provider answered HTTP ${res.status}`);
    let id: unknown;
    try {
      const json = JSON.parse(body);
      id = json?.id ?? json?.messageId;
    } catch {
      id = undefined;
    }
    return { providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : `http-${res.status}` };
  }
}
