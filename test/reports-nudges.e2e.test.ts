import { ReportFixtures, startHttpApp } from './support/report-fixtures';

type App = Awaited<ReturnType<typeof startHttpApp>>;

const T0 = new Date('2019-03-01T00:00:00Z');
const EXPERIMENT = 'nudge-wording-1';
const A = { experiment: EXPERIMENT, variant: 'A' };
const B = { experiment: EXPERIMENT, variant: 'B' };

/** A group's figures: queued, sent, not sent, replied, and the rate with its 95% Wilson interval (computed by hand). */
const g = (group: string, queued: number, sent: number, notSent: number, replied: number, rate: [number, number, number]) => ({
  group,
  queued,
  sent,
  notSent,
  replied,
  replyRate: rate[0],
  replyRateLow: rate[1],
  replyRateHigh: rate[2],
});
// Wilson 95%: 4/6, 2/4, 1/1, 0/1, 1/2, 2/3, 3/5
const R4_6: [number, number, number] = [0.6667, 0.3, 0.9032];
const R2_4: [number, number, number] = [0.5, 0.15, 0.85];
const R1_1: [number, number, number] = [1, 0.2065, 1];
const R0_1: [number, number, number] = [0, 0, 0.7935];
const R1_2: [number, number, number] = [0.5, 0.0945, 0.9055];
const R2_3: [number, number, number] = [0.6667, 0.2077, 0.9385];
const R3_5: [number, number, number] = [0.6, 0.2307, 0.8824];

/**
 * Messages to young people in March 2019 (hours after T0; Paris is UTC+1 then, Guadeloupe UTC-4):
 *
 * J1 75   NUDGE_1 SMS B sent 10, replied by SMS 20                              → replied
 * J2 971  NUDGE_1 SMS A sent 10, contact NOT reached 11, reply 70 (60 h later)  → not replied
 * J3 75   NUDGE_1 SMS B sent 10, NUDGE_2 SMS B sent 30, reply 40                → NUDGE_2 replied, NUDGE_1 not
 *                                                                                 (the reply answers the later nudge)
 * J4 75   NUDGE_1 EMAIL A sent 10, counsellor reached them 15                   → replied
 * J5 75   WELCOME SMS (no variant) sent 0, reply 1; NUDGE_1 SMS A FAILED 10     → welcome replied
 * J6 75   NUDGE_1 SMS B SUPPRESSED 10
 * J7 75   captured in February, NUDGE_1 sent 2019-02-15 and replied: outside the window
 */
