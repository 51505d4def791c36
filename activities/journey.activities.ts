import type { DataSource } from 'typeorm';
import type { Stage } from '@walt/domain';
import { JourneyEventsRepository } from '@walt/persistence';

export interface RecordStepInput {
  caseId: string;
  idempotencyKey: string;
  type: string;
  actor: string;
  /** ISO time from the workflow clock, so a retry records the same instant. */
  at: string;
  data: Record<string, unknown>;
  stage?: Stage;
}

/** Writes the journey's steps: the event and the projection, together, at most once. */
export class JourneyActivities {
  private readonly events: JourneyEventsRepository;

  constructor(dataSource: DataSource) {
    this.events = new JourneyEventsRepository(dataSource);
  }

  async recordStep(step: RecordStepInput): Promise<boolean> {
    const { stage, at, ...event } = step;
    return this.events.record({ ...event, at: new Date(at) }, stage ? { stage } : {});
  }
}
