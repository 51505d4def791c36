import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { SimulationActivities } from '../activities/simulation.activities';
import { summarise, type RunFigures } from '../libs/simulation/src/figures';
import {
  runBoundMs,
  type PolicyLabel,
  type SimulationRequest,
  type SimulationResult,
  type SimulationRunResult,
  type SimulationView,
} from '../libs/simulation/src/request';
import { simulationStateQuery } from './messages';

/**
 * A what-if of a policy change: for each seed, the same synthetic cohort lives through the
 * current policy and the draft at once, each run on its own task queue and schema (an activity
 * that hosts the real journey and referral workflows, see SimulationActivities); then every
 * figure is put side by side, with its interval over the seeds. A workflow rather than a
 * service in the API, so a simulation survives a restart of the API or of a worker (the run is
 * retried from the start, its schema recreated) and its progress and result are durable.
 */
export async function policySimulationWorkflow(request: SimulationRequest): Promise<SimulationResult> {
  const { runPolicyInSimulation } = proxyActivities<SimulationActivities>({
    startToCloseTimeout: runBoundMs(request),
    heartbeatTimeout: '1 minute',
    retry: { maximumAttempts: 2, initialInterval: '5 seconds' },
  });
  const runsTotal = request.seeds.length * 2;
  const view: SimulationView = { status: 'RUNNING', progress: { runsDone: 0, runsTotal, fraction: 0 } };
  setHandler(simulationStateQuery, () => view);

  const started = Date.now();
  const runs: SimulationRunResult[] = [];
  const run = async (label: PolicyLabel, seed: number) => {
    const { simulationId, cohort, msPerDay, arrivalDays, horizonDays } = request;
    const policy = label === 'current' ? request.current : request.draft;
    const result = await runPolicyInSimulation({ simulationId, cohort, msPerDay, arrivalDays, horizonDays, label, seed, policy });
    view.progress.runsDone += 1;
    view.progress.fraction = view.progress.runsDone / runsTotal;
    return result;
  };
  // One seed at a time, both policies side by side: each run holds a worker and a schema's connections, so seeds at once would multiply them.
  for (const seed of request.seeds) runs.push(...(await Promise.all([run('current', seed), run('draft', seed)])));

  const figuresOf = (label: PolicyLabel) => runs.filter((r) => r.label === label).map((r) => r.figures);
  const bySeed = (label: PolicyLabel, seed: number) => runs.find((r) => r.label === label && r.seed === seed)!.figures;
  const result: SimulationResult = {
    current: summarise<RunFigures>(figuresOf('current')),
    draft: summarise<RunFigures>(figuresOf('draft')),
    runs: request.seeds.map((seed) => ({ seed, current: bySeed('current', seed), draft: bySeed('draft', seed) })),
    model: runs[0].model,
    timeScale: {
      msPerDay: request.msPerDay,
      arrivalDays: request.arrivalDays,
      horizonDays: request.horizonDays,
      wallSeconds: Math.round((Date.now() - started) / 1000),
    },
  };
  view.status = 'DONE';
  view.result = result;
  return result;
}
