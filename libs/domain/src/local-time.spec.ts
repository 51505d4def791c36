import { localMonth, wallClock, zonedInstant } from './local-time';

describe('local time', () => {
  it('reads the wall clock of an instant in each zone', () => {
    const instant = new Date('2026-07-01T02:30:00Z');
    expect(wallClock(instant, 'Europe/Paris')).toMatchObject({ year: 2026, month: 7, day: 1, minutes: 4 * 60 + 30 });
    expect(wallClock(instant, 'America/Cayenne')).toMatchObject({ year: 2026, month: 6, day: 30, minutes: 23 * 60 + 30 });
  });

  it('finds the instant of a local time across the spring DST change in Paris (29 March 2026)', () => {
    expect(zonedInstant(2026, 3, 29, 1 * 60 + 30, 'Europe/Paris')).toEqual(new Date('2026-03-29T00:30:00Z')); // UTC+1
    expect(zonedInstant(2026, 3, 29, 3 * 60 + 30, 'Europe/Paris')).toEqual(new Date('2026-03-29T01:30:00Z')); // UTC+2
  });

  it('turns the month at local midnight: the programme counts capacity by the month in Paris', () => {
    expect(localMonth(new Date('2026-03-31T21:59:00Z'), 'Europe/Paris')).toBe('2026-03');
    expect(localMonth(new Date('2026-03-31T22:00:00Z'), 'Europe/Paris')).toBe('2026-04');
  });
});
