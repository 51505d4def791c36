import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { redactPersonalData } from '@walt/domain';

/**
 * An activity's failure is kept by Temporal (the pending activity's last failure, then the
 * history), outside the database erasure reaches. Failures the code raises on purpose
 * (ApplicationFailure, with ids and codes) pass as they are; any other error (a driver's, a
 * provider's, a bug's) leaves with its message and stack redacted of contact details and dates.
 */
export const redactActivityFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        if (err instanceof TemporalFailure) throw err;
        const error = err instanceof Error ? err : new Error(String(err));
        const message = redactPersonalData(error.message);
        const failure = ApplicationFailure.create({ type: error.name, message });
        // The frames say where it failed; the first line of the stack repeats the raw message.
        const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
        failure.stack = [`${error.name}: ${message}`, ...frames].join('\n');
        throw failure;
      }
    },
  },
});
