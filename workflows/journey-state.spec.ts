import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_POLICY, STAGES, type Stage } from '../libs/domain/src';
import { Journey, type Phase } from './journey-state';
import { NOT_ALLOWED } from './messages';

const input = {
  caseId: 'case-1',
  policyVersion: 1,
  segment: 'CHOMEUR_CLASSIQUE' as const,
  departement: '75',
  capturedAt: '2026-01-15T10:00:00Z',
};

/** A journey standing in `stage` (and the phase that stage is normally lived in). */
function journeyIn(stage: Stage, phase: Phase = phaseOf(stage)): Journey {
  const journey = new Journey(input, Date.parse(input.capturedAt));
  journey.policy = DEFAULT_POLICY;
  journey.stage = stage;
  journey.phase = phase;
  return journey;
}

function phaseOf(stage: Stage): Phase {
  if (stage === 'ACCEPTED') return 'PATHWAY_START';
  if (stage === 'IN_PATHWAY') return 'FOLLOW_UP';
  if (['MATCHING', 'REFERRED'].includes(stage)) return 'ORIENTATION';
  return 'ENGAGEMENT';
}

/** The refusal's message, or 'allowed'. */
function verdict(rule: () => void): string {
  try {
    rule();
    return 'allowed';
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(NOT_ALLOWED);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    return (err as Error).message;
  }
}

const allowedIn = (rule: (journey: Journey) => void) =>
  STAGES.filter((stage) => stage !== 'CAPTURED' && verdict(() => rule(journeyIn(stage))) === 'allowed');

