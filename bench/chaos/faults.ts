/**
 * The faults of a chaos run, each done to the real processes of a ChaosSystem, and timed: from
 * the fault until journeys write events again (a new row in journey_events).
 */
import type { DataSource } from 'typeorm';
import type { Actors, Journey, Script } from './actors';
import type { ChaosSystem } from './system';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type FaultKind =
  | 'worker SIGKILL'
  | 'second worker, killed'
  | 'API SIGKILL'
  | 'API SIGKILL between commit and start'
  | 'Temporal restart'
  | 'Redis restart (empty)'
  | 'PostgreSQL restart';

export interface Fault {
  kind: FaultKind;
  at: number;
  /** From the fault until a journey wrote an event again. */
  recoveredMs?: number;
}

export interface FaultContext {
  system: ChaosSystem;
  db: DataSource;
  actors: Actors;
  random: () => number;
  /** Journeys started by the lost-start fault are handed back to the run here. */
  adopt: (journey: Journey) => void;
  nextScript: () => Script;
}

async function eventCount(db: DataSource): Promise<number> {
  return Number((await db.query('SELECT count(*) AS n FROM journey_events'))[0].n);
}

export async function inject(kind: FaultKind, c: FaultContext): Promise<Fault> {
  const between = (lo: number, hi: number) => lo + Math.floor(c.random() * (hi - lo));
  const fault: Fault = { kind, at: Date.now() };
  const before = await eventCount(c.db).catch(() => -1);
  const { system } = c;
  switch (kind) {
    case 'worker SIGKILL':
      await system.killWorker();
      await sleep(between(500, 4000));
      system.startWorker();
      break;
    case 'second worker, killed':
      system.startWorker();
      await sleep(between(8000, 15000));
      await system.killWorker();
      break;
    case 'API SIGKILL':
      await system.killApi();
      await sleep(between(500, 3000));
      await system.startApi();
      await system.apiUp();
      break;
    case 'API SIGKILL between commit and start': {
      // Temporal unreachable from the API: the next form commits its case, then its start hangs.
      system.apiTemporal.hold();
      // Cases are dated by PostgreSQL's clock, not this process's (a test may run on another clock).
      const [{ before }] = await c.db.query('SELECT count(*) AS before FROM cases');
      const script = c.nextScript();
      const intake = c.actors.intake(script);
      await waitFor(async () => Number((await c.db.query('SELECT count(*) AS n FROM cases'))[0].n) > Number(before));
      await system.killApi();
      system.apiTemporal.dropHeld();
      await system.startApi();
      await system.apiUp();
      // The client's retry gets the same case back (REPEATED), whose journey nobody started.
      const journey = await intake;
      c.adopt({ ...journey, startLost: true });
      break;
    }
    case 'Temporal restart':
      await system.restartTemporal(between(1000, 4000));
      break;
    case 'Redis restart (empty)':
      await system.restartRedisEmpty(between(500, 2000));
      break;
    case 'PostgreSQL restart':
      system.restartPostgres();
      break;
  }
  await waitFor(async () => before >= 0 && (await eventCount(c.db)) > before, 300_000);
  fault.recoveredMs = Date.now() - fault.at;
  return fault;
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
}
