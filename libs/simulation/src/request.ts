/**
 * What a what-if of a policy change is asked and answers. Pure types, shared by the API, the
 * orchestration workflow and the runs (workflow code imports this file by relative path).
 */
import type { Policy } from '../../domain/src';
import type { RunFigures, Summary } from './figures';

export interface SimulationRequest {
  simulationId: string;
  /** The current policy when the simulation was asked, and the draft merged over it. */
  current: Policy;
  draft: Policy;
  cohort: { size: number; from: string; to: string };
  seeds: number[];
  /** One simulated day lasts this many real milliseconds, for both policies. */
  msPerDay: number;
  /** Young people arrive over this many days, then the run goes on for horizonDays. */
  arrivalDays: number;
  horizonDays: number;
}

export type PolicyLabel = 'current' | 'draft';

/**
 * How long one run may last. A run lives on a logical clock, one instant after the other, so its
 * wall time is what its instants cost the machine (a young person lives a few dozen; each takes
 * tens of milliseconds on a quiet machine, up to a second on a loaded one), not its simulated
 * days: 6 s per young person, plus the time to set its schema up and read it back. The run's
 * activity times out after it; the sweeper takes a schema still there past it for the leftover
 * of a crashed run.
 */
export const runBoundMs = (request: { cohort: { size: number } }): number => request.cohort.size * 6_000 + 10 * 60_000;

export interface SimulationRunInput extends Omit<SimulationRequest, 'seeds' | 'current' | 'draft'> {
  label: PolicyLabel;
  seed: number;
  policy: Policy;
}

export interface SimulationRunResult {
  label: PolicyLabel;
  seed: number;
  figures: RunFigures;
  /** Which parts of the behaviour model came from history, which from the default. */
  model: { journeys: number; fromHistory: string[]; fromDefault: string[] };
  wallMs: number;
}

export interface SimulationResult {
  /** Each figure over the seeds: mean ± sd and min–max. */
  current: Summary<RunFigures>;
  draft: Summary<RunFigures>;
  runs: { seed: number; current: RunFigures; draft: RunFigures }[];
  model: SimulationRunResult['model'];
  timeScale: { msPerDay: number; arrivalDays: number; horizonDays: number; wallSeconds: number };
}

export interface SimulationView {
  status: 'RUNNING' | 'DONE' | 'FAILED';
  progress: { runsDone: number; runsTotal: number; fraction: number };
  result?: SimulationResult;
  error?: string;
}
