import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { JourneyActivities, JourneyStep } from '../activities/journey.activities';

const stepOptions = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } } as const;
const remote = proxyActivities<JourneyActivities>(stepOptions);
const local = proxyLocalActivities<JourneyActivities>(stepOptions);

/** Journeys and referrals from 2026-12-03 wrote their steps as local activities. */
export const LOCAL_STEP_WRITES = 'local-step-writes';
/**
 * From 2026-12-04 they write them as activities again. A local activity commits during the
 * workflow task, before the history records anything; when that task fails or times out (a
 * killed or overloaded worker), its retry re-runs the code with whatever signal or update came
 * in meanwhile, which may now take the step's number first: that step was then dropped as a
 * repeat of the committed one, and the committed one written again under the next number (bench
 * soak: duplicated welcomes, a stage ahead of the workflow). An activity only runs once its task
 * has been recorded, so the numbers it carries are the history's.
 */
export const REMOTE_STEP_WRITES = 'remote-step-writes';

/** Records steps through the activity this journey's (or referral's) history says it used. */
export async function writeSteps(steps: JourneyStep[]): Promise<void> {
  const writer = patched(REMOTE_STEP_WRITES) ? remote : patched(LOCAL_STEP_WRITES) ? local : remote;
  if (steps.length === 1) await writer.recordStep(steps[0]);
  else await writer.recordSteps(steps);
}
