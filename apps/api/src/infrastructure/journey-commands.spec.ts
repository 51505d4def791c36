import { HttpStatus } from '@nestjs/common';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { CaseNotesRepository } from '@walt/persistence';
import type { JourneyStarter } from '@walt/temporal';
import { logContactUpdate } from '../../../../workflows/messages';
import { ApiError } from '../common/api-error';
import { JourneyCommands } from './journey-commands';

/** A Temporal client whose every update fails as given (the edge of the world: the server's answers). */
function commandsFailingWith(err: Error) {
  const client = { workflow: { getHandle: () => ({ executeUpdate: () => Promise.reject(err) }) } } as unknown as Client;
  return new JourneyCommands(client, {} as CaseNotesRepository, {} as DataSource, {} as JourneyStarter);
}

const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: { get: () => [] } });
const contact = { channel: 'PHONE' as const, reached: true, actor: 'counsellor:test' };

async function statusOf(err: Error): Promise<number | string> {
  try {
    await commandsFailingWith(err).updateJourney('a-case', logContactUpdate, contact);
    return 'no error';
  } catch (thrown) {
    return thrown instanceof ApiError ? thrown.getStatus() : (thrown as Error).message;
  }
}

describe('JourneyCommands: what a busy or unreachable Temporal becomes', () => {
  it.each([
    ['UNAVAILABLE', 14],
    ['DEADLINE_EXCEEDED', 4],
    ['RESOURCE_EXHAUSTED', 8],
    ['ABORTED (update aborted)', 10],
  ])('a %s behind "Workflow Update failed" is 503 Unavailable, to retry with the same key', async (_, code) => {
    expect(await statusOf(new ServiceError('Workflow Update failed', { cause: grpcError(code, 'busy') }))).toBe(
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  });

  it('an update whose RPC timed out is 503 too', async () => {
    expect(await statusOf(new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out', { cause: new Error('deadline') }))).toBe(
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  });

  it('any other failure stays an error of ours (500, logged), not a 503 that would hide it', async () => {
    expect(await statusOf(new ServiceError('Workflow Update failed', { cause: grpcError(3, 'invalid argument') }))).toBe(
      'Workflow Update failed',
    );
    expect(await statusOf(new TypeError('a bug'))).toBe('a bug');
  });
});
