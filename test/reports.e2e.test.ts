import { ReportFixtures, ReferralFixture, startHttpApp } from './support/report-fixtures';

type App = Awaited<ReturnType<typeof startHttpApp>>;

const T0 = new Date('2019-03-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (d: Date) => d.toISOString();
const hoursAfterT0 = (h: number) => iso(new Date(T0.getTime() + h * HOUR));

/** Figures of one measure: count, openCount, p50, p90, mean (hours). */
const f = (count: number, openCount: number, p50: number | null = null, p90: number | null = null, mean: number | null = null) => ({
  count,
  openCount,
  p50Hours: p50,
  p90Hours: p90,
  meanHours: mean,
});
const NONE = f(0, 0);
const emptyStages = {
  CAPTURED: NONE,
  ENGAGING: NONE,
  MATCHING: NONE,
  REFERRED: NONE,
  ACCEPTED: NONE,
  IN_PATHWAY: NONE,
  NEEDS_COUNSELLOR: NONE,
  PAUSED: NONE,
};
const emptyIntervals = { captureToReferral: NONE, captureToAcceptance: NONE, captureToPathway: NONE, referralToDecision: NONE };

/** Parses our own CSV (no quoted fields in these reports) into objects keyed by the header. */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
  return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}
const num = (cell: string) => (cell === '' ? null : Number(cell));

/**
 * The journeys below (all captured 2019-03-01T00:00Z unless said; hours after capture):
 *
 * A  EMPECHE     INSTAGRAM 75   CAPTURED 0 → ENGAGING 1 → MATCHING 25 (MATCHED) → REFERRED 25 (a1 to P1/E2C,
 *                                reminded 73, accepted 97) → ACCEPTED 97 → IN_PATHWAY 145 → CLOSED 1000 OUTCOME_REACHED
 * B  EMPECHE     TIKTOK    971  CAPTURED 0 → ENGAGING 2 → MATCHING 12 → REFERRED 12 (b1 to P2/ML, declined
 *                                CAPACITY_FULL 36) → MATCHING 36 → REFERRED 37 (b2 to P1/E2C, pending): still REFERRED
 * C  DECROCHEUR  INSTAGRAM 75   CAPTURED 0 → ENGAGING 4 → NEEDS_COUNSELLOR 340 → CLOSED 400 UNREACHABLE
 * D  DECROCHEUR  WEBSITE   971  CAPTURED 0 → ENGAGING 3: still ENGAGING
 * E  CHOMEUR_CL. WEBSITE   75   out of scope: CAPTURED and CLOSED OUT_OF_SCOPE at 0 (no journey)
 * F  EMPECHE     INSTAGRAM 75   CAPTURED 0 → ENGAGING 0.5 → MATCHING 5.5 (MATCHED) → REFERRED 6 (f1 to P2/ML,
 *                                reminded 54, expired 174) → MATCHING 174 → NEEDS_COUNSELLOR 175: still there
 * G  EMPECHE     INSTAGRAM 75   captured 2018-12-31T22:00Z (outside the window) → ENGAGING +1h; g1 to P1 sent
 *                                2018-12-31T23:30Z: in no 2019 figure, but overdue (ENGAGING since 2018)
 * H..M are captured in the last weeks (outside 2019) and only matter for the overdue list.
 */
