import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';

/**
 * At most `perSecond` sends from this process in any one-second window, spaced like BullMQ's
 * limiter (limiterFor: 1.1 s / perSecond apart). The limiter spaces the jobs' starts, across
 * workers; but the jobs running at once are claimed together (Batcher), so under load several
 * reached the provider in the same instant (6 in one second at a limit of 5). This spaces the
 * sends themselves, where the provider counts them.
 */
export class SpacedAdapter implements ChannelAdapter {
  private nextAt = 0;
  private readonly gapMs: number;

  constructor(
    private readonly adapter: ChannelAdapter,
    perSecond: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.gapMs = Math.ceil(1100 / perSecond);
  }

  get description(): string {
    return this.adapter.description;
  }

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const at = Math.max(this.now(), this.nextAt);
    this.nextAt = at + this.gapMs;
    const wait = at - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return this.adapter.send(message);
  }

  close(): Promise<void> | void {
    return this.adapter.close?.();
  }
}

/** The adapter itself without a rate, else spaced to it. */
export const spacedTo = (adapter: ChannelAdapter, perSecond: number | undefined): ChannelAdapter =>
  perSecond ? new SpacedAdapter(adapter, perSecond) : adapter;
