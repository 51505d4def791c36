import { inQuietHours, nextSendTime } from './quiet-hours';

const POLICY = { start: '20:00', end: '09:00' };
const PARIS = 'Europe/Paris';
const GUADELOUPE = 'America/Guadeloupe';

describe('nextSendTime (SMS quiet hours, local time of the young person)', () => {
  it('22:00 in Paris waits until 09:00 in Paris the next morning', () => {
    // 15 January: Paris is UTC+1, so 22:00 local is 21:00 UTC and 09:00 local is 08:00 UTC.
    expect(nextSendTime(new Date('2026-01-15T21:00:00Z'), PARIS, POLICY)).toEqual(new Date('2026-01-16T08:00:00Z'));
  });

  it('the same UTC instant is 17:00 in Guadeloupe: sent now', () => {
    const instant = new Date('2026-01-15T21:00:00Z');
    expect(nextSendTime(instant, GUADELOUPE, POLICY)).toBe(instant);
  });

  it('an early-morning message waits until 09:00 the same day', () => {
    expect(nextSendTime(new Date('2026-01-16T06:30:00Z'), PARIS, POLICY)).toEqual(new Date('2026-01-16T08:00:00Z'));
  });

  it('3:00 in Guadeloupe (UTC-4) waits until 09:00 there, which is 13:00 UTC', () => {
    expect(nextSendTime(new Date('2026-01-16T07:00:00Z'), GUADELOUPE, POLICY)).toEqual(new Date('2026-01-16T13:00:00Z'));
  });

  it('the bounds: 20:00 is quiet, 09:00 and 19:59 are not', () => {
    expect(inQuietHours(new Date('2026-01-15T19:00:00Z'), PARIS, POLICY)).toBe(true); // 20:00
    expect(inQuietHours(new Date('2026-01-15T08:00:00Z'), PARIS, POLICY)).toBe(false); // 09:00
    expect(inQuietHours(new Date('2026-01-15T18:59:00Z'), PARIS, POLICY)).toBe(false); // 19:59
  });

  it('follows daylight saving time: in July 09:00 Paris is 07:00 UTC', () => {
    expect(nextSendTime(new Date('2026-07-10T21:00:00Z'), PARIS, POLICY)).toEqual(new Date('2026-07-11T07:00:00Z'));
  });

  it('across the spring change: 22:00 on 28 March (UTC+1) → 09:00 on 29 March (UTC+2)', () => {
    expect(nextSendTime(new Date('2026-03-28T21:00:00Z'), PARIS, POLICY)).toEqual(new Date('2026-03-29T07:00:00Z'));
  });

  it('a period within one day (12:00-14:00) ends the same day', () => {
    expect(nextSendTime(new Date('2026-01-15T12:00:00Z'), PARIS, { start: '12:00', end: '14:00' })).toEqual(
      new Date('2026-01-15T13:00:00Z'),
    );
  });

  it('equal start and end means no quiet hours', () => {
    const instant = new Date('2026-01-15T23:00:00Z');
    expect(nextSendTime(instant, PARIS, { start: '00:00', end: '00:00' })).toBe(instant);
  });
});
