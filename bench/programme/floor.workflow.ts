import { proxyActivities } from '@temporalio/workflow';

/** The floor: a workflow of one no-op activity, what any journey step costs at the least. */
const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function floorWorkflow(): Promise<void> {
  await noop();
}
