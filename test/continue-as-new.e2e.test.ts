import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEPARTEMENT, JOURNEY_STAGE, journeyWorkflowId, JourneyStarter, SEGMENT } from '@walt/temporal';
import { createCase, stagesOf, timelineOf, waitForStage } from './support/journeys';
import { eventually, quietTemporalRuntime, startTestSystem, TestSystem } from './support/test-system';

/**
 * Long journeys continue-as-new when Temporal suggests it. Real journeys reach that point after
 * thousands of events; a server of its own, told to suggest it after 30, makes a short journey
 * do it several times, and nothing may be lost or done twice across the runs.
 */
describe('continue-as-new carries the journey over, exactly once per step', () => {
  let env: TestWorkflowEnvironment;
  let sys: TestSystem;

  beforeAll(async () => {
    const cli = process.env.TEMPORAL_CLI;
    if (!cli) throw new Error('TEMPORAL_CLI is not set: run the suite with `npm test`, which builds or finds the Temporal CLI');
    quietTemporalRuntime();
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        searchAttributes: [JOURNEY_STAGE, SEGMENT, DEPARTEMENT],
        extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=30'],
      },
    });
    const address = env.connection.options.address;
    let starter: JourneyStarter | undefined;
    sys = await startTestSystem({ temporalAddress: address, journeyStarter: { start: (kase) => starter!.start(kase) } });
    starter = new JourneyStarter(sys.client, sys.dataSource);
  });
  afterAll(async () => {
    await sys?.stop();
    await env?.teardown();
  });

  it('twelve nudges, an escalation and a closure over several runs: each step recorded once', async () => {
    const nudgeOffsets = Array.from({ length: 12 }, (_, i) => `PT${(i * 0.3).toFixed(1)}S`);
    const caseId = await createCase(sys, { nudgeOffsets, escalateUnresponsiveAfter: 'PT4S', closeUnreachableAfter: 'PT5S' });
    await waitForStage(sys, caseId, 'CLOSED', 30_000);

    const events = await timelineOf(sys, caseId);
    expect(events.filter((e) => e.type === 'MESSAGE_QUEUED').map((e) => e.data.purpose)).toEqual([
      'WELCOME',
      ...Array.from({ length: 11 }, (_, i) => `NUDGE_${i + 1}`),
    ]);
    expect(stagesOf(events)).toEqual(['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED']);
    expect(events.filter((e) => e.type === 'ESCALATED')).toHaveLength(1);

    // The case row is CLOSED a moment before the last run completes, and visibility follows after.
    await sys.client.workflow.getHandle(journeyWorkflowId(caseId)).result();
    const runs = await eventually(async () => {
      const statuses: string[] = [];
      for await (const run of sys.client.workflow.list({ query: `WorkflowId = '${journeyWorkflowId(caseId)}'` }))
        statuses.push(run.status.name);
      return statuses.includes('COMPLETED') ? statuses : undefined;
    }, 'the last run to be listed as completed');
    expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);
    expect(runs.filter((status) => status === 'COMPLETED')).toHaveLength(1);
  });
});
