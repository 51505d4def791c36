import type { DataSource } from 'typeorm';
import type { Policy } from '@walt/domain';
import type { MessageDispatcher } from '@walt/messaging';
import { JourneyStep, JourneyStepsWriter, PoliciesRepository, StepEffects } from '@walt/persistence';

/** What a step carries: ids, codes and ISO times; personal data is read here, never carried. */
export type { JourneyStep, StepEffects };

/** Writes the journey's steps: the event and all it changes, together, at most once. */
export class JourneyActivities {
  private readonly steps: JourneyStepsWriter;
  private readonly policies: PoliciesRepository;

  constructor(
    dataSource: DataSource,
    private readonly options: { dispatcher?: MessageDispatcher } = {},
  ) {
    this.steps = new JourneyStepsWriter(dataSource);
    this.policies = new PoliciesRepository(dataSource);
  }

  async loadPolicy(version: number): Promise<Policy> {
    const policy = await this.policies.version(version);
    if (!policy) throw new Error(`Policy version ${version} does not exist`);
    const { version: _, ...body } = policy;
    return body;
  }

  /** Returns the number of outbound messages queued by this step (0 on a repeat). */
  async recordStep(step: JourneyStep): Promise<number> {
    const messages = await this.steps.write(step);
    await this.options.dispatcher?.dispatch(messages); // after the commit; never throws (the sweeper catches up)
    return messages.length;
  }

  /** Several steps in one transaction (the journey's first write); returns the messages queued. */
  async recordSteps(steps: JourneyStep[]): Promise<number> {
    const messages = await this.steps.writeAll(steps);
    await this.options.dispatcher?.dispatch(messages);
    return messages.length;
  }
}
