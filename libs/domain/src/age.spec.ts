import { ageOn, isInScope, parseCalendarDate } from './age';

describe('age', () => {
  it('counts completed years, the day before and on the birthday', () => {
    expect(ageOn('2006-11-26', new Date('2026-11-25T12:00:00Z'))).toBe(19);
    expect(ageOn('2006-11-26', new Date('2026-11-26T00:00:00Z'))).toBe(20);
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
  });

  it('rejects impossible or malformed dates', () => {
    expect(parseCalendarDate('2005-02-30')).toBeNull();
    expect(parseCalendarDate('2005-13-01')).toBeNull();
    expect(parseCalendarDate('05-01-2005')).toBeNull();
    expect(parseCalendarDate('2004-02-29')).toEqual({ year: 2004, month: 2, day: 29 });
  });

  it('scope is 16 to 25 inclusive', () => {
    expect([15, 16, 25, 26].map(isInScope)).toEqual([false, true, true, false]);
  });
});
