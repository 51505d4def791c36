import { elapsedMs, runClock, startedClock, stopClock } from './active-clock';

describe('the active clock (deadlines stand still while a journey is paused)', () => {
  it('runs from the start', () => {
    const clock = startedClock(1_000);
    expect(elapsedMs(clock, 1_000)).toBe(0);
    expect(elapsedMs(clock, 4_500)).toBe(3_500);
  });

  it('stands still while stopped, and goes on from where it stood', () => {
    const clock = startedClock(0);
    stopClock(clock, 2_000);
    expect(elapsedMs(clock, 10_000)).toBe(2_000);
    runClock(clock, 10_000);
    expect(elapsedMs(clock, 11_000)).toBe(3_000);
  });

  it('stopping twice or running twice changes nothing', () => {
    const clock = startedClock(0);
    stopClock(clock, 1_000);
    stopClock(clock, 5_000);
    runClock(clock, 6_000);
    runClock(clock, 9_000);
    expect(elapsedMs(clock, 10_000)).toBe(5_000);
  });

  it('is plain data: it survives a continue-as-new as JSON', () => {
    const clock = startedClock(0);
    stopClock(clock, 1_500);
    const carried = JSON.parse(JSON.stringify(clock));
    runClock(carried, 2_000);
    expect(elapsedMs(carried, 2_500)).toBe(2_000);
  });
});
