import { parseDuration } from './duration';
import { DEFAULT_POLICY, validatePolicy } from './policy';

describe('parseDuration', () => {
  it.each([
    ['PT0S', 0],
    ['PT2S', 2000],
    ['PT1.5S', 1500],
    ['PT90M', 5_400_000],
    ['P2D', 172_800_000],
    ['P1DT12H', 129_600_000],
    ['P1W', 604_800_000],
  ])('%s is %d ms', (iso, ms) => expect(parseDuration(iso)).toBe(ms));

  it.each(['', 'P', 'PT', '2D', 'P1M', 'P1Y', 'P-1D', 'PT1H2', 'p2d'])('rejects %p', (iso) => {
    expect(parseDuration(iso)).toBeNull();
  });
});

describe('validatePolicy', () => {
  it('accepts the defaults', () => expect(validatePolicy(DEFAULT_POLICY)).toEqual([]));

  it('names every bad field', () => {
    const problems = validatePolicy({
      ...DEFAULT_POLICY,
      nudgeOffsets: ['PT0S', 'tomorrow'],
      referralExpiresAfter: 'PT1S',
      maxReferralAttempts: 0,
      quietHours: { start: '25:00', end: '09:00' },
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['maxReferralAttempts', 'nudgeOffsets[1]', 'quietHours.start', 'referralExpiresAfter'].sort(),
    );
  });

  it('the nudge experiment is null or a name with live variants it knows', () => {
    expect(validatePolicy({ ...DEFAULT_POLICY, nudgeExperiment: null })).toEqual([]);
    expect(validatePolicy({ ...DEFAULT_POLICY, nudgeExperiment: { name: 'tone-2027', variants: ['B'] } })).toEqual([]);
    const bad = (nudgeExperiment: unknown) => validatePolicy({ ...DEFAULT_POLICY, nudgeExperiment } as never).map((p) => p.field);
    expect(bad({ name: 'Tone 2027', variants: ['A'] })).toEqual(['nudgeExperiment.name']);
    expect(bad({ name: 'tone', variants: [] })).toEqual(['nudgeExperiment.variants']);
    expect(bad({ name: 'tone', variants: ['A', 'Z'] })).toEqual(['nudgeExperiment.variants']);
    expect(bad({ name: 'tone', variants: ['A', 'A'] })).toEqual(['nudgeExperiment.variants']);
    expect(bad('A/B')).toEqual(['nudgeExperiment']);
  });

  it('the chat idle expiry is a duration longer than zero', () => {
    expect(validatePolicy({ ...DEFAULT_POLICY, chatIdleExpiry: 'PT2S' })).toEqual([]);
    expect(validatePolicy({ ...DEFAULT_POLICY, chatIdleExpiry: 'PT0S' })).toEqual([
      { field: 'chatIdleExpiry', message: 'must be longer than zero' },
    ]);
    expect(validatePolicy({ ...DEFAULT_POLICY, chatIdleExpiry: '1 day' }).map((p) => p.field)).toEqual(['chatIdleExpiry']);
  });

  it('rejects offsets out of order', () => {
    expect(validatePolicy({ ...DEFAULT_POLICY, checkInOffsets: ['P90D', 'P30D'] })).toEqual([
      { field: 'checkInOffsets', message: 'offsets must be in increasing order' },
    ]);
  });
});
