import { assignVariant, durationMs, isNudge } from '../libs/domain/src';
import { continueAsNewSuggested, JourneySteps } from './journey-steps';

/** Nudges at the policy's offsets until the young person answers or is reached. */
export async function engagement(s: JourneySteps): Promise<void> {
  const { journey } = s;
  const policy = journey.policy;
  const nudges = policy.nudgeOffsets.map(durationMs);
  const escalateAfter = durationMs(policy.escalateUnresponsiveAfter);
  const closeAfter = durationMs(policy.closeUnreachableAfter);
  const inPhase = () => journey.phase === 'ENGAGEMENT' && !journey.isClosed && !continueAsNewSuggested();
  const answered = () => journey.respondedBy !== undefined && !journey.isPaused;
  // Journeys started before the experiment existed carry a policy without it: no variant.
  const variant = assignVariant(journey.input.caseId, policy.nudgeExperiment);
  const worded = variant && { experiment: policy.nudgeExperiment!.name, variant };

  while (inPhase()) {
    // An immediate welcome goes out even to someone reached at once: it confirms their request.
    const welcomed = journey.nudgesSent > 0 || nudges.length === 0 || nudges[0] > 0;
    if (answered() && welcomed) {
      s.startOrientation();
      await s.moveTo('MATCHING', journey.respondedBy!);
      return;
    }
    const waited = s.activeMs() - journey.phaseStartedAtMs;
    if (journey.nudgesSent < nudges.length && waited >= nudges[journey.nudgesSent] && (journey.nudgesSent === 0 || !answered())) {
      const purpose = journey.nudgesSent === 0 ? 'WELCOME' : `NUDGE_${journey.nudgesSent}`;
      journey.nudgesSent += 1;
      const wording = isNudge(purpose) ? worded : {};
      await s.step('MESSAGE_QUEUED', 'system', { purpose, ...wording }, { messages: [{ purpose, recipient: 'YOUTH', ...wording }] });
    } else if (!journey.escalated && waited >= escalateAfter) {
      journey.escalated = true;
      await s.escalate('UNRESPONSIVE');
    } else if (waited >= closeAfter) {
      await s.close({ reason: 'UNREACHABLE', actor: 'system' });
    } else {
      const next = Math.min(nudges[journey.nudgesSent] ?? Infinity, journey.escalated ? Infinity : escalateAfter, closeAfter);
      await s.waitActive(journey.phaseStartedAtMs + next, () => answered() || !inPhase());
    }
  }
}
