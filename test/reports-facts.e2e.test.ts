import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PartnerPlacesRepository } from '@walt/directory';
import { durationsFromEventsSql, funnelFromEventsSql } from '../apps/api/src/reports/queries/from-events';
import { FunnelQuery } from '../apps/api/src/reports/queries/funnel.query';
import { JourneyDurationsQuery } from '../apps/api/src/reports/queries/journey-durations.query';
import type { ReportScope } from '../apps/api/src/reports/report-scope';
import type { GroupBy } from '../apps/api/src/reports/dto/report-query.dto';
import { ReportFixtures } from './support/report-fixtures';
import { requireServices, testDatabase } from './support/services';

/**
 * The report facts (report_case_facts, report_durations: migration 1796500000001) give the
 * figures the reports gave from the audit trail, whatever order the steps commit in and
 * whatever changes a case's groups afterwards: every report is computed both ways and compared.
 */
describe('report facts kept with the trail', () => {
  let ds: DataSource;
  let fx: ReportFixtures;
  const GROUPINGS: (GroupBy | undefined)[] = [undefined, 'segment', 'departement', 'channel', 'partnerType'];
  const T0 = new Date('2024-03-01T08:00:00Z');
  const scope = (extra: Partial<ReportScope> = {}): ReportScope => ({
    from: null,
    to: null,
    departement: null,
    campaign: fx.campaign,
    ...extra,
  });

  async function expectSameFigures(extra: Partial<ReportScope> = {}) {
    for (const groupBy of GROUPINGS) {
      const durations = new JourneyDurationsQuery(ds);
      expect(await durations.run(scope(extra), groupBy)).toEqual(await durations.run(scope(extra), groupBy, durationsFromEventsSql));
      const funnel = new FunnelQuery(ds);
      expect(await funnel.run(scope(extra), groupBy)).toEqual(await funnel.run(scope(extra), groupBy, funnelFromEventsSql));
    }
  }

  beforeAll(async () => {
    await requireServices();
    ds = await testDatabase();
    fx = new ReportFixtures(ds);
  });
  afterAll(async () => {
    await fx?.cleanup();
    await ds?.destroy();
  });

  it('follow every step, late ones, changed groups and removed events', async () => {
    const ml = await fx.partner('MISSION_LOCALE');
    const ft = await fx.partner('FRANCE_TRAVAIL', '13');

    // Accepted at the second attempt, pathway, outcome.
    const a = await fx.journey({ segment: 'DECROCHEUR', departement: '75', channel: 'TIKTOK', capturedAt: T0 });
    await a.moveTo('ENGAGING', 0.5);
    await a.moveTo('MATCHING', 20);
    const first = await a.refer(ml, 1, 21);
    await a.moveTo('REFERRED', 21);
    await a.remind(first, 69);
    await a.decide(first, 'DECLINED', 80, { reason: 'NOT_MOBILE' });
    await a.moveTo('MATCHING', 80);
    const second = await a.refer(ft, 2, 81);
    await a.moveTo('REFERRED', 81);
    await a.decide(second, 'ACCEPTED', 90);
    await a.moveTo('ACCEPTED', 90);
    await a.event('PATHWAY_STARTED', 200, { referralId: second.id, partnerId: ft.id, partnerType: ft.type });
    await a.moveTo('IN_PATHWAY', 200);
    await a.close('OUTCOME_REACHED', 900);

    // Still open in a referral; its expiry is written before the step it follows (out of order).
    const b = await fx.journey({
      segment: 'INVISIBLE',
      departement: '13',
      channel: 'INSTAGRAM',
      capturedAt: new Date(T0.getTime() + 86_400_000),
    });
    await b.moveTo('ENGAGING', 1);
    const late = await b.refer(ml, 1, 30);
    await b.decide(late, 'EXPIRED', 198);
    await b.moveTo('MATCHING', 29);
    await b.moveTo('REFERRED', 30);

    // Never answered, closed; and an out-of-scope intake; and one just captured.
    const c = await fx.journey({
      segment: 'DECROCHEUR',
      departement: '75',
      channel: 'TIKTOK',
      capturedAt: new Date(T0.getTime() + 2 * 86_400_000),
    });
    await c.moveTo('ENGAGING', 0.2);
    await c.moveTo('NEEDS_COUNSELLOR', 336);
    await c.close('UNREACHABLE', 720);
    await fx.journey({ segment: 'EMPECHE', departement: '75', channel: 'WEBSITE', capturedAt: T0, eligible: false });
    await fx.journey({
      segment: 'CHOMEUR_CLASSIQUE',
      departement: '93',
      channel: 'WEBSITE',
      capturedAt: new Date(T0.getTime() + 3 * 86_400_000),
    });

    await expectSameFigures();
    await expectSameFigures({ from: new Date(T0.getTime() + 3_600_000), to: new Date(T0.getTime() + 3 * 86_400_000) });
    await expectSameFigures({ departement: '75' });

    // A case's groups change after its steps (the projection's segment, a partner's type), an event is removed.
    await ds.query(`UPDATE cases SET segment = 'INVISIBLE', departement = '13' WHERE id = $1`, [c.caseId]);
    await ds.query(`UPDATE partners SET type = 'E2C' WHERE id = $1`, [ft.id]);
    await ds.query(`DELETE FROM journey_events WHERE case_id = $1 AND type = 'PATHWAY_STARTED'`, [a.caseId]);
    await expectSameFigures();
    const [facts] = await ds.query(`SELECT segment, departement FROM report_case_facts WHERE case_id = $1`, [c.caseId]);
    expect(facts).toEqual({ segment: 'INVISIBLE', departement: '13' });
  });

  it("the matcher's monthly load is the ledger's count, taken and given back", async () => {
    const partner = await fx.partner('MISSION_LOCALE');
    const kase = await fx.journey({ segment: 'DECROCHEUR', departement: '75', channel: 'TIKTOK', capturedAt: T0 });
    const places = new PartnerPlacesRepository(ds);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    try {
      for (const referralId of ids) {
        expect(await places.take({ referralId, partnerId: partner.id, caseId: kase.caseId, at: T0, forced: false })).toBe(true);
      }
      await places.release(ids[1]);
      expect((await places.takenInMonthOf(T0)).get(partner.id)).toBe(2);
      const [{ mismatches }] = await ds.query(`
        SELECT count(*)::int AS mismatches
        FROM (SELECT partner_id, month, count(*)::int AS taken FROM partner_places GROUP BY 1, 2) ledger
        FULL JOIN (SELECT * FROM partner_month_load WHERE taken > 0) counted USING (partner_id, month)
        WHERE ledger.taken IS DISTINCT FROM counted.taken`);
      expect(mismatches).toBe(0);
    } finally {
      await ds.query(`DELETE FROM partner_places WHERE partner_id = $1`, [partner.id]);
    }
  });
});
