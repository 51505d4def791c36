import type { ClosureReason, JourneyInput, JourneyState, Outcome, Segment, Stage } from '../libs/domain/src';

/**
 * The journey's entity state. Handlers and the workflow body delegate to it; it knows nothing
 * of Temporal, so its rules read (and can be tested) on their own.
 */
export class Journey {
  stage: Stage = 'CAPTURED';
  stageEnteredAt: string;
  segment: Segment;
  closure?: { reason: ClosureReason; outcome?: Outcome };
  /** Sequence of recorded steps: each step's idempotency key is `<caseId>:<seq>`. */
  eventSeq = 0;

  constructor(readonly input: JourneyInput) {
    this.stageEnteredAt = input.capturedAt;
    this.segment = input.segment;
  }

  nextEventKey(): string {
    this.eventSeq += 1;
    return `${this.input.caseId}:${this.eventSeq}`;
  }

  enter(stage: Stage, at: string): void {
    this.stage = stage;
    this.stageEnteredAt = at;
  }

  get isClosed(): boolean {
    return this.stage === 'CLOSED';
  }

  view(): JourneyState {
    return {
      caseId: this.input.caseId,
      stage: this.stage,
      stageEnteredAt: this.stageEnteredAt,
      segment: this.segment,
      policyVersion: this.input.policyVersion,
      closure: this.closure,
      eventSeq: this.eventSeq,
    };
  }
}
