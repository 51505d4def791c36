import type { CaseEntity } from '@walt/persistence';
import { JourneyStarter, journeyWorkflowId } from '@walt/temporal';
import { JourneyReconciler } from '../apps/worker/src/reconciler';
import { aForm } from './support/forms';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

describe('reconciler: a case committed without its journey gets one', () => {
  let sys: TestSystem;
  /** Cases whose start intake requested, and whether the start has answered. */
  const requested = new Map<string, boolean>();
  // A Temporal that takes 1.5 s and then fails, as when the API process dies between the commit
  // and the start of the journey: the form must not wait for it. Intake's start is the first of
  // a case; a later one (a counsellor's action) goes through.
  let real: JourneyStarter;
  const slowThenLost = async (kase: CaseEntity) => {
    if (requested.has(kase.id)) return real.start(kase);
    requested.set(kase.id, false);
    await new Promise((r) => setTimeout(r, 1500));
    requested.set(kase.id, true);
    throw new Error('process died');
  };
  beforeAll(async () => {
    sys = await startTestSystem({ journeyStarter: { start: slowThenLost } });
    real = new JourneyStarter(sys.client, sys.dataSource);
  });
  afterAll(async () => sys?.stop());

  it('the form answers at the commit without waiting for the start; the lost start is started once, and the case moves on', async () => {
    const { caseId } = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body;
    expect(requested.get(caseId)).toBe(false); // requested, not answered yet
    await eventually(async () => requested.get(caseId) || undefined, 'the lost start to fail');
    const [row] = await sys.dataSource.query('SELECT stage, journey_started_at FROM cases WHERE id = $1', [caseId]);
    expect(row).toEqual({ stage: 'CAPTURED', journey_started_at: null });
    await expect(sys.client.workflow.getHandle(journeyWorkflowId(caseId)).describe()).rejects.toThrow(/not found/i);

    const reconciler = new JourneyReconciler(sys.dataSource, new JourneyStarter(sys.client, sys.dataSource), 0);
    expect(await reconciler.reconcileOnce()).toBeGreaterThanOrEqual(1);

    await eventually(async () => {
      const [c] = await sys.dataSource.query('SELECT stage, journey_started_at FROM cases WHERE id = $1', [caseId]);
      return c.stage === 'ENGAGING' && c.journey_started_at ? c : undefined;
    }, 'the reconciled journey to reach ENGAGING');

    const [{ pending }] = await sys.dataSource.query(
      `SELECT count(*)::int AS pending FROM cases WHERE id = $1 AND journey_started_at IS NULL`,
      [caseId],
    );
    expect(pending).toBe(0);
    const events = await sys.dataSource.query(
      `SELECT type, count(*)::int AS n FROM journey_events WHERE case_id = $1 AND type IN ('CAPTURED', 'STAGE_CHANGED') GROUP BY type ORDER BY type`,
      [caseId],
    );
    expect(events).toEqual([
      { type: 'CAPTURED', n: 1 },
      { type: 'STAGE_CHANGED', n: 1 },
    ]);
  });

  it("a counsellor's action on a case whose start was lost starts its journey and is applied, not refused", async () => {
    const { caseId } = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body;
    await eventually(async () => requested.get(caseId) || undefined, 'the lost start to fail');
    await expect(sys.client.workflow.getHandle(journeyWorkflowId(caseId)).describe()).rejects.toThrow(/not found/i);

    const res = await sys
      .http()
      .post(`/v1/cases/${caseId}/contacts`)
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .send({ channel: 'PHONE', reached: true });
    expect(res.status).toBe(200);

    const contacts = await sys.dataSource.query(
      `SELECT count(*)::int AS n FROM journey_events WHERE case_id = $1 AND type = 'CONTACT_LOGGED'`,
      [caseId],
    );
    expect(contacts).toEqual([{ n: 1 }]);
    const [row] = await sys.dataSource.query('SELECT journey_started_at FROM cases WHERE id = $1', [caseId]);
    expect(row.journey_started_at).not.toBeNull();
  });

  it('an action on a case whose journey is gone after it started is 409, and the journey is not started again', async () => {
    const { caseId } = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body;
    await eventually(async () => requested.get(caseId) || undefined, 'the lost start to fail');
    const contact = () =>
      sys
        .http()
        .post(`/v1/cases/${caseId}/contacts`)
        .set('Authorization', `Bearer ${sys.token('counsellor')}`)
        .send({ channel: 'PHONE', reached: true });
    expect((await contact()).status).toBe(200);
    const journey = sys.client.workflow.getHandle(journeyWorkflowId(caseId));
    await journey.terminate('test: the journey is gone');

    const again = await contact();
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'Conflict', message: 'The journey of this case has ended (CLOSED).' });
    expect((await journey.describe()).status.name).toBe('TERMINATED');
  });
});
