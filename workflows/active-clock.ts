/**
 * Time that counts toward the journey's deadlines: it runs except while the journey is paused
 * (PRODUCT.md: "timers stop counting toward escalation"). Plain data, so it survives
 * continue-as-new inside the journey's snapshot.
 */
export interface ActiveClock {
  activeMs: number;
  /** Epoch ms since which the clock runs; absent while paused. */
  runningSince?: number;
}

export const startedClock = (now: number): ActiveClock => ({ activeMs: 0, runningSince: now });

export function elapsedMs(clock: ActiveClock, now: number): number {
  return clock.activeMs + (clock.runningSince === undefined ? 0 : now - clock.runningSince);
}

export function stopClock(clock: ActiveClock, now: number): void {
  if (clock.runningSince === undefined) return;
  clock.activeMs += now - clock.runningSince;
  clock.runningSince = undefined;
}

export function runClock(clock: ActiveClock, now: number): void {
  clock.runningSince ??= now;
}
