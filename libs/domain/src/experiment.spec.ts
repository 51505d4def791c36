import { randomUUID } from 'node:crypto';
import { assignVariant, isNudge } from './experiment';
import { wilsonInterval } from './wilson';

describe('assignVariant', () => {
  const experiment = { name: 'nudge-wording-1', variants: ['A', 'B'] as ('A' | 'B')[] };

  it('gives a journey the same variant every time, from its case id and the experiment name only', () => {
    const caseId = '6f1d3f5e-1c1b-4d55-9d5e-6f7a1b2c3d4e';
    expect(assignVariant(caseId, experiment)).toBe(assignVariant(caseId, { ...experiment }));
    // Hand-computed: FNV-1a of "nudge-wording-1:<caseId>" is odd, so B.
    expect(assignVariant(caseId, experiment)).toBe('B');
    expect(assignVariant(caseId, { ...experiment, name: 'nudge-wording-2' })).toBe('A');
  });

  it('splits journeys evenly between the live variants', () => {
    const counts = { A: 0, B: 0 };
    for (let i = 0; i < 10_000; i++) counts[assignVariant(randomUUID(), experiment)!]++;
    expect(counts.A).toBeGreaterThan(4_700);
    expect(counts.B).toBeGreaterThan(4_700);
  });

  it('gives every journey the one variant left once the other is retired, and none without an experiment', () => {
    expect(assignVariant(randomUUID(), { name: 'nudge-wording-1', variants: ['B'] })).toBe('B');
    expect(assignVariant(randomUUID(), null)).toBeUndefined();
    expect(assignVariant(randomUUID(), { name: 'x', variants: [] })).toBeUndefined();
  });

  it('words the nudges, not the welcome', () => {
    expect(isNudge('NUDGE_1')).toBe(true);
    expect(isNudge('NUDGE_12')).toBe(true);
    expect(isNudge('WELCOME')).toBe(false);
    expect(isNudge('CHECK_IN')).toBe(false);
  });
});

describe('wilsonInterval', () => {
  const round = (r: ReturnType<typeof wilsonInterval>) => [r.rate, r.low, r.high].map((v) => (v === null ? null : Number(v.toFixed(4))));

  it('matches the figures computed by hand', () => {
    // 8 of 10: p = 0.8; centre = (0.8 + 0.19208)/1.38415 = 0.71675; half = 1.96·√(0.016 + 0.009604)/1.38415 = 0.22658
    expect(round(wilsonInterval(8, 10))).toEqual([0.8, 0.4902, 0.9433]);
    // 0 of 20: the interval still has room above zero (the normal approximation says [0, 0])
    expect(round(wilsonInterval(0, 20))).toEqual([0, 0, 0.1611]);
    // 50 of 100
    expect(round(wilsonInterval(50, 100))).toEqual([0.5, 0.4038, 0.5962]);
  });

  it('has no rate without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: null, high: null });
  });
});
