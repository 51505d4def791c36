import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/** The baseline's workflow: an update that answers at once, no activity, no state. */
export const pingUpdate = defineUpdate<number, [number]>('ping');
export const doneSignal = defineSignal('done');

export async function trivialWorkflow(): Promise<void> {
  let done = false;
  setHandler(pingUpdate, (n) => n + 1);
  setHandler(doneSignal, () => void (done = true));
  await condition(() => done);
}
