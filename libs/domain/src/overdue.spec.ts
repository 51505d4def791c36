import { STAGES } from './codes';
import { stageDeadlineMs, stageDueAt } from './overdue';
import { DEFAULT_POLICY } from './policy';

const DAY = 86_400_000;

describe('stageDeadlineMs', () => {
  it.each([
    ['ENGAGING', 14 * DAY],
    ['NEEDS_COUNSELLOR', 14 * DAY],
    ['REFERRED', 7 * DAY],
    ['ACCEPTED', 30 * DAY],
  ] as const)('%s lasts at most %d ms under the default policy', (stage, ms) => {
    expect(stageDeadlineMs(stage, DEFAULT_POLICY)).toBe(ms);
  });

  it('has no deadline in the other stages', () => {
    const without = STAGES.filter((s) => stageDeadlineMs(s, DEFAULT_POLICY) === null);
    expect(without).toEqual(['CAPTURED', 'MATCHING', 'IN_PATHWAY', 'PAUSED', 'CLOSED']);
  });

  it('follows the policy it is given (a compressed test policy)', () => {
    const policy = { ...DEFAULT_POLICY, escalateUnresponsiveAfter: 'PT30S', referralExpiresAfter: 'PT2M', checkInOffsets: ['PT1H'] };
    expect(stageDeadlineMs('ENGAGING', policy)).toBe(30_000);
    expect(stageDeadlineMs('REFERRED', policy)).toBe(120_000);
    expect(stageDeadlineMs('ACCEPTED', policy)).toBe(3_600_000);
  });
});

describe('stageDueAt', () => {
  const entered = new Date('2019-03-01T10:00:00Z');

  it('adds the deadline to the time the stage was entered', () => {
    expect(stageDueAt('REFERRED', entered, DEFAULT_POLICY)?.toISOString()).toBe('2019-03-08T10:00:00.000Z');
    expect(stageDueAt('IN_PATHWAY', entered, DEFAULT_POLICY)).toBeNull();
  });

  it('ACCEPTED with an appointment is due one reminder margin after it', () => {
    const appointment = new Date('2019-03-05T14:00:00Z');
    expect(stageDueAt('ACCEPTED', entered, DEFAULT_POLICY, appointment)?.toISOString()).toBe('2019-03-06T14:00:00.000Z');
    expect(stageDueAt('ACCEPTED', entered, DEFAULT_POLICY, null)?.toISOString()).toBe('2019-03-31T10:00:00.000Z');
  });
});