describe('GET /v1/reports/nudges: which messages bring young people back', () => {
  let sys: App;
  let fx: ReportFixtures;
  let manager: string;

  beforeAll(async () => {
    sys = await startHttpApp();
    manager = `Bearer ${sys.token('manager')}`;
    fx = new ReportFixtures(sys.dataSource);
    const journey = (departement = '75', capturedAt = T0) =>
      fx.journey({ segment: 'EMPECHE', departement, channel: 'INSTAGRAM', capturedAt });

    const j1 = await journey();
    await j1.message('NUDGE_1', 10, B);
    await j1.event('YOUTH_REPLIED', 20, { channel: 'SMS' });

    const j2 = await journey('971');
    await j2.message('NUDGE_1', 10, A);
    await j2.event('CONTACT_LOGGED', 11, { channel: 'PHONE', reached: false });
    await j2.event('YOUTH_REPLIED', 70, { channel: 'SMS' });

    const j3 = await journey();
    await j3.message('NUDGE_1', 10, B);
    await j3.message('NUDGE_2', 30, B);
    await j3.event('YOUTH_REPLIED', 40, { channel: 'SMS' });

    const j4 = await journey();
    await j4.message('NUDGE_1', 10, { ...A, channel: 'EMAIL' });
    await j4.event('CONTACT_LOGGED', 15, { channel: 'PHONE', reached: true });

    const j5 = await journey();
    await j5.message('WELCOME', 0);
    await j5.event('YOUTH_REPLIED', 1, { channel: 'SMS' });
    await j5.message('NUDGE_1', 10, { ...A, status: 'FAILED' });

    const j6 = await journey();
    await j6.message('NUDGE_1', 10, { ...B, status: 'SUPPRESSED' });

    const j7 = await journey('75', new Date('2019-02-10T00:00:00Z'));
    await j7.message('NUDGE_1', new Date('2019-02-15T10:00:00Z'), B);
    await j7.event('YOUTH_REPLIED', new Date('2019-02-15T11:00:00Z'), { channel: 'SMS' });
  });

  afterAll(async () => {
    await fx?.cleanup();
    await sys?.stop();
  });

  const report = (query: Record<string, string>) =>
    sys
      .http()
      .get('/v1/reports/nudges')
      .query({ from: '2019-03-01', to: '2019-03-31', campaign: fx.campaign, ...query })
      .set('Authorization', manager);

  it('counts replies within 48 h of a sent message, before the next one, for the whole programme', async () => {
    const { body } = await report({}).expect(200);
    expect(body).toMatchObject({ from: '2019-03-01T00:00:00.000Z', to: '2019-04-01T00:00:00.000Z', groupBy: null, replyWindowHours: 48 });
    expect(body.groups).toEqual([g('ALL', 8, 6, 2, 4, R4_6)]);
  });

  it('per template, per variant and per channel', async () => {
    expect((await report({ groupBy: 'template' }).expect(200)).body.groups).toEqual([
      g('NUDGE_1', 6, 4, 2, 2, R2_4),
      g('NUDGE_2', 1, 1, 0, 1, R1_1),
      g('WELCOME', 1, 1, 0, 1, R1_1),
    ]);
    expect((await report({ groupBy: 'variant' }).expect(200)).body.groups).toEqual([
      g('NONE', 1, 1, 0, 1, R1_1),
      g(`${EXPERIMENT}/A`, 3, 2, 1, 1, R1_2),
      g(`${EXPERIMENT}/B`, 4, 3, 1, 2, R2_3),
    ]);
    expect((await report({ groupBy: 'channel' }).expect(200)).body.groups).toEqual([
      g('EMAIL', 1, 1, 0, 1, R1_1),
      g('SMS', 7, 5, 2, 3, R3_5),
    ]);
  });

  it("per hour of the young person's own day: 10:00 UTC is 11 in Paris and 06 in Guadeloupe", async () => {
    expect((await report({ groupBy: 'hour' }).expect(200)).body.groups).toEqual([
      g('01', 1, 1, 0, 1, R1_1),
      g('06', 1, 1, 0, 0, R0_1),
      g('07', 1, 1, 0, 1, R1_1),
      g('11', 5, 3, 2, 2, R2_3),
    ]);
  });

  it('says which variant is ahead of the experiment (none while the intervals overlap), and filters by département', async () => {
    const { body } = await report({}).expect(200);
    expect(body.experiments).toEqual([
      {
        experiment: EXPERIMENT,
        variants: [
          { variant: 'A', sent: 2, replied: 1, replyRate: R1_2[0], replyRateLow: R1_2[1], replyRateHigh: R1_2[2] },
          { variant: 'B', sent: 3, replied: 2, replyRate: R2_3[0], replyRateLow: R2_3[1], replyRateHigh: R2_3[2] },
        ],
        ahead: null,
      },
    ]);
    expect((await report({ departement: '971' }).expect(200)).body.groups).toEqual([g('ALL', 1, 1, 0, 0, R0_1)]);
  });

  it('answers the same figures as CSV', async () => {
    const res = await report({ groupBy: 'template', format: 'csv' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.trimEnd().split('\r\n')).toEqual([
      'group,queued,sent,notSent,replied,replyRate,replyRateLow,replyRateHigh',
      'NUDGE_1,6,4,2,2,0.5,0.15,0.85',
      'NUDGE_2,1,1,0,1,1,0.2065,1',
      'WELCOME,1,1,0,1,1,0.2065,1',
    ]);
  });

  it('refuses an unknown grouping in the one error shape, and other roles than managers and admins', async () => {
    const bad = await report({ groupBy: 'weekday' }).expect(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', details: [expect.objectContaining({ field: 'groupBy' })] });
    await sys
      .http()
      .get('/v1/reports/nudges')
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .expect(403);
    await sys
      .http()
      .get('/v1/reports/nudges')
      .query({ groupBy: 'variant' })
      .set('Authorization', `Bearer ${sys.token('admin')}`)
      .expect(200);
  });
});
