import { DEFAULT_POLICY } from './policy';
import { policyChanges } from './policy-changes';

describe('policyChanges', () => {
  it('names each changed field with both values, in the policy order', () => {
    const next = {
      ...DEFAULT_POLICY,
      referralExpiresAfter: 'P10D',
      nudgeOffsets: ['PT0S', 'P3D'],
      quietHours: { start: '21:00', end: '09:00' },
    };
    expect(policyChanges(DEFAULT_POLICY, next)).toEqual([
      { field: 'nudgeOffsets', from: DEFAULT_POLICY.nudgeOffsets, to: ['PT0S', 'P3D'] },
      { field: 'referralExpiresAfter', from: 'P7D', to: 'P10D' },
      { field: 'quietHours', from: DEFAULT_POLICY.quietHours, to: { start: '21:00', end: '09:00' } },
    ]);
  });

  it('no change for equal values whatever their key order; null and a missing field are the same', () => {
    const reordered = { ...DEFAULT_POLICY, quietHours: { end: '09:00', start: '20:00' } };
    expect(policyChanges(DEFAULT_POLICY, reordered)).toEqual([]);
    const withoutExperiment = { ...DEFAULT_POLICY, nudgeExperiment: null };
    const { nudgeExperiment: _gone, ...missing } = withoutExperiment;
    void _gone;
    expect(policyChanges(withoutExperiment, missing as typeof DEFAULT_POLICY)).toEqual([]);
    expect(policyChanges(DEFAULT_POLICY, withoutExperiment)).toEqual([
      { field: 'nudgeExperiment', from: DEFAULT_POLICY.nudgeExperiment, to: null },
    ]);
  });
});
