import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { SimulationSchemas } from '@walt/persistence';
import { policySimulationWorkflowId } from '@walt/temporal';
import { PeriodicTask } from './periodic-task';

export interface SweepResult {
  /** Schemas dropped: their simulation had ended, or its run had outlived its bound. */
  dropped: string[];
  /** Simulations ended as failed: still running with a run past its bound (its worker crashed). */
  failed: string[];
}

/**
 * The leftovers of simulations whose run crashed. A run drops its schema when it ends, and
 * Temporal retries a run whose worker died; but a worker killed on its last attempt, or a
 * simulation terminated by hand, leaves its schema behind, and a simulation whose run cannot
 * end would show RUNNING for ever. Each schema names its simulation and its run's deadline (its
 * comment): a schema of a simulation that no longer runs is dropped; a simulation still running
 * past its run's deadline (plus `graceMs`) is terminated, which GET /v1/policy/simulations/{id}
 * answers as FAILED, and its schema dropped.
 */
export class SimulationSweeper {
  private readonly periodic = new PeriodicTask(
    () => this.sweepOnce(),
    (err) => this.log(`[simulation-sweeper] ${err.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly now: () => Date = () => new Date(),
    private readonly graceMs = 5 * 60_000,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  async sweepOnce(): Promise<SweepResult> {
    const schemas = new SimulationSchemas(this.dataSource);
    const result: SweepResult = { dropped: [], failed: [] };
    for (const { name, owner } of await schemas.list()) {
      // A schema from before schemas named their owner: dropped once no simulation runs at all.
      if (!owner) {
        if (!(await this.anySimulationRunning())) {
          await schemas.drop(name);
          result.dropped.push(name);
        }
        continue;
      }
      const running = await this.isRunning(owner.simulationId);
      if (running && this.now().getTime() <= owner.deadline.getTime() + this.graceMs) continue;
      if (running) {
        await this.client.workflow
          .getHandle(policySimulationWorkflowId(owner.simulationId))
          .terminate(`a run outlived its bound (${owner.deadline.toISOString()}): its worker crashed or hangs`);
        result.failed.push(owner.simulationId);
      }
      await schemas.drop(name);
      result.dropped.push(name);
    }
    if (result.dropped.length)
      this.log(`[simulation-sweeper] dropped ${result.dropped.join(', ')}; failed ${result.failed.join(', ') || 'none'}`);
    return result;
  }

  every(intervalMs: number): void {
    this.periodic.every(intervalMs);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async isRunning(simulationId: string): Promise<boolean> {
    try {
      const { status } = await this.client.workflow.getHandle(policySimulationWorkflowId(simulationId)).describe();
      return status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  private async anySimulationRunning(): Promise<boolean> {
    for await (const _ of this.client.workflow.list({
      query: `WorkflowType = 'policySimulationWorkflow' AND ExecutionStatus = 'Running'`,
    })) {
      void _;
      return true;
    }
    return false;
  }
}
