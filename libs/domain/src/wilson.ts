/** A proportion with its confidence interval. */
export interface Rate {
  rate: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Wilson score interval (95% by default): unlike the normal approximation it stays inside
 * [0, 1] and is honest for small groups and rates near 0 or 1, which nudge groups often are.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959964): Rate {
  if (trials === 0) return { rate: null, low: null, high: null };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
