import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { JourneyInput, VersionedPolicy } from '@walt/domain';
import { CaseEntity, PoliciesRepository } from '@walt/persistence';
import { journeyWorkflowId, TASK_QUEUE } from './names';
import { DEPARTEMENT, JOURNEY_STAGE, SEGMENT } from './search-attributes';

/**
 * Starts the journey of a case that is already committed to PostgreSQL. Safe to call any number
 * of times (USE_EXISTING): intake calls it right after its transaction, the reconciler calls it
 * for any case whose journey was never confirmed. The journey's first write marks the case
 * started (`journey_started_at`), so intake needs no second write of its own and does not wait
 * for the start to be accepted; a start lost on the way is the reconciler's.
 */
export class JourneyStarter {
  constructor(
    private readonly client: Client,
    private readonly dataSource: DataSource,
    /** A simulated run starts its journeys on its own queue (simulationTaskQueue). */
    private readonly taskQueue = TASK_QUEUE,
  ) {}

  /** `policy`: the case's policy version if the caller has it (intake read it in its transaction). */
  async start(kase: CaseEntity, policy?: VersionedPolicy): Promise<void> {
    const { version, ...body } = policy?.version === kase.policyVersion ? policy : await this.policyOf(kase);
    const input: JourneyInput = {
      caseId: kase.id,
      policyVersion: version,
      segment: kase.segment,
      departement: kase.departement,
      capturedAt: kase.createdAt.toISOString(),
      policy: body,
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
  }

  private async policyOf(kase: CaseEntity): Promise<VersionedPolicy> {
    const policy = await new PoliciesRepository(this.dataSource).version(kase.policyVersion);
    if (!policy) throw new Error(`Policy version ${kase.policyVersion} does not exist`);
    return policy;
  }
}
