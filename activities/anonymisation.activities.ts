import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { MessageDispatcher } from '@walt/messaging';
import {
  ANONYMISATION_ACTOR,
  ANONYMISATION_NOTICE,
  AnonymisationRepository,
  JourneyStepsWriter,
  PoliciesRepository,
} from '@walt/persistence';
import { journeyWorkflowId } from '@walt/temporal';
import { closeUpdate } from '../workflows/messages';

/** A page of the scan, as the workflow sees it: ids and ISO times only. */
export interface InactivePage {
  youths: { youthId: string; caseId: string; openCaseIds: string[]; lastActivityAt: string; noticedAt: string | null }[];
}

/** Automatic anonymisation after inactivity: the scan, the notice, the anonymisation. */
export class AnonymisationActivities {
  private readonly anonymisation: AnonymisationRepository;
  private readonly steps: JourneyStepsWriter;
  private readonly policies: PoliciesRepository;

  constructor(
    dataSource: DataSource,
    private readonly options: { dispatcher?: MessageDispatcher } = {},
  ) {
    this.anonymisation = new AnonymisationRepository(dataSource);
    this.steps = new JourneyStepsWriter(dataSource);
    this.policies = new PoliciesRepository(dataSource);
  }

  /** The current policy's delays, when the run starts. */
  async anonymisationPolicy(): Promise<{ anonymiseAfterInactivity: string; anonymiseNoticeBefore: string }> {
    const { anonymiseAfterInactivity, anonymiseNoticeBefore } = await this.policies.current();
    return { anonymiseAfterInactivity, anonymiseNoticeBefore };
  }

  async inactiveYouths(input: { before: string; after: string | null; limit: number; only?: string[] }): Promise<InactivePage> {
    const youths = await this.anonymisation.inactive(new Date(input.before), input.after, input.limit, input.only);
    return {
      youths: youths.map((y) => ({ ...y, lastActivityAt: y.lastActivityAt.toISOString(), noticedAt: y.noticedAt?.toISOString() ?? null })),
    };
  }

  /**
   * The notice, once per period of inactivity (keyed by the last activity): a MESSAGE_QUEUED step
   * of the latest case with the ANONYMISATION_NOTICE message, sent as any message (consents, quiet hours).
   */
  async sendAnonymisationNotice(input: { caseId: string; lastActivityAt: string; at: string }): Promise<void> {
    const messages = await this.steps.write({
      caseId: input.caseId,
      idempotencyKey: `anonymisation-notice:${input.caseId}:${input.lastActivityAt}`,
      type: 'MESSAGE_QUEUED',
      actor: ANONYMISATION_ACTOR,
      at: input.at,
      data: { purpose: ANONYMISATION_NOTICE },
      messages: [{ purpose: ANONYMISATION_NOTICE, recipient: 'YOUTH' }],
    });
    await this.options.dispatcher?.dispatch(messages);
  }

  /** Closes the journeys still open (as a counsellor would, reason OTHER), then erases; a repeat changes nothing. */
  async anonymiseYouth(input: { youthId: string; openCaseIds: string[]; at: string }): Promise<boolean> {
    const client = Context.current().client;
    for (const caseId of input.openCaseIds) {
      try {
        await client.workflow.getHandle(journeyWorkflowId(caseId)).executeUpdate(closeUpdate, {
          args: [{ actor: ANONYMISATION_ACTOR, reason: 'OTHER' }],
        });
      } catch (err) {
        // Already ended (closed meanwhile, or never started): nothing to close.
        if (!(err instanceof WorkflowNotFoundError) && !/already completed|NotAllowed|not allowed/i.test(String((err as Error).message)))
          throw err;
      }
    }
    return this.anonymisation.anonymise(input.youthId, new Date(input.at));
  }
}
