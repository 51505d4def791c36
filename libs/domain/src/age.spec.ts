import { ageOn, isInScope, parseCalendarDate } from './age';

describe('age', () => {
  it('counts completed years, the day before and on the birthday', () => {
    expect(ageOn('2006-11-26', new Date('2026-11-25T12:00:00Z'))).toBe(19);
    expect(ageOn('2006-11-26', new Date('2026-11-26T00:00:00Z'))).toBe(20);
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
  });

  it('counts by the calendar of the time zone: a birthday starts at local midnight', () => {
    const instant = new Date('2026-02-28T23:30:00Z'); // 00:30 on 1 March in Paris, 19:30 on 28 February in Guadeloupe
    expect(ageOn('2010-03-01', instant, 'Europe/Paris')).toBe(16);
    expect(ageOn('2010-03-01', instant, 'America/Guadeloupe')).toBe(15);
    expect(ageOn('2010-03-01', new Date('2026-03-01T04:00:00Z'), 'America/Guadeloupe')).toBe(16);
  });

  it('says what is wrong with a birth date without repeating it (errors reach logs and histories)', () => {
    expect(() => ageOn('2005-02-30', new Date())).toThrow('Invalid birth date: not a YYYY-MM-DD calendar date');
    expect(() => ageOn('2005-02-30', new Date())).not.toThrow(/2005/);
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
