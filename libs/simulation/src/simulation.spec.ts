import { DEFAULT_POLICY } from '@walt/domain';
import { drawFor, estimateModel, partnerAnswer } from './model';
import { percentiles, runFigures, scalePolicy, summarise, type RunEvent } from './figures';
import { compressionOf, historyFrom } from './history';

const emptyHistory = () => historyFrom([], [], 0, new Map());

describe('simulation model', () => {
  it('draws the same decisions for the same seed, young person and purpose, whatever the order they are asked in', () => {
    const model = estimateModel(emptyHistory());
    const draws = (order: number[]) =>
      Object.fromEntries(order.map((i) => [i, partnerAnswer(model, 'MISSION_LOCALE', drawFor(7, i, 301))]));
    expect(draws([0, 1, 2, 3, 4])).toEqual(draws([4, 2, 0, 3, 1]));
    expect(JSON.stringify(draws([0, 1, 2, 3, 4]))).not.toEqual(
      JSON.stringify(Object.fromEntries([0, 1, 2, 3, 4].map((i) => [i, partnerAnswer(model, 'MISSION_LOCALE', drawFor(8, i, 301))]))),
    );
  });

  it('falls back to the documented default for every part the history is too thin to estimate', () => {
    const model = estimateModel(emptyHistory());
    expect(model.source.fromHistory).toEqual([]);
    expect(model.youth.replyAfterNudge).toEqual([0.35, 0.25, 0.15, 0.1]);
    expect(model.profiles).toEqual([]);
  });

  it('estimates partners of a type from their decisions once there are enough of them', () => {
    const history = emptyHistory();
    for (let i = 0; i < 20; i++) history.referrals.push({ partnerType: 'E2C', outcome: i < 10 ? 'ACCEPTED' : 'EXPIRED', hours: 30 });
    const model = estimateModel(history);
    expect(model.partners.E2C).toMatchObject({ accept: 0.5, decline: 0, silent: 0.5, decisionHours: Array(10).fill(30) });
    expect(model.source.fromHistory).toContain('partners.E2C');
  });

  it('reads history recorded under a compressed policy in that policy’s time', () => {
    expect(compressionOf(DEFAULT_POLICY)).toBe(1);
    expect(compressionOf({ ...DEFAULT_POLICY, closeUnreachableAfter: 'PT30S' })).toBe(86_400);
  });
});

describe('simulation figures', () => {
  it('scales every duration of the policy by the same factor', () => {
    const scaled = scalePolicy(DEFAULT_POLICY, 1000);
    expect(scaled.nudgeOffsets).toEqual(['PT0S', 'PT2S', 'PT5S', 'PT10S']);
    expect(scaled.referralExpiresAfter).toBe('PT7S');
    expect(scalePolicy(DEFAULT_POLICY, 250).appointmentReminderBefore).toBe('PT0.25S');
  });

  it('reads stage durations back in programme hours, with p50 and p90 as percentile_cont', () => {
    const day = 1000;
    const events: RunEvent[] = [
      { caseId: 'a', type: 'CAPTURED', actor: 'intake', at: 0, data: {} },
      { caseId: 'a', type: 'STAGE_CHANGED', actor: 'system', at: 0, data: { from: 'CAPTURED', to: 'ENGAGING' } },
      { caseId: 'a', type: 'STAGE_CHANGED', actor: 'youth', at: 2 * day, data: { from: 'ENGAGING', to: 'MATCHING' } },
      { caseId: 'a', type: 'REFERRAL_SENT', actor: 'system', at: 2 * day, data: { referralId: 'r1' } },
      { caseId: 'a', type: 'REFERRAL_EXPIRED', actor: 'system', at: 9 * day, data: { referralId: 'r1' } },
      { caseId: 'a', type: 'REFERRAL_SENT', actor: 'system', at: 9 * day, data: { referralId: 'r2' } },
    ];
    const figures = runFigures(events, [{ purpose: 'WELCOME', recipient: 'YOUTH' }], { startMs: 0, endMs: 14 * day, msPerDay: day });
    expect(figures.funnel).toMatchObject({ captured: 1, engaged: 1, referred: 1, accepted: 0 });
    expect(figures.durations.ENGAGING).toEqual({ count: 1, p50Hours: 48, p90Hours: 48 });
    expect(figures.durations.firstToSecondReferral).toEqual({ count: 1, p50Hours: 168, p90Hours: 168 });
    expect(figures.expiries).toBe(1);
    expect(figures.messages).toMatchObject({ total: 1, youth: 1 });
    expect(percentiles([1, 2, 3, 4])).toEqual({ count: 4, p50Hours: 2.5, p90Hours: 3.7 });
  });

  it("counts the counsellors' workload as their actions: one per case and instant, whatever the action wrote", () => {
    const day = 1000;
    const events: RunEvent[] = [
      { caseId: 'a', type: 'CAPTURED', actor: 'intake', at: 0, data: {} },
      { caseId: 'a', type: 'ESCALATED', actor: 'system', at: 1 * day, data: { why: 'UNRESPONSIVE' } },
      // A contact that reaches the young person: the contact and the stage change, one action.
      { caseId: 'a', type: 'CONTACT_LOGGED', actor: 'counsellor:simulation', at: 2 * day, data: { reached: true } },
      { caseId: 'a', type: 'STAGE_CHANGED', actor: 'counsellor:simulation', at: 2 * day, data: { from: 'ENGAGING', to: 'MATCHING' } },
      {
        caseId: 'a',
        type: 'STAGE_CHANGED',
        actor: 'counsellor:simulation',
        at: 9 * day,
        data: { from: 'NEEDS_COUNSELLOR', to: 'MATCHING' },
      },
      { caseId: 'b', type: 'CLOSED', actor: 'counsellor:simulation', at: 9 * day, data: { reason: 'OTHER' } },
    ];
    const figures = runFigures(events, [], { startMs: 0, endMs: 14 * day, msPerDay: day });
    expect(figures.counsellorWorkload).toEqual({ perWeek: 1.5, byWeek: [1, 2] });
    expect(figures.escalations.total).toBe(1); // an escalation is not an action: the contact that answers it is
  });

  it('gives each figure its mean ± sd and min–max over the seeds', () => {
    expect(
      summarise([
        { n: 2, p50Hours: null },
        { n: 4, p50Hours: 3 },
      ]),
    ).toEqual({ n: { mean: 3, sd: 1, min: 2, max: 4 }, p50Hours: { mean: 3, sd: 0, min: 3, max: 3 } });
  });
});
