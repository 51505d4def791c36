import { JourneyStarter, journeyWorkflowId } from '@walt/temporal';
import { JourneyReconciler } from '../apps/worker/src/reconciler';
import { aForm } from './support/forms';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

describe('reconciler: a case committed without its journey gets one', () => {
  let sys: TestSystem;
  // Simulates the API process dying between the commit and the start of the journey.
  beforeAll(async () => (sys = await startTestSystem({ journeyStarter: { start: () => Promise.reject(new Error('process died')) } })));
  afterAll(async () => sys?.stop());

  it('starts the missing journey once, and the case moves on', async () => {
    const { caseId } = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body;
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
});
