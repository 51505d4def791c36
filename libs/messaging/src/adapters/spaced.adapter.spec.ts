import type { ChannelAdapter, OutgoingMessage } from './channel-adapter';
import { SpacedAdapter, spacedTo } from './spaced.adapter';

const recording = () => {
  const at: number[] = [];
  const adapter: ChannelAdapter = { description: 'recording', send: async () => (at.push(Date.now()), { providerId: `p${at.length}` }) };
  return { adapter, at };
};
const message = { to: '+33600000000', text: 'Bonjour', messageId: 'm' } as unknown as OutgoingMessage;

describe('SpacedAdapter: the sends themselves kept to the channel rate', () => {
  it('sends started at once go out 1.1 s / rate apart, so no one-second window holds more than the rate', async () => {
    const { adapter, at } = recording();
    const spaced = new SpacedAdapter(adapter, 5);
    const answers = await Promise.all(Array.from({ length: 7 }, () => spaced.send(message)));
    expect(answers.map((a) => a.providerId)).toHaveLength(7);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(215); // 220 ms, less the timers' millisecond rounding
    const busiest = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(5);
  });

  it('without a rate the adapter is used as it is', () => {
    const { adapter } = recording();
    expect(spacedTo(adapter, undefined)).toBe(adapter);
    expect(spacedTo(adapter, 5).description).toBe('recording');
  });
});
