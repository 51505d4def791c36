import type { DataSource } from 'typeorm';
import { CaseEntity } from '@walt/persistence';
import { JourneyStarter } from '@walt/temporal';
import { PeriodicTask } from './periodic-task';

/**
 * The transactional outbox's relay: intake commits the case, then starts its journey; if the
 * process dies in between, this finds the case (journey_started_at still null) and starts it.
 */
export class JourneyReconciler {
  private readonly periodic = new PeriodicTask(
    () => this.reconcileOnce(),
    (err) => this.log(`[reconciler] ${err.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly starter: JourneyStarter,
    /** Leaves intake the time to start the journey itself before stepping in. */
    private readonly graceMs = 10_000,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Starts every journey still missing; returns how many it started. */
  async reconcileOnce(): Promise<number> {
    const pending = await this.dataSource
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.journey_started_at IS NULL')
      .andWhere(`c.stage <> 'CLOSED'`)
      .andWhere('c.created_at < :before', { before: new Date(Date.now() - this.graceMs) })
      .orderBy('c.created_at')
      .limit(100)
      .getMany();
    let started = 0;
    for (const kase of pending) {
      try {
        await this.starter.start(kase);
        started += 1;
      } catch (err) {
        this.log(`[reconciler] could not start the journey of case ${kase.id}: ${(err as Error).message}`);
      }
    }
    return started;
  }

  every(intervalMs: number): void {
    this.periodic.every(intervalMs);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
