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

/** Types of the events in `journey_events`, the audit trail every duration is computed from. */
export const JOURNEY_EVENT_TYPES = [
  'CAPTURED',
  'STAGE_CHANGED',
  'CLOSED',
] as const;
export type JourneyEventType = (typeof JOURNEY_EVENT_TYPES)[number] | (string & {});

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
