import type { ClosureReason, Outcome, Segment, Stage } from './codes';

/**
 * What a journey workflow is started with. Nothing here identifies the young person: the case
 * id, and attributes that are shared by thousands of others.
 */
export interface JourneyInput {
  caseId: string;
  policyVersion: number;
  segment: Segment;
  departement: string;
  capturedAt: string;
}

/** `system`, `youth`, `counsellor:<sub>`, `partner:<partnerId>`, `intake`. */
export type Actor = string;

/** The live view the `state` query answers with. */
export interface JourneyState {
  caseId: string;
  stage: Stage;
  stageEnteredAt: string;
  segment: Segment;
  policyVersion: number;
  closure?: { reason: ClosureReason; outcome?: Outcome };
  eventSeq: number;
}