describe('programme manager reports', () => {
  let sys: App;
  let fx: ReportFixtures;
  let manager: string;
  const ids: Record<string, string> = {};
  let P1: { id: string; type: 'E2C' };
  let P2: { id: string; type: 'MISSION_LOCALE' };
  // "Overdue" is judged by the database's clock: the fixtures are dated from the same one.
  let now: number;
  let appointmentI: Date;
  let enteredL: Date;

  beforeAll(async () => {
    sys = await startHttpApp();
    now = (await sys.dataSource.query('SELECT now() AS now'))[0].now.getTime();
    appointmentI = new Date(now - 2 * DAY);
    enteredL = new Date(now - 2 * HOUR);
    manager = `Bearer ${sys.token('manager')}`;
    fx = new ReportFixtures(sys.dataSource);
    P1 = (await fx.partner('E2C')) as typeof P1;
    P2 = (await fx.partner('MISSION_LOCALE')) as typeof P2;

    const A = await fx.journey({ segment: 'EMPECHE', departement: '75', channel: 'INSTAGRAM', capturedAt: T0 });
    await A.moveTo('ENGAGING', 1);
    await A.moveTo('MATCHING', 25);
    await A.event('MATCHED', 25, { eligible: 2, partnerIds: [P1.id, P2.id] });
    const a1 = await A.refer(P1, 1, 25);
    await A.moveTo('REFERRED', 25);
    await A.remind(a1, 73);
    await A.decide(a1, 'ACCEPTED', 97);
    await A.moveTo('ACCEPTED', 97);
    await A.event('PATHWAY_STARTED', 145, { referralId: a1.id, partnerId: P1.id, partnerType: P1.type });
    await A.moveTo('IN_PATHWAY', 145);
    await A.close('OUTCOME_REACHED', 1000);

    const B = await fx.journey({ segment: 'EMPECHE', departement: '971', channel: 'TIKTOK', capturedAt: T0 });
    await B.moveTo('ENGAGING', 2);
    await B.moveTo('MATCHING', 12);
    const b1 = await B.refer(P2, 1, 12);
    await B.moveTo('REFERRED', 12);
    await B.decide(b1, 'DECLINED', 36, { reason: 'CAPACITY_FULL' });
    await B.moveTo('MATCHING', 36);
    await B.refer(P1, 2, 37);
    await B.moveTo('REFERRED', 37);

    const C = await fx.journey({ segment: 'DECROCHEUR', departement: '75', channel: 'INSTAGRAM', capturedAt: T0 });
    await C.moveTo('ENGAGING', 4);
    await C.moveTo('NEEDS_COUNSELLOR', 340);
    await C.close('UNREACHABLE', 400);

    const D = await fx.journey({ segment: 'DECROCHEUR', departement: '971', channel: 'WEBSITE', capturedAt: T0 });
    await D.moveTo('ENGAGING', 3);

    await fx.journey({ segment: 'CHOMEUR_CLASSIQUE', departement: '75', channel: 'WEBSITE', capturedAt: T0, eligible: false });

    const F = await fx.journey({ segment: 'EMPECHE', departement: '75', channel: 'INSTAGRAM', capturedAt: T0 });
    await F.moveTo('ENGAGING', 0.5);
    await F.moveTo('MATCHING', 5.5);
    await F.event('MATCHED', 5.5, { eligible: 1, partnerIds: [P2.id] });
    const f1 = await F.refer(P2, 1, 6);
    await F.moveTo('REFERRED', 6);
    await F.remind(f1, 54);
    await F.decide(f1, 'EXPIRED', 174);
    await F.moveTo('MATCHING', 174);
    await F.moveTo('NEEDS_COUNSELLOR', 175);

    const G = await fx.journey({
      segment: 'EMPECHE',
      departement: '75',
      channel: 'INSTAGRAM',
      capturedAt: new Date('2018-12-31T22:00:00Z'),
    });
    await G.moveTo('ENGAGING', 1);
    await G.refer(P1, 1, 1.5);

    // Recent cases, for the overdue list only.
    const recent = (daysAgo: number, policyVersion?: number) =>
      fx.journey({
        segment: 'INVISIBLE',
        departement: '13',
        channel: 'FACEBOOK',
        capturedAt: new Date(now - daysAgo * DAY),
        policyVersion,
      });
    const H = await recent(2);
    await H.moveTo('ENGAGING', new Date(now - DAY)); // due in 13 days
    const I = await recent(10);
    await I.moveTo('ACCEPTED', new Date(now - 3 * DAY));
    const i1 = await I.refer(P1, 1, new Date(now - 5 * DAY));
    await I.decide(i1, 'ACCEPTED', new Date(now - 3 * DAY), { appointmentAt: appointmentI }); // due a day after it: overdue
    const J = await recent(45);
    await J.moveTo('ACCEPTED', new Date(now - 40 * DAY)); // past 30 days, but its appointment is in 3 days
    const j1: ReferralFixture = await J.refer(P1, 1, new Date(now - 42 * DAY));
    await J.decide(j1, 'ACCEPTED', new Date(now - 40 * DAY), { appointmentAt: new Date(now + 3 * DAY) });
    const K = await recent(400);
    await K.moveTo('IN_PATHWAY', new Date(now - 390 * DAY)); // no deadline in IN_PATHWAY
    const L = await recent(1, await fx.policy({ escalateUnresponsiveAfter: 'PT1H', closeUnreachableAfter: 'PT2H' }));
    await L.moveTo('ENGAGING', enteredL); // overdue under its own policy (1 h), not under the default (14 days)
    const M = await recent(1);
    await M.moveTo('ENGAGING', enteredL);
    Object.assign(ids, { B: B.caseId, D: D.caseId, F: F.caseId, G: G.caseId, I: I.caseId, L: L.caseId });
  });
  afterAll(async () => {
    await fx?.cleanup();
    await sys?.stop();
  });

  const get = (path: string, query: Record<string, string | number> = {}, token = manager) =>
    sys
      .http()
      .get(path)
      .query({ campaign: fx.campaign, ...query })
      .set('Authorization', token);
  const YEAR_2019 = { from: '2019-01-01', to: '2019-12-31' };

  describe('journey durations', () => {
    it('per stage and end-to-end, for the whole programme', async () => {
      const res = await get('/v1/reports/journey-durations', YEAR_2019).expect(200);
      expect(res.body).toMatchObject({ from: '2019-01-01T00:00:00.000Z', to: '2020-01-01T00:00:00.000Z', groupBy: null });
      expect(res.body.groups).toEqual([
        {
          group: 'ALL',
          stages: {
            CAPTURED: f(5, 0, 2, 3.6, 2.1), // A1 B2 C4 D3 F0.5 → 0.5 1 [2] 3 4; p90 at rank 3.6: 3 + 0.6×1
            ENGAGING: f(4, 1, 17, 242.4, 93.75), // 5 10 24 336 (D open); p50 (10+24)/2; p90 at 2.7: 24 + 0.7×312
            MATCHING: f(5, 0, 0.5, 1, 0.5), // A0 B0 B1 F0.5 F1
            REFERRED: f(3, 1, 72, 148.8, 88), // B24 A72 F168 (b2 open); p90 at 1.8: 72 + 0.8×96
            ACCEPTED: f(1, 0, 48, 48, 48), // A 97→145
            IN_PATHWAY: f(1, 0, 855, 855, 855), // A 145→1000
            NEEDS_COUNSELLOR: f(1, 1, 60, 60, 60), // C 340→400; F still there
            PAUSED: NONE,
          },
          intervals: {
            captureToReferral: f(3, 1, 12, 22.4, 14.33), // F6 B12 A25; D open; C closed before: left out
            captureToAcceptance: f(1, 3, 97, 97, 97), // A; B, D, F open
            captureToPathway: f(1, 3, 145, 145, 145),
            referralToDecision: f(2, 1, 48, 67.2, 48), // b1 24, a1 72; b2 pending; f1 expired: no decision
          },
        },
      ]);
    });

    it('by segment: odd and even counts, and segments without a case', async () => {
      const res = await get('/v1/reports/journey-durations', { ...YEAR_2019, groupBy: 'segment' }).expect(200);
      const bySegment = Object.fromEntries(res.body.groups.map((g: { group: string }) => [g.group, g]));
      expect(Object.keys(bySegment)).toEqual(['EMPECHE', 'DECROCHEUR', 'INVISIBLE', 'CHERCHEUR_OPPORTUNITES', 'CHOMEUR_CLASSIQUE']);
      expect(bySegment.EMPECHE.stages).toEqual({
        ...emptyStages,
        CAPTURED: f(3, 0, 1, 1.8, 1.17), // F0.5 A1 B2
        ENGAGING: f(3, 0, 10, 21.2, 13), // F5 B10 A24; p90 at 1.8: 10 + 0.8×14
        MATCHING: f(5, 0, 0.5, 1, 0.5),
        REFERRED: f(3, 1, 72, 148.8, 88),
        ACCEPTED: f(1, 0, 48, 48, 48),
        IN_PATHWAY: f(1, 0, 855, 855, 855),
        NEEDS_COUNSELLOR: f(0, 1), // F, still there
      });
      expect(bySegment.DECROCHEUR.stages).toEqual({
        ...emptyStages,
        CAPTURED: f(2, 0, 3.5, 3.9, 3.5), // D3 C4; p90 at 0.9: 3 + 0.9×1
        ENGAGING: f(1, 1, 336, 336, 336),
        NEEDS_COUNSELLOR: f(1, 0, 60, 60, 60),
      });
      expect(bySegment.DECROCHEUR.intervals).toEqual({
        ...emptyIntervals,
        captureToReferral: f(0, 1),
        captureToAcceptance: f(0, 1),
        captureToPathway: f(0, 1),
      });
      // E was out of scope at intake: no journey to measure. INVISIBLE cases exist, but not in 2019.
      expect(bySegment.CHOMEUR_CLASSIQUE).toEqual({ group: 'CHOMEUR_CLASSIQUE', stages: emptyStages, intervals: emptyIntervals });
      expect(bySegment.INVISIBLE).toEqual({ group: 'INVISIBLE', stages: emptyStages, intervals: emptyIntervals });
    });

    it('by partner type (the partner the case was last referred to), channel and département', async () => {
      const byType = (await get('/v1/reports/journey-durations', { ...YEAR_2019, groupBy: 'partnerType' }).expect(200)).body.groups;
      const e2c = byType.find((g: { group: string }) => g.group === 'E2C'); // A and B (b2)
      expect(e2c.stages.REFERRED).toEqual(f(2, 1, 48, 67.2, 48));
      expect(e2c.intervals.referralToDecision).toEqual(f(2, 1, 48, 67.2, 48));
      expect(byType.find((g: { group: string }) => g.group === 'MISSION_LOCALE').stages.REFERRED).toEqual(f(1, 0, 168, 168, 168)); // F
      expect(byType.find((g: { group: string }) => g.group === 'NONE').stages.ENGAGING).toEqual(f(1, 1, 336, 336, 336)); // C, D
      expect(byType.find((g: { group: string }) => g.group === 'GEIQ')).toEqual({
        group: 'GEIQ',
        stages: emptyStages,
        intervals: emptyIntervals,
      });

      const byChannel = (await get('/v1/reports/journey-durations', { ...YEAR_2019, groupBy: 'channel' }).expect(200)).body.groups;
      const channel = (name: string) => byChannel.find((g: { group: string }) => g.group === name);
      expect(channel('INSTAGRAM').stages.CAPTURED).toEqual(f(3, 0, 1, 3.4, 1.83)); // F0.5 A1 C4
      expect(channel('TIKTOK').stages.CAPTURED).toEqual(f(1, 0, 2, 2, 2)); // B
      expect(channel('WEBSITE').stages.CAPTURED).toEqual(f(1, 0, 3, 3, 3)); // D (E: out of scope)

      const byDepartement = (await get('/v1/reports/journey-durations', { ...YEAR_2019, groupBy: 'departement' }).expect(200)).body.groups;
      expect(byDepartement.map((g: { group: string }) => g.group)).toEqual(['75', '971']);
      expect(byDepartement[1].stages.ENGAGING).toEqual(f(1, 1, 10, 10, 10)); // B10; D open
    });

    it('the window filters on capture time', async () => {
      const res = await get('/v1/reports/journey-durations', { from: '2018-12-01', to: '2018-12-31' }).expect(200);
      expect(res.body.groups[0].stages.CAPTURED).toEqual(f(1, 0, 1, 1, 1)); // G only
      expect(res.body.groups[0].stages.ENGAGING).toEqual(f(0, 1));
    });
  });

  describe('funnel', () => {
    const counts = (c: number[]) =>
      Object.fromEntries(
        ['captured', 'engaged', 'matched', 'referred', 'accepted', 'inPathway', 'outcome', 'closedWithoutOutcome'].map((k, i) => [k, c[i]]),
      );

    it('counts every case that ever reached each step, out-of-scope captures included', async () => {
      const res = await get('/v1/reports/funnel', YEAR_2019).expect(200);
      expect(res.body.groups).toEqual([
        {
          group: 'ALL',
          ...counts([6, 5, 3, 3, 1, 1, 1, 2]), // A-F; engaged A-D,F; matched A,B,F; C and E closed without outcome
          conversion: {
            engaged: { fromPrevious: 0.8333, fromCaptured: 0.8333 },
            matched: { fromPrevious: 0.6, fromCaptured: 0.5 },
            referred: { fromPrevious: 1, fromCaptured: 0.5 },
            accepted: { fromPrevious: 0.3333, fromCaptured: 0.1667 },
            inPathway: { fromPrevious: 1, fromCaptured: 0.1667 },
            outcome: { fromPrevious: 1, fromCaptured: 0.1667 },
            closedWithoutOutcome: { fromPrevious: null, fromCaptured: 0.3333 },
          },
        },
      ]);
    });

    it('by segment and by département, with empty groups', async () => {
      const bySegment = (await get('/v1/reports/funnel', { ...YEAR_2019, groupBy: 'segment' }).expect(200)).body.groups;
      const seg = (name: string) => bySegment.find((g: { group: string }) => g.group === name);
      expect(seg('EMPECHE')).toMatchObject(counts([3, 3, 3, 3, 1, 1, 1, 0]));
      expect(seg('DECROCHEUR')).toMatchObject(counts([2, 2, 0, 0, 0, 0, 0, 1]));
      expect(seg('DECROCHEUR').conversion.matched).toEqual({ fromPrevious: 0, fromCaptured: 0 });
      expect(seg('DECROCHEUR').conversion.referred).toEqual({ fromPrevious: null, fromCaptured: 0 });
      expect(seg('CHOMEUR_CLASSIQUE')).toMatchObject(counts([1, 0, 0, 0, 0, 0, 0, 1])); // E, out of scope
      expect(seg('CHOMEUR_CLASSIQUE').conversion.closedWithoutOutcome).toEqual({ fromPrevious: null, fromCaptured: 1 });
      expect(seg('INVISIBLE')).toMatchObject(counts([0, 0, 0, 0, 0, 0, 0, 0]));
      expect(seg('INVISIBLE').conversion.engaged).toEqual({ fromPrevious: null, fromCaptured: null });

      const byDepartement = (await get('/v1/reports/funnel', { ...YEAR_2019, groupBy: 'departement' }).expect(200)).body.groups;
      expect(byDepartement.map((g: { group: string; captured: number }) => [g.group, g.captured])).toEqual([
        ['75', 4],
        ['971', 2],
      ]);
    });
  });

  describe('partners', () => {
    it('per partner: received, decisions, declines by reason, expiries, median time to decision, reminders', async () => {
      const res = await get('/v1/reports/partners', YEAR_2019).expect(200);
      expect(res.body.partners).toEqual([
        {
          partnerId: P1.id,
          name: 'Partner E2C 1',
          type: 'E2C',
          departement: '75',
          received: 2,
          accepted: 1,
          declined: 0,
          declinedByReason: {},
          expired: 0,
          withdrawn: 0,
          pending: 1, // a1, b2 (g1 is 2018)
          medianHoursToDecision: 72,
          remindersSent: 1,
        },
        {
          partnerId: P2.id,
          name: 'Partner MISSION_LOCALE 2',
          type: 'MISSION_LOCALE',
          departement: '75',
          received: 2,
          accepted: 0,
          declined: 1,
          declinedByReason: { CAPACITY_FULL: 1 },
          expired: 1,
          withdrawn: 0,
          pending: 0, // b1, f1
          medianHoursToDecision: 24,
          remindersSent: 1,
        },
      ]);
    });
  });

  describe('overdue', () => {
    it('lists cases past their stage deadline under their own policy, oldest deadline first', async () => {
      const res = await get('/v1/reports/overdue').expect(200);
      expect(res.body).toMatchObject({ total: 6, page: 1, pageSize: 50 });
      expect(res.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([ids.G, ids.B, ids.D, ids.F, ids.I, ids.L]);
      const [g, b, d, fCase, i, l] = res.body.items;
      expect(g).toMatchObject({
        stage: 'ENGAGING',
        stageEnteredAt: '2018-12-31T23:00:00.000Z',
        dueAt: '2019-01-14T23:00:00.000Z',
        policyVersion: 1,
      });
      expect(b).toMatchObject({ stage: 'REFERRED', dueAt: hoursAfterT0(37 + 7 * 24), segment: 'EMPECHE', departement: '971' });
      expect(d).toMatchObject({ stage: 'ENGAGING', dueAt: hoursAfterT0(3 + 14 * 24) });
      expect(fCase).toMatchObject({ stage: 'NEEDS_COUNSELLOR', dueAt: hoursAfterT0(175 + 14 * 24) });
      expect(i).toMatchObject({ stage: 'ACCEPTED', dueAt: iso(new Date(appointmentI.getTime() + DAY)) });
      expect(l).toMatchObject({ stage: 'ENGAGING', dueAt: iso(new Date(enteredL.getTime() + HOUR)) });
      expect(l.policyVersion).toBeLessThan(0);
      expect(l.overdueHours).toBeGreaterThanOrEqual(1);
      expect(l.overdueHours).toBeLessThan(1.2);
    });

    it('pages, and filters by stage', async () => {
      const page = (await get('/v1/reports/overdue', { page: 2, pageSize: 4 }).expect(200)).body;
      expect(page).toMatchObject({ total: 6, page: 2, pageSize: 4 });
      expect(page.items.map((i: { caseId: string }) => i.caseId)).toEqual([ids.I, ids.L]);
      const accepted = (await get('/v1/reports/overdue', { stage: 'ACCEPTED' }).expect(200)).body;
      expect(accepted.items.map((i: { caseId: string }) => i.caseId)).toEqual([ids.I]);
      const beyond = (await get('/v1/reports/overdue', { page: 9 }).expect(200)).body;
      expect(beyond).toEqual({ items: [], total: 6, page: 9, pageSize: 50 });
    });
  });

  describe('CSV', () => {
    it('journey durations: one line per group and measure, the same numbers as JSON', async () => {
      const query = { ...YEAR_2019, groupBy: 'segment' };
      const json = (await get('/v1/reports/journey-durations', query).expect(200)).body;
      const res = await get('/v1/reports/journey-durations', { ...query, format: 'csv' }).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = parseCsv(res.text);
      expect(Object.keys(lines[0])).toEqual(['group', 'kind', 'measure', 'count', 'openCount', 'p50Hours', 'p90Hours', 'meanHours']);
      expect(lines).toHaveLength(5 * (8 + 4));
      for (const line of lines) {
        const g = json.groups.find((x: { group: string }) => x.group === line.group);
        const figures = line.kind === 'stage' ? g.stages[line.measure] : g.intervals[line.measure];
        expect({
          count: num(line.count),
          openCount: num(line.openCount),
          p50Hours: num(line.p50Hours),
          p90Hours: num(line.p90Hours),
          meanHours: num(line.meanHours),
        }).toEqual(figures);
      }
      expect(lines.find((l) => l.group === 'EMPECHE' && l.measure === 'ENGAGING')).toMatchObject({
        count: '3',
        p50Hours: '10',
        p90Hours: '21.2',
      });
    });

    it('funnel, partners and overdue: the same numbers as JSON', async () => {
      const json = (await get('/v1/reports/funnel', { ...YEAR_2019, groupBy: 'segment' })).body;
      const funnel = parseCsv((await get('/v1/reports/funnel', { ...YEAR_2019, groupBy: 'segment', format: 'csv' }).expect(200)).text);
      expect(funnel).toHaveLength(5 * 8);
      for (const line of funnel) {
        const g = json.groups.find((x: { group: string }) => x.group === line.group);
        expect(num(line.count)).toBe(g[line.step]);
        expect([num(line.fromPrevious), num(line.fromCaptured)]).toEqual(
          line.step === 'captured' ? [null, null] : [g.conversion[line.step].fromPrevious, g.conversion[line.step].fromCaptured],
        );
      }

      const partners = parseCsv((await get('/v1/reports/partners', { ...YEAR_2019, format: 'csv' }).expect(200)).text);
      expect(partners.map((p) => p.partnerId)).toEqual([P1.id, P2.id]);
      expect(partners[1]).toMatchObject({
        received: '2',
        declined: '1',
        declined_CAPACITY_FULL: '1',
        declined_OTHER: '0',
        expired: '1',
        medianHoursToDecision: '24',
        remindersSent: '1',
      });

      const overdueJson = (await get('/v1/reports/overdue')).body;
      const overdue = parseCsv((await get('/v1/reports/overdue', { format: 'csv' }).expect(200)).text);
      expect(overdue.map((o) => [o.caseId, o.dueAt, num(o.overdueHours)! > 0])).toEqual(
        overdueJson.items.map((o: { caseId: string; dueAt: string }) => [o.caseId, o.dueAt, true]),
      );
    });
  });

  describe('access and validation', () => {
    const paths = ['/v1/reports/journey-durations', '/v1/reports/funnel', '/v1/reports/partners', '/v1/reports/overdue'];

    it('managers and admins only: 401 without a token, 403 for counsellors and partners', async () => {
      for (const path of paths) {
        expect((await sys.http().get(path).expect(401)).body.error).toBe('Unauthorized');
        expect((await get(path, {}, `Bearer ${sys.token('counsellor')}`).expect(403)).body.error).toBe('Forbidden');
        await get(path, {}, `Bearer ${sys.token('partner', { partnerId: P1.id })}`).expect(403);
        await get(path, {}, `Bearer ${sys.token('admin')}`).expect(200);
      }
    });

    it('400 naming the field: bad groupBy, from, to, format, pageSize', async () => {
      const bad = async (path: string, query: Record<string, string>, field: string) => {
        const res = await get(path, query).expect(400);
        expect(res.body).toMatchObject({ error: 'ValidationError', details: [expect.objectContaining({ field })] });
      };
      await bad('/v1/reports/journey-durations', { groupBy: 'age' }, 'groupBy');
      await bad('/v1/reports/funnel', { from: 'yesterday' }, 'from');
      await bad('/v1/reports/funnel', { from: '2019-02-30' }, 'from');
      await bad('/v1/reports/funnel', { from: '2019-W05' }, 'from');
      await bad('/v1/reports/partners', { to: '2019-13-01' }, 'to');
      await bad('/v1/reports/partners', { from: '2019-06-01', to: '2019-01-01' }, 'to');
      await bad('/v1/reports/journey-durations', { format: 'xml' }, 'format');
      await bad('/v1/reports/overdue', { pageSize: '500' }, 'pageSize');
    });
  });
});
