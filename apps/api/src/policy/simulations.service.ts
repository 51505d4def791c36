import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { SimulationRequest, SimulationResult, SimulationView } from '@walt/simulation';
import { policySimulationWorkflowId, TASK_QUEUE } from '@walt/temporal';
import { simulationStateQuery } from '../../../../workflows/messages';
import { ErrorBody, notFound, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { PolicyService } from './policy.service';

type Details = ErrorBody['details'];

/** Bounds of a what-if: big enough to say something, small enough for the machine that runs it. */
export const SIMULATION_LIMITS = {
  size: { min: 1, max: 500 },
  seeds: { min: 1, max: 5, default: 3 },
  msPerDay: { min: 100, max: 10_000, default: 1000 },
  arrivalDays: { min: 1, max: 60, default: 14 },
  horizonDays: { min: 7, max: 365, default: 45 },
  /** The history the cohort is drawn from, by default: the last 90 days. */
  defaultPeriodDays: 90,
};

const FIELDS = ['policy', 'cohort', 'seeds', 'msPerDay', 'arrivalDays', 'horizonDays'];
const COHORT_FIELDS = ['size', 'from', 'to'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The failure under the workflow's and the activity's wrappers: what actually went wrong. */
function rootCause(err: Error): string {
  let cause = err;
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}

/**
 * What-ifs of a policy change: the draft is validated as PUT /v1/policy would, then a
 * policySimulationWorkflow runs it beside the current policy (the worker hosts the runs). The
 * API keeps nothing: progress and result are the workflow's, read by query or from its result.
 */
@Injectable()
export class SimulationsService {
  constructor(
    private readonly policy: PolicyService,
    private readonly clock: Clock,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async start(body: unknown): Promise<{ id: string; simulationId: string }> {
    const { request, policyBody } = this.check(body);
    const { current, draft } = await this.policy.draft(policyBody);
    const { version: _, ...currentPolicy } = current;
    const simulationId = randomUUID();
    const input: SimulationRequest = { ...request, simulationId, current: currentPolicy, draft };
    await this.client.workflow.start('policySimulationWorkflow', {
      workflowId: policySimulationWorkflowId(simulationId),
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    return { id: simulationId, simulationId };
  }

  async view(simulationId: string): Promise<SimulationView> {
    if (!UUID.test(simulationId)) throw notFound('This simulation');
    const handle = this.client.workflow.getHandle(policySimulationWorkflowId(simulationId));
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') {
        const result: SimulationResult = await handle.result();
        const runsTotal = result.runs.length * 2;
        return { status: 'DONE', progress: { runsDone: runsTotal, runsTotal, fraction: 1 }, result };
      }
      // Until its first task has run, the workflow cannot answer a query: it has done nothing yet.
      const starting: SimulationView = { status: 'RUNNING', progress: { runsDone: 0, runsTotal: 0, fraction: 0 } };
      if (status.name === 'RUNNING') return await handle.query(simulationStateQuery).catch(() => starting);
      const error = await handle.result().then(() => status.name, rootCause);
      return {
        status: 'FAILED',
        progress: { runsDone: 0, runsTotal: 0, fraction: 0 },
        error: `The simulation ${status.name.toLowerCase()}: ${error}`,
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('This simulation');
      throw err;
    }
  }

  /** Every problem of the body at once, each named by its field; the policy is checked by PolicyService. */
  private check(body: unknown): { request: Omit<SimulationRequest, 'simulationId' | 'current' | 'draft'>; policyBody: unknown } {
    if (!isObject(body)) throw validationError([{ field: 'body', message: 'must be a JSON object { policy, cohort, seeds? }' }]);
    const details: Details = [];
    for (const key of Object.keys(body)) {
      if (!FIELDS.includes(key)) details.push({ field: key, message: `is not a simulation field (fields: ${FIELDS.join(', ')})` });
    }
    if (!isObject(body.policy)) details.push({ field: 'policy', message: 'must be an object: the draft policy (partial allowed)' });
    const int = (field: string, value: unknown, bounds: { min: number; max: number; default?: number }) => {
      if (value === undefined && bounds.default !== undefined) return bounds.default;
      if (!Number.isInteger(value) || (value as number) < bounds.min || (value as number) > bounds.max) {
        details.push({ field, message: `must be an integer between ${bounds.min} and ${bounds.max}` });
        return bounds.min;
      }
      return value as number;
    };
    const cohort = isObject(body.cohort) ? body.cohort : undefined;
    if (!cohort) details.push({ field: 'cohort', message: 'must be an object { size, from?, to? }' });
    for (const key of Object.keys(cohort ?? {})) {
      if (!COHORT_FIELDS.includes(key)) details.push({ field: `cohort.${key}`, message: 'is not a cohort field (size, from, to)' });
    }
    const size = cohort ? int('cohort.size', cohort.size, SIMULATION_LIMITS.size) : 1;
    const date = (field: string, value: unknown, fallback: Date) => {
      if (value === undefined) return fallback;
      const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
      if (Number.isNaN(at.getTime())) details.push({ field, message: 'must be an ISO 8601 date or time' });
      return at;
    };
    const now = this.clock.now();
    const to = date('cohort.to', cohort?.to, now);
    const from = date('cohort.from', cohort?.from, new Date(to.getTime() - SIMULATION_LIMITS.defaultPeriodDays * 86_400_000));
    if (from.getTime() >= to.getTime()) details.push({ field: 'cohort.from', message: 'must be before cohort.to' });
    const seedCount = int('seeds', body.seeds, SIMULATION_LIMITS.seeds);
    const msPerDay = int('msPerDay', body.msPerDay, SIMULATION_LIMITS.msPerDay);
    const arrivalDays = int('arrivalDays', body.arrivalDays, SIMULATION_LIMITS.arrivalDays);
    const horizonDays = int('horizonDays', body.horizonDays, SIMULATION_LIMITS.horizonDays);
    if (details.length) throw validationError(details);
    return {
      request: {
        cohort: { size, from: from.toISOString(), to: to.toISOString() },
        seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
        msPerDay,
        arrivalDays,
        horizonDays,
      },
      policyBody: body.policy,
    };
  }
}
