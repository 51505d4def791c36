import { condition } from '@temporalio/workflow';
import { durationMs } from '../libs/domain/src';
import { continueAsNewSuggested, JourneySteps } from './journey-steps';

/** After acceptance: remind the young person before the appointment; attendance moves on. */
export async function pathwayStart(s: JourneySteps): Promise<void> {
  const { journey } = s;
  const inPhase = () => journey.phase === 'PATHWAY_START' && !journey.isClosed;
  const accepted = journey.accepted;
  if (accepted?.appointmentAt && !journey.appointmentReminded) {
    const remindIn = Date.parse(accepted.appointmentAt) - durationMs(journey.policy.appointmentReminderBefore) - Date.now();
    if (remindIn <= 0 || !(await condition(() => !inPhase(), remindIn))) {
      journey.appointmentReminded = true;
      if (inPhase() && Date.parse(accepted.appointmentAt) > Date.now()) {
        await s.step(
          'MESSAGE_QUEUED',
          'system',
          { purpose: 'APPOINTMENT_REMINDER', referralId: accepted.referralId },
          {
            messages: [
              { purpose: 'APPOINTMENT_REMINDER', recipient: 'YOUTH', partnerId: accepted.partnerId, referralId: accepted.referralId },
            ],
          },
        );
      }
    }
  }
  await condition(() => !inPhase() || continueAsNewSuggested());
}

/** Check-ins at the policy's offsets after the pathway starts; the counsellor records them. */
export async function followUp(s: JourneySteps): Promise<void> {
  const { journey } = s;
  const offsets = journey.policy.checkInOffsets.map(durationMs);
  const inPhase = () => journey.phase === 'FOLLOW_UP' && !journey.isClosed && !continueAsNewSuggested();
  while (inPhase()) {
    const next = Math.max(journey.checkInsPrompted, journey.checkInsDone);
    if (next >= offsets.length) {
      await condition(() => !inPhase());
      return;
    }
    await s.waitActive(journey.phaseStartedAtMs + offsets[next], () => !inPhase() || journey.checkInsDone > next);
    if (!inPhase() || journey.checkInsDone > next) continue;
    journey.checkInsPrompted = next + 1;
    const dueNext = offsets[next + 1];
    await s.step(
      'MESSAGE_QUEUED',
      'system',
      { purpose: 'CHECK_IN', seq: journey.checkInSeqBase + next + 1 },
      {
        messages: [
          { purpose: 'CHECK_IN', recipient: 'YOUTH' },
          { purpose: 'CHECK_IN_DUE', recipient: 'COUNSELLOR' },
        ],
        projection: { nextActionAt: dueNext === undefined ? null : s.wallTimeOfActive(journey.phaseStartedAtMs + dueNext) },
      },
    );
  }
}
