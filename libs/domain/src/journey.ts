import type { ClosureReason, Outcome, Segment, Stage } from './codes';
import type { Policy } from './policy';

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
  /**
   * The body of policy `policyVersion`, when the starter had it at hand (intake did, in its
   * transaction): the journey then needs no activity to load it. Journeys started without it
   * (older ones, the reconciler's) load it by version.
   */
  policy?: Policy;
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
