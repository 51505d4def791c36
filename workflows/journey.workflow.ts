import { allHandlersFinished, condition, continueAsNew, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { JourneyInput, JourneyState } from '../libs/domain/src';
import { DEPARTEMENT, SEGMENT } from '../libs/temporal/src/search-attributes';
import { engagement } from './journey-engagement';
import { registerJourneyHandlers } from './journey-handlers';
import { orientation } from './journey-orientation';
import { followUp, pathwayStart } from './journey-pathway';
import { Journey, JourneySnapshot } from './journey-state';
import { continueAsNewSuggested, FIRST_WRITE_IN_ONE_STEP, JourneySteps, loadPolicy } from './journey-steps';

const PHASES = { ENGAGEMENT: engagement, ORIENTATION: orientation, PATHWAY_START: pathwayStart, FOLLOW_UP: followUp };

/**
 * One young person's journey (PRODUCT.md): capture, engagement with nudges, orientation
 * (matching and referrals to partners), pathway start, follow-up check-ins, closure.
 * It carries the case id and non-identifying attributes only; every step is written to
 * `journey_events` and the projections by an idempotent activity, and every duration comes
 * from the policy version the journey started with.
 */
export async function journeyWorkflow(input: JourneyInput, snapshot?: JourneySnapshot): Promise<JourneyState> {
  const journey = new Journey(input, Date.now(), snapshot);
  const steps = new JourneySteps(journey);
  registerJourneyHandlers(steps);

  if (!snapshot) {
    // The starter passes the policy when it has it; older starts (and the reconciler's before
    // this change) gave its version only. Decided by the input, so no patch is needed.
    journey.policy = input.policy ?? (await loadPolicy(input.policyVersion));
    // Dated by the API's clock when the form committed; never after the journey's own first step,
    // whatever the skew between the API's clock and Temporal's (the timeline keeps its order).
    const capturedAt = new Date(Math.min(Date.parse(input.capturedAt), Date.now())).toISOString();
    if (patched(FIRST_WRITE_IN_ONE_STEP)) {
      await steps.begin(capturedAt);
    } else {
      await steps.step('CAPTURED', 'intake', { segment: input.segment, departement: input.departement }, {}, capturedAt);
      upsertSearchAttributes([
        { key: SEGMENT, value: input.segment },
        { key: DEPARTEMENT, value: input.departement },
      ]);
      journey.enterPhase('ENGAGEMENT', steps.activeMs());
      await steps.moveTo('ENGAGING', 'system');
    }
  }

  // Each phase returns when the journey leaves it, closes, or should continue as new.
  while (!journey.isClosed) {
    if (continueAsNewSuggested()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof journeyWorkflow>(input, journey.snapshot());
    }
    await PHASES[journey.phase](steps);
  }
  await condition(allHandlersFinished);
  return journey.view();
}
