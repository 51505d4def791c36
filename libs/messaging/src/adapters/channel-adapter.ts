/** One way to deliver a rendered message; every channel hides its provider behind this. */
export interface OutgoingMessage {
  to: string;
  subject?: string;
  text: string;
  /** The outbound_messages id, given to providers that deduplicate (Message-ID, Idempotency-Key). */
  messageId?: string;
}

export interface ChannelAdapter {
  /** Shown in the worker's start-up log: which adapter, where to (never a secret). */
  readonly description: string;
  /** Resolves once the provider accepted the message; throws otherwise. */
  send(message: OutgoingMessage): Promise<{ providerId: string }>;
  close?(): Promise<void> | void;
}
