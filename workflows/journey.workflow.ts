import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { JourneyInput, Stage } from '../libs/domain/src';
import type { JourneyActivities } from '../activities/journey.activities';
import { DEPARTEMENT, JOURNEY_STAGE, SEGMENT } from '../libs/temporal/src/search-attributes';
import { Journey } from './journey-state';
import { stateQuery } from './messages';

const { recordStep } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * One young person's journey. Carries only the case id and non-identifying attributes; every
 * step is written to `journey_events` (and the `cases` projection) by an idempotent activity.
 */
export async function journeyWorkflow(input: JourneyInput): Promise<void> {
  const journey = new Journey(input);
  setHandler(stateQuery, () => journey.view());

  await record('CAPTURED', 'intake', input.capturedAt, { segment: input.segment, departement: input.departement });
  upsertSearchAttributes([
    { key: SEGMENT, value: input.segment },
    { key: DEPARTEMENT, value: input.departement },
  ]);
  await moveTo('ENGAGING', 'system');

  // The later stages (nudges, matching, referrals, check-ins) build on this; until then the
  // journey stays open for counsellors to act on.
  await condition(() => journey.isClosed);

  async function moveTo(stage: Stage, actor: string, data: Record<string, unknown> = {}) {
    const at = new Date().toISOString();
    await record('STAGE_CHANGED', actor, at, { from: journey.stage, to: stage, ...data }, stage);
    journey.enter(stage, at);
    upsertSearchAttributes([{ key: JOURNEY_STAGE, value: stage }]);
  }

  async function record(type: string, actor: string, at: string, data: Record<string, unknown>, stage?: Stage) {
    await recordStep({ caseId: input.caseId, idempotencyKey: journey.nextEventKey(), type, actor, at, data, stage });
  }
}
