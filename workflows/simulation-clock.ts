/**
 * Simulated time for the workflows of a what-if run (task queues `simulation-…`, see
 * simulationTaskQueue), so that a seed gives the same result whatever the machine's load: the
 * run's driver (activities/simulation.activities.ts) owns a logical clock and moves it one instant
 * at a time; here, the real journey and referral code lives on that clock instead of the wall's.
 *
 * - `Date.now()` and `new Date()` of the workflow read the driver's instant, not the task's start;
 * - every start, signal and update from the driver carries its instant (header `simulation-now`),
 *   and a journey gives its own to the referrals it starts and to its next run;
 * - a timer (a `sleep`, the timeout of a `condition`) starts no server timer: it is a deadline
 *   on the logical clock, fired when the driver's `simulationClock` signal reaches it;
 * - the `simulationClock` query tells the driver whether the instant is over (no activity,
 *   child start or signal still in flight) and which deadlines come next.
 *
 * On any other task queue it adds nothing: real journeys run exactly as without it (same
 * commands, same histories), so it needs no patched(). It is in every bundle (the pre-built one
 * too) because a worker of a simulated run may load the production bundle.
 */
import {
  CancellationScope,
  condition,
  ContinueAsNew,
  defaultPayloadConverter,
  setHandler,
  workflowInfo,
  type Headers,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
// The SDK's own workflow context: its `now` is what the sandbox's Date reads (set from each task's
// start, before the interceptors run). Not public API: pinned by the SDK version (package.json).
import { getActivator } from '@temporalio/workflow/lib/global-attributes';
import { SIMULATION_TASK_QUEUE_PREFIX } from '../libs/temporal/src/names';
import { SIMULATION_CLOCK_HEADER, simulationClockQuery, simulationClockSignal } from './messages';

export const interceptors = (): WorkflowInterceptors => {
  if (!workflowInfo().taskQueue.startsWith(SIMULATION_TASK_QUEUE_PREFIX)) return {};
  let now: number | undefined;
  let pending = 0;
  let done = false;
  const timers = new Map<number, { deadline: number; fire: () => void }>();
  const children = new Map<string, { ended: boolean }>();
  const release = () => void (pending -= 1);
  const counted = <T>(work: Promise<T>): Promise<T> => {
    pending += 1;
    work.then(release, release);
    return work;
  };
  /** The clock reaches `instant`: the workflow's Date reads it (the activator's `now`), and the timers due by then fire. */
  const advance = (instant: number) => {
    now = Math.max(now ?? instant, instant);
    getActivator().now = now;
    const due = [...timers.entries()].filter(([, t]) => t.deadline <= now!).sort(([a, x], [b, y]) => x.deadline - y.deadline || a - b);
    for (const [seq, timer] of due) {
      timers.delete(seq);
      timer.fire();
    }
  };
  const fromHeaders = (headers: Headers) => {
    const header = headers[SIMULATION_CLOCK_HEADER];
    if (header) advance(defaultPayloadConverter.fromPayload<number>(header));
  };
  const withClock = (headers: Headers): Headers =>
    now === undefined ? headers : { ...headers, [SIMULATION_CLOCK_HEADER]: defaultPayloadConverter.toPayload(now) };

  setHandler(simulationClockSignal, advance);
  setHandler(simulationClockQuery, () => ({
    now,
    pending,
    deadlines: [...timers.values()].map((t) => t.deadline).sort((a, b) => a - b),
    children: [...children.entries()].map(([workflowId, child]) => ({ workflowId, ended: child.ended })),
    done,
  }));

  return {
    internals: [
      {
        activate(input, next) {
          if (now !== undefined) getActivator().now = now;
          return next(input);
        },
      },
    ],
    inbound: [
      {
        async execute(input, next) {
          fromHeaders(input.headers);
          await condition(() => now !== undefined); // started without an instant: the driver tells it
          try {
            const result = await next(input);
            done = true;
            return result;
          } catch (err) {
            done = !(err instanceof ContinueAsNew); // a journey continuing as new goes on in its next run
            throw err;
          }
        },
        handleSignal(input, next) {
          fromHeaders(input.headers);
          return next(input);
        },
        validateUpdate(input, next) {
          fromHeaders(input.headers);
          return next(input);
        },
        handleUpdate(input, next) {
          fromHeaders(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        // Cancelled as a real timer is (a condition met before its timeout cancels its timer).
        startTimer(input) {
          return new Promise<void>((resolve, reject) => {
            const scope = CancellationScope.current();
            if (scope.consideredCancelled) {
              scope.cancelRequested.catch(reject);
              return;
            }
            if (scope.cancellable) scope.cancelRequested.catch((err) => timers.delete(input.seq) && reject(err));
            timers.set(input.seq, { deadline: now! + input.durationMs, fire: resolve });
          });
        },
        scheduleActivity: (input, next) => counted(next(input)),
        scheduleLocalActivity: (input, next) => counted(next(input)),
        signalWorkflow: (input, next) => counted(next({ ...input, headers: withClock(input.headers) })),
        continueAsNew: (input, next) => next({ ...input, headers: withClock(input.headers) }),
        // In flight until the child has started; its end is what the driver checks against the child's own `done`.
        async startChildWorkflowExecution(input, next) {
          const child = { ended: false };
          children.set(input.options.workflowId!, child);
          const [started, completed] = await counted(next({ ...input, headers: withClock(input.headers) }));
          counted(started).catch(() => undefined);
          completed.then(
            () => (child.ended = true),
            () => (child.ended = true),
          );
          return [started, completed];
        },
      },
    ],
  };
};
