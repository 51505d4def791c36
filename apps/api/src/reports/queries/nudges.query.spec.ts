import { experimentsOf } from './nudges.query';

describe('which variant of an experiment is ahead', () => {
  const row = (variant: string, sent: number, replied: number) => ({ experiment: 'tone', variant, sent, replied });

  it('names a variant only when its interval lies wholly above every other', () => {
    // 20/20 → [0.8389, 1]; 2/20 → [0.0279, 0.3010]
    expect(experimentsOf([row('A', 20, 2), row('B', 20, 20)])).toEqual([
      {
        experiment: 'tone',
        variants: [
          { variant: 'A', sent: 20, replied: 2, replyRate: 0.1, replyRateLow: 0.0279, replyRateHigh: 0.301 },
          { variant: 'B', sent: 20, replied: 20, replyRate: 1, replyRateLow: 0.8389, replyRateHigh: 1 },
        ],
        ahead: 'B',
      },
    ]);
  });

  it('names none while the intervals overlap, or with a single variant, or nothing sent', () => {
    expect(experimentsOf([row('A', 2, 1), row('B', 3, 2)])[0].ahead).toBeNull();
    expect(experimentsOf([row('B', 50, 50)])[0].ahead).toBeNull();
    expect(experimentsOf([row('A', 0, 0), row('B', 10, 9)])[0].ahead).toBeNull();
  });
});
