import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { DataSource, IsNull } from 'typeorm';
import type { JourneyInput } from '@walt/domain';
import { CaseEntity } from '@walt/persistence';
import { journeyWorkflowId, TASK_QUEUE } from './names';
import { DEPARTEMENT, JOURNEY_STAGE, SEGMENT } from './search-attributes';

/**
 * Starts the journey of a case that is already committed to PostgreSQL, then marks it started.
 * Safe to call any number of times (USE_EXISTING): intake calls it right after its transaction,
 * the reconciler calls it for any case whose journey was never confirmed.
 */
export class JourneyStarter {
  constructor(
    private readonly client: Client,
    private readonly dataSource: DataSource,
    /** A simulated run starts its journeys on its own queue (simulationTaskQueue). */
    private readonly taskQueue = TASK_QUEUE,
  ) {}

  async start(kase: CaseEntity): Promise<void> {
    const input: JourneyInput = {
      caseId: kase.id,
      policyVersion: kase.policyVersion,
      segment: kase.segment,
      departement: kase.departement,
      capturedAt: kase.createdAt.toISOString(),
    };
    await this.client.workflow.start('journeyWorkflow', {
      workflowId: journeyWorkflowId(kase.id),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: JOURNEY_STAGE, value: kase.stage },
        { key: SEGMENT, value: kase.segment },
        { key: DEPARTEMENT, value: kase.departement },
      ],
    });
    await this.dataSource.getRepository(CaseEntity).update({ id: kase.id, journeyStartedAt: IsNull() }, { journeyStartedAt: new Date() });
  }
}
