import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { JourneyAdmission, temporalClient } from '@walt/temporal';
import { requireServices } from './support/services';
import { eventually } from './support/test-system';

/**
 * JourneyAdmission reads the real backlog of a task queue: here one of its own, with no worker,
 * so every workflow started on it stays in the backlog.
 */
describe('JourneyAdmission: new journeys only while the workflow backlog is under its bound', () => {
  const taskQueue = `admission-test-${randomUUID().slice(0, 8)}`;
  let client: ReturnType<typeof temporalClient>;
  const ids: string[] = [];

  beforeAll(async () => {
    await requireServices();
    client = temporalClient(await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }));
  });
  afterAll(async () => {
    await Promise.allSettled(ids.map((id) => client.workflow.getHandle(id).terminate('test over')));
    await client?.connection.close();
  });

  /** Starts n more workflows, and waits until the server counts them all in the backlog (its count lags a little). */
  const backlogOf = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const workflowId = `admission-test-${randomUUID()}`;
      ids.push(workflowId);
      await client.workflow.start('noSuchWorkflow', { workflowId, taskQueue });
    }
    const reader = new JourneyAdmission(client, 1, taskQueue);
    await eventually(async () => ((await reader.backlog()) === ids.length ? true : undefined), `a backlog of ${ids.length}`);
  };

  it('admits up to the bound minus the backlog, counts its own admissions, and reads the backlog again later', async () => {
    let now = 0;
    const admission = new JourneyAdmission(client, 5, taskQueue, 1000, () => now);
    await backlogOf(3);
    const admitted = [];
    for (let i = 0; i < 4; i++) admitted.push(await admission.admit());
    expect(admitted).toEqual([true, true, false, false]);

    // The backlog is read again once its reading is older than readEveryMs: 5 more tasks, no room.
    await backlogOf(5);
    expect(await admission.admit()).toBe(false);
    now = 1001;
    const fresh = new JourneyAdmission(client, 10, taskQueue, 1000, () => 0);
    expect(await fresh.admit()).toBe(true); // 8 in the backlog, bound 10: two places
    expect(await fresh.admit()).toBe(true);
    expect(await fresh.admit()).toBe(false);
    expect(await admission.admit()).toBe(false);
  });

  it('concurrent admissions share one reading and never take more places than there are', async () => {
    const admission = new JourneyAdmission(client, ids.length + 3, taskQueue);
    const answers = await Promise.all(Array.from({ length: 10 }, () => admission.admit()));
    expect(answers.filter(Boolean)).toHaveLength(3);
  });

  it('refuses a bound that is not a whole number of at least 1, naming the setting', () => {
    expect(() => new JourneyAdmission(client, Number('many'))).toThrow(/JOURNEY_START_MAX_BACKLOG/);
    expect(() => new JourneyAdmission(client, 0)).toThrow(/at least 1/);
  });
});
