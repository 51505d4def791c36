import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { redactActivityFailures } from './activity-failures';

const interceptor = redactActivityFailures({} as never).inbound as Required<ActivityInboundCallsInterceptor>;
const input = { args: [], headers: {} } as ActivityExecuteInput;
const failing = (err: unknown) => () => Promise.reject(err);

describe('redactActivityFailures', () => {
  it('an unexpected error reaches Temporal without the contact details or dates it quoted, message and stack', async () => {
    const raw = new TypeError('cannot send to lea.martin@example.org (+33612345678), born 2005-03-01');
    const failure = await interceptor.execute(input, failing(raw)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'TypeError', message: 'cannot send to <adresse> (<numéro>), born <date>', nonRetryable: false });
    const stack = (failure as Error).stack!;
    expect(stack).not.toMatch(/example\.org|612345678|2005-03-01/);
    expect(stack).toMatch(/activity-failures\.spec\.ts/);
  });

  it('a failure the code raised on purpose passes as it is', async () => {
    const own = ApplicationFailure.nonRetryable('Case 42 does not exist', 'UnknownCase');
    expect(await interceptor.execute(input, failing(own)).catch((e: unknown) => e)).toBe(own);
  });

  it('a result passes as it is', async () => {
    expect(await interceptor.execute(input, () => Promise.resolve(7))).toBe(7);
  });
});
