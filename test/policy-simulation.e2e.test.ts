import type { DataSource } from 'typeorm';
import type { SimulationResult, SimulationView } from '@walt/simulation';
import { policySimulationWorkflowId } from '@walt/temporal';
import { SimulationSweeper } from '../apps/worker/src/simulation-sweeper';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * What-if of a policy change (issue 16): the real journey and referral workflows run a synthetic
 * cohort under the current policy and a draft, on task queues and schemas of their own. The
 * cohort is drawn from a period with no history (2001), so the behaviour model is the documented
 * default whatever other test files left in the database. A run lives on a logical clock of its
 * own (one simulated day is `msPerDay` ms of it), moved one instant at a time once the workflows
 * are quiescent, so its figures do not depend on how loaded the machine is.
 */
const QUIET_PERIOD = { from: '2001-01-01', to: '2001-02-01' };
const SHORT_EXPIRY = { referralExpiresAfter: 'P2D', partnerReminderAfter: 'P1D' };
const REQUEST = {
  policy: SHORT_EXPIRY,
  cohort: { size: 12, ...QUIET_PERIOD },
  seeds: 1,
  msPerDay: 2000,
  arrivalDays: 1,
  horizonDays: 18,
};

/** Row counts of every table of the real schema. */
async function realRowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const tables: { name: string }[] = await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await dataSource.query(`SELECT count(*)::int AS n FROM "${name}"`))[0].n;
  return counts;
}

