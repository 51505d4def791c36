import { proxyActivities } from '@temporalio/workflow';

/** The baseline: one workflow, one activity that does nothing, then the end. What the server costs alone. */
const { noop } = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '30 seconds' });

export async function oneActivityWorkflow(n: number): Promise<number> {
  return noop(n);
}