describe('Journey: what each action needs (a refusal is a 409 naming the stage)', () => {
  it.each([
    [
      'log a contact',
      (j: Journey) => j.canLogContact(),
      ['ENGAGING', 'MATCHING', 'REFERRED', 'ACCEPTED', 'IN_PATHWAY', 'NEEDS_COUNSELLOR', 'PAUSED'],
    ],
    [
      'change the profile',
      (j: Journey) => j.canChangeProfile(),
      ['ENGAGING', 'MATCHING', 'REFERRED', 'ACCEPTED', 'IN_PATHWAY', 'NEEDS_COUNSELLOR', 'PAUSED'],
    ],
    ['refer to a partner', (j: Journey) => j.canOverride('p-2'), ['ENGAGING', 'MATCHING', 'REFERRED', 'NEEDS_COUNSELLOR']],
    ['rematch', (j: Journey) => j.canRematch(), ['MATCHING', 'REFERRED', 'NEEDS_COUNSELLOR']],
    ['pause', (j: Journey) => j.canPause(), ['ENGAGING', 'MATCHING', 'ACCEPTED', 'IN_PATHWAY', 'NEEDS_COUNSELLOR']],
    ['resume', (j: Journey) => j.canResume(), ['PAUSED']],
    ['close', (j: Journey) => j.canClose(), ['ENGAGING', 'MATCHING', 'REFERRED', 'ACCEPTED', 'IN_PATHWAY', 'NEEDS_COUNSELLOR', 'PAUSED']],
    ['record a check-in', (j: Journey) => j.canRecordCheckIn(), ['IN_PATHWAY']],
  ] as const)('%s: allowed in %j only', (_, rule, stages) => {
    expect(allowedIn(rule)).toEqual(stages);
  });

  it('every refusal names the stage the case is in', () => {
    expect(verdict(() => journeyIn('PAUSED').canRematch())).toBe(
      'Cannot rematch while the case is PAUSED (allowed in MATCHING, REFERRED, NEEDS_COUNSELLOR). Resume the case first.',
    );
    expect(verdict(() => journeyIn('CLOSED').canLogContact())).toBe('Cannot log a contact: the case is CLOSED.');
    expect(verdict(() => journeyIn('REFERRED').canPause())).toMatch(/while the case is REFERRED.*A partner is deciding/);
  });

  it('an override to the partner already asked is refused', () => {
    const journey = journeyIn('REFERRED');
    journey.current = { referralId: 'r-1', partnerId: 'p-1', partnerType: 'MISSION_LOCALE', attempt: 1 };
    expect(verdict(() => journey.canOverride('p-1'))).toBe('The case is already REFERRED to partner p-1.');
    expect(verdict(() => journey.canOverride('p-2'))).toBe('allowed');
  });

  it('check-ins: in follow-up only (NEEDS_COUNSELLOR after a check-in too), and no more than the policy has', () => {
    expect(verdict(() => journeyIn('NEEDS_COUNSELLOR', 'FOLLOW_UP').canRecordCheckIn())).toBe('allowed');
    expect(verdict(() => journeyIn('NEEDS_COUNSELLOR', 'ORIENTATION').canRecordCheckIn())).toMatch(
      /check-ins start once the pathway has started/,
    );
    const done = journeyIn('IN_PATHWAY');
    done.checkInsDone = DEFAULT_POLICY.checkInOffsets.length;
    expect(verdict(() => done.canRecordCheckIn())).toBe('All 3 check-ins of the case are recorded; close the case with its outcome.');
  });

  it('attendance and outcome: on the accepted referral, or on the one whose acceptance is on its way', () => {
    const accepted = journeyIn('ACCEPTED');
    accepted.accepted = { referralId: 'r-1', partnerId: 'p-1', partnerType: 'E2C', attempt: 1 };
    expect(verdict(() => accepted.canRecordAttendance('r-1'))).toBe('allowed');
    expect(verdict(() => accepted.canRecordAttendance('r-0'))).toBe('Attendance is recorded on the accepted referral only.');
    expect(verdict(() => journeyIn('IN_PATHWAY').canRecordAttendance('r-1'))).toMatch(/while the case is IN_PATHWAY/);

    const arriving = journeyIn('REFERRED');
    arriving.current = { referralId: 'r-2', partnerId: 'p-2', partnerType: 'E2C', attempt: 2 };
    expect(arriving.acceptanceOnItsWay('r-2')).toBe(true);
    expect(verdict(() => arriving.canRecordAttendance('r-2'))).toBe('allowed');
    expect(verdict(() => arriving.canReportOutcome('r-2'))).toBe('allowed');
    expect(verdict(() => arriving.canRecordAttendance('r-1'))).toMatch(/while the case is REFERRED/);
  });

  it('a stage is recorded once its STAGE_CHANGED, or a newer one, is written', () => {
    const journey = journeyIn('ENGAGING');
    const escalation = journey.enter('NEEDS_COUNSELLOR', '2026-01-15T10:01:00Z');
    const pause = journey.enter('PAUSED', '2026-01-15T10:02:00Z');
    expect(pause).toBeGreaterThan(escalation);
    journey.stageRecorded(escalation);
    expect(journey.isRecorded).toBe(false);
    journey.stageRecorded(pause);
    journey.stageRecorded(escalation); // the older write landing last changes nothing
    expect(journey.isRecorded).toBe(true);
  });

  it('leaving orientation drops the counsellor requests it could have served', () => {
    const journey = journeyIn('REFERRED');
    journey.rematchRequested = 'counsellor:c-1';
    journey.override = { partnerId: 'p-9', forced: false, actor: 'counsellor:c-1' };
    journey.enterPhase('ORIENTATION', 0);
    expect(journey.rematchRequested).toBe('counsellor:c-1');
    journey.enterPhase('PATHWAY_START', 0);
    expect(journey.rematchRequested).toBeUndefined();
    expect(journey.override).toBeUndefined();
  });

  it('a snapshot carries everything but the input and the referral in flight', () => {
    const journey = journeyIn('REFERRED');
    journey.current = { referralId: 'r-1', partnerId: 'p-1', partnerType: 'E2C', attempt: 1 };
    journey.asked = ['p-1'];
    const snapshot = journey.snapshot();
    expect(snapshot).not.toHaveProperty('input');
    expect(snapshot).not.toHaveProperty('current');
    const resumed = new Journey(input, 0, snapshot);
    expect(resumed.snapshot()).toEqual(snapshot);
  });
});