describe('policy simulations: what-if of a policy change', () => {
  let sys: TestSystem;
  /** The result of REQUEST, which the test of determinism runs again. */
  let firstResult: SimulationResult | undefined;
  const manager = () => `Bearer ${sys.token('manager')}`;

  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(() => sys?.stop());

  const simulate = async (body: object): Promise<SimulationView> => {
    const accepted = await sys.http().post('/v1/policy/simulations').set('Authorization', manager()).send(body).expect(202);
    expect(accepted.body.id).toBe(accepted.body.simulationId);
    const running = await sys.http().get(`/v1/policy/simulations/${accepted.body.id}`).set('Authorization', manager()).expect(200);
    expect(running.body.status).toBe('RUNNING');
    const ended = await eventually(
      async () => {
        const res = await sys.http().get(`/v1/policy/simulations/${accepted.body.id}`).set('Authorization', manager()).expect(200);
        return res.body.status === 'RUNNING' ? undefined : (res.body as SimulationView);
      },
      'the simulation to finish',
      120_000,
    );
    expect(ended).toMatchObject({ status: 'DONE', progress: { runsDone: 2, runsTotal: 2, fraction: 1 } });
    return ended;
  };

  it('refuses a bad draft as PUT /v1/policy would, and a cohort out of bounds, naming each field', async () => {
    const res = await sys
      .http()
      .post('/v1/policy/simulations')
      .set('Authorization', manager())
      .send({ policy: { referralExpiresAfter: 'seven days', nudgeOfsets: [] }, cohort: { size: 501 }, seeds: 9 })
      .expect(400);
    expect(res.body.error).toBe('ValidationError');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cohort.size', 'seeds']);
    const policy = await sys
      .http()
      .post('/v1/policy/simulations')
      .set('Authorization', manager())
      .send({ policy: { referralExpiresAfter: 'seven days', nudgeOfsets: [] }, cohort: { size: 10 } })
      .expect(400);
    expect(policy.body.details.map((d: { field: string }) => d.field)).toEqual(['policy.nudgeOfsets']);
    const duration = await sys
      .http()
      .post('/v1/policy/simulations')
      .set('Authorization', manager())
      .send({ policy: { referralExpiresAfter: 'seven days' }, cohort: { size: 10 } })
      .expect(400);
    expect(duration.body.details.map((d: { field: string }) => d.field)).toEqual(['policy.referralExpiresAfter']);
    await sys
      .http()
      .get('/v1/policy/simulations/5b0c8a52-3a4e-4a7c-9d55-0d7b6f1c2e9a')
      .set('Authorization', manager())
      .expect(404)
      .expect((r) => expect(r.body.error).toBe('NotFound'));
  });

  it('a shorter referralExpiresAfter gives more expiries and faster second referrals, and nothing real is written', async () => {
    const before = await realRowCounts(sys.dataSource);
    const { result } = await simulate(REQUEST);
    firstResult = result;
    expect(await realRowCounts(sys.dataSource)).toEqual(before);
    const leftover = await sys.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'simulation\\_%'`);
    expect(leftover).toEqual([]);

    const { current, draft } = result!.runs[0];
    expect(current.funnel.captured).toBe(REQUEST.cohort.size);
    expect(draft.funnel.captured).toBe(REQUEST.cohort.size);
    expect(current.referrals.sent).toBeGreaterThan(2);
    expect(draft.expiries).toBeGreaterThan(current.expiries);
    // Scaled back to the programme's time: the draft's referrals are decided (or expire) sooner.
    expect(draft.durations.referralToDecision.p50Hours!).toBeLessThan(current.durations.referralToDecision.p50Hours!);
    if (current.durations.firstToSecondReferral.count > 0) {
      expect(draft.durations.firstToSecondReferral.p50Hours!).toBeLessThan(current.durations.firstToSecondReferral.p50Hours!);
    } else {
      expect(draft.durations.firstToSecondReferral.count).toBeGreaterThan(0);
    }
    expect(result!.model.fromDefault).toContain('profiles');
    expect(result!.draft.expiries).toEqual({ mean: draft.expiries, sd: 0, min: draft.expiries, max: draft.expiries });
    expect(draft.messages.partner).toBeGreaterThan(0); // recorded in the run's schema only
  }, 150_000);

  it('the same seed gives the same figures, however loaded the machine is', async () => {
    // The request of the test above once more (or twice, when this test runs alone), while the rest of the suite loads the machine.
    const first = firstResult ?? (await simulate(REQUEST)).result!;
    const second = (await simulate(REQUEST)).result!;
    expect(second.runs).toEqual(first.runs);
    expect(second.current).toEqual(first.current);
    expect(second.draft).toEqual(first.draft);
    expect(first.runs[0].current.referrals.sent).toBeGreaterThan(0); // they did live something
  }, 150_000);

  it('the sweeper fails a simulation whose run outlived its bound and drops the schemas left by crashed runs', async () => {
    const now = new Date('2030-06-01T12:00:00Z');
    const hour = 3_600_000;
    const schema = (name: string, simulationId: string, deadline: Date) =>
      sys.dataSource.query(
        `CREATE SCHEMA ${name}; COMMENT ON SCHEMA ${name} IS '${JSON.stringify({ simulationId, deadline: deadline.toISOString() })}'`,
      );
    // Three simulations: one ended long ago (no workflow left), one stuck (its run crashed, it shows
    // RUNNING for ever: nobody polls its task queue), one running within its bound.
    const [ended, stuck, live] = ['0e0e0e0e', '5c5c5c5c', '1a1a1a1a'].map((p) => `${p}-0000-4000-8000-000000000000`);
    for (const id of [stuck, live]) {
      await sys.client.workflow.start('policySimulationWorkflow', {
        workflowId: policySimulationWorkflowId(id),
        taskQueue: 'nobody-polls',
        args: [{}],
      });
    }
    await schema('simulation_0e0e0e0e_1_current', ended, new Date(now.getTime() + hour));
    await schema('simulation_5c5c5c5c_1_draft', stuck, new Date(now.getTime() - hour));
    await schema('simulation_1a1a1a1a_1_draft', live, new Date(now.getTime() + hour));

    const sweeper = new SimulationSweeper(
      sys.dataSource,
      sys.client,
      () => now,
      5 * 60_000,
      () => undefined,
    );
    expect(await sweeper.sweepOnce()).toEqual({
      dropped: ['simulation_0e0e0e0e_1_current', 'simulation_5c5c5c5c_1_draft'],
      failed: [stuck],
    });
    const left = await sys.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'simulation\\_%'`);
    expect(left).toEqual([{ nspname: 'simulation_1a1a1a1a_1_draft' }]);
    const view = await sys.http().get(`/v1/policy/simulations/${stuck}`).set('Authorization', manager()).expect(200);
    expect(view.body).toMatchObject({ status: 'FAILED', error: expect.stringContaining('outlived its bound') });
    await sys
      .http()
      .get(`/v1/policy/simulations/${live}`)
      .set('Authorization', manager())
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('RUNNING'));

    // Once the live one ends too, nothing is left.
    await sys.client.workflow.getHandle(policySimulationWorkflowId(live)).terminate('test over');
    expect((await sweeper.sweepOnce()).dropped).toEqual(['simulation_1a1a1a1a_1_draft']);
  });
});
