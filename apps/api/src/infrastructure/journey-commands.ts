import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { CaseEntity, CaseNotesRepository } from '@walt/persistence';
import { JourneyStarter, journeyWorkflowId, referralWorkflowId } from '@walt/temporal';
import { NOT_ALLOWED } from '../../../../workflows/messages';
import { conflict, unavailable } from '../common/api-error';
import { idempotentNoteId, idempotentUpdateId } from '../idempotency/idempotency-context';
import { TEMPORAL_CLIENT } from './tokens';

/**
 * The one way the API changes a journey: a Temporal update (or signal) on its workflow.
 * An update's validator refusing the action becomes 409 with the workflow's own message,
 * which names the stage; a finished workflow is a conflict too, never a 500. An action on a case
 * whose journey has not started yet (the form answers at its commit; a start can be in flight or
 * lost) starts it, as the reconciler would, and is then applied: the counsellor is not told to
 * come back later.
 */
@Injectable()
export class JourneyCommands {
  private readonly logger = new Logger(JourneyCommands.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly notes: CaseNotesRepository,
    private readonly dataSource: DataSource,
    private readonly starter: JourneyStarter,
  ) {}

  /**
   * Free text that comes with an action is stored in case_notes first and travels as its id
   * (workflows never carry text). Under an Idempotency-Key the id comes from the key, so a retry
   * reuses its first attempt's note. If the journey refuses the action, the note goes too.
   */
  async withNote(caseId: string, author: string, text: string | undefined, action: (noteId?: string) => Promise<void>): Promise<void> {
    const note = text?.trim() ? await this.notes.add(caseId, author, text.trim(), undefined, idempotentNoteId(caseId)) : undefined;
    try {
      await action(note?.id);
    } catch (err) {
      if (note && err instanceof HttpException && err.getStatus() === HttpStatus.CONFLICT) await this.notes.removeUnreferenced(note.id);
      throw err;
    }
  }

  async updateJourney<A>(caseId: string, update: UpdateDefinition<void, [A]>, arg: A): Promise<void> {
    const workflowId = journeyWorkflowId(caseId);
    await this.onJourney(caseId, () =>
      this.client.workflow
        .getHandle(workflowId)
        .executeUpdate(update, { args: [arg], updateId: idempotentUpdateId(workflowId, update.name) }),
    );
  }

  async updateReferral<A>(caseId: string, attempt: number, update: UpdateDefinition<void, [A]>, arg: A): Promise<void> {
    const workflowId = referralWorkflowId(caseId, attempt);
    await this.run(
      () =>
        this.client.workflow
          .getHandle(workflowId)
          .executeUpdate(update, { args: [arg], updateId: idempotentUpdateId(workflowId, update.name) }),
      'This referral is no longer pending (already decided, expired or withdrawn).',
    );
  }

  async signalJourney<A>(caseId: string, signal: SignalDefinition<[A]>, arg: A): Promise<void> {
    await this.onJourney(caseId, () => this.client.workflow.getHandle(journeyWorkflowId(caseId)).signal(signal, arg));
  }

  async signalReferral<A>(caseId: string, attempt: number, signal: SignalDefinition<[A]>, arg: A): Promise<void> {
    await this.run(
      () => this.client.workflow.getHandle(referralWorkflowId(caseId, attempt)).signal(signal, arg),
      'This referral has already ended.',
    );
  }

  /** An action on the journey; without a workflow, the journey is started if it never was, and the action applied once more. */
  private async onJourney(caseId: string, action: () => Promise<unknown>): Promise<void> {
    const ended = 'The journey of this case has ended (CLOSED).';
    await this.run(action, ended, async () => {
      if (!(await this.startIfNotStarted(caseId))) return false;
      await this.run(action, ended);
      return true;
    });
  }

  /** Starts the journey of a case that has none yet (no first write, not closed); false when it had one, which has ended. */
  private async startIfNotStarted(caseId: string): Promise<boolean> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase || kase.journeyStartedAt || kase.stage === 'CLOSED') return false;
    await this.starter.start(kase);
    return true;
  }

  private async run(action: () => Promise<unknown>, whenFinished: string, whenMissing?: () => Promise<boolean>): Promise<void> {
    try {
      await action();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === NOT_ALLOWED) {
        throw conflict(err.cause.message);
      }
      if (err instanceof WorkflowNotFoundError || /workflow execution already completed/i.test((err as Error).message)) {
        if (whenMissing && (await whenMissing())) return;
        throw conflict(whenFinished);
      }
      if (isTransient(err)) {
        this.logger.warn(`Temporal did not take the action: ${(err as Error).message} (${transientCause(err)})`);
        throw unavailable(
          'The journeys did not answer in time (the service is busy or restarting); try again in a moment, with the same Idempotency-Key so that nothing is done twice.',
        );
      }
      throw err;
    }
  }
}

/** gRPC codes of a server that is overloaded, restarting or cut off: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE. */
const TRANSIENT_CODES = new Set([1, 4, 8, 10, 14]);
const grpcCause = (err: unknown) => (err instanceof ServiceError ? err.cause : err);
const isTransient = (err: unknown) => {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const cause = grpcCause(err);
  return isGrpcServiceError(cause) && TRANSIENT_CODES.has(cause.code);
};
const transientCause = (err: unknown) => {
  const cause = grpcCause(err);
  return isGrpcServiceError(cause) ? `gRPC ${cause.code}: ${cause.details}` : (err as Error).constructor.name;
};
