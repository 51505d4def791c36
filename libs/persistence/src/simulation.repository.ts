import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { dataSourceOptions } from './data-source';

/** One event of the programme's history, with the policy version its journey ran under. */
export interface HistoryEventRow {
  caseId: string;
  type: string;
  actor: string;
  at: Date;
  data: Record<string, any>;
  policyVersion: number;
}

export interface HistoryProfileRow {
  age: number;
  postalCode: string;
  communeCode: string;
  diplomaLevel: string;
  situation: string;
  barriers: string[];
  wishes: string[];
  channel: string;
}

/** The events a behaviour model is estimated from (journey_events of the chosen period). */
const MODEL_EVENT_TYPES = [
  'MESSAGE_QUEUED',
  'YOUTH_REPLIED',
  'CONTACT_LOGGED',
  'ESCALATED',
  'REFERRAL_SENT',
  'REFERRAL_ACCEPTED',
  'REFERRAL_DECLINED',
  'REFERRAL_EXPIRED',
  'ATTENDANCE_RECORDED',
];

/** Reads the programme's history for a simulation: never writes. */
export class SimulationHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Non-identifying profiles captured in [from, to) (no name, contact or birth date), at most `limit`. */
  profiles(from: Date, to: Date, limit = 5000): Promise<HistoryProfileRow[]> {
    return this.dataSource.query(
      `SELECT c.age_at_capture AS age, y.postal_code AS "postalCode", y.commune_code AS "communeCode",
              y.diploma_level AS "diplomaLevel", y.situation, y.barriers, y.wishes, c.source_channel AS channel
         FROM cases c JOIN youths y ON y.id = c.youth_id
        WHERE c.eligible AND y.erased_at IS NULL AND c.created_at >= $1 AND c.created_at < $2
        ORDER BY c.created_at, c.id LIMIT $3`,
      [from, to, limit],
    );
  }

  async journeys(from: Date, to: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM journey_events WHERE type = 'CAPTURED' AND at >= $1 AND at < $2`,
      [from, to],
    );
    return row.n;
  }

  /** The events of the journeys captured in [from, to) that the behaviour model reads, oldest first. */
  events(from: Date, to: Date, limit = 200_000): Promise<HistoryEventRow[]> {
    return this.dataSource.query(
      `SELECT e.case_id AS "caseId", e.type, e.actor, e.at, e.data, c.policy_version AS "policyVersion"
         FROM journey_events e JOIN cases c ON c.id = e.case_id
        WHERE c.created_at >= $1 AND c.created_at < $2 AND e.type = ANY($3)
        ORDER BY e.case_id, e.at, e.seq NULLS LAST, e.id LIMIT $4`,
      [from, to, MODEL_EVENT_TYPES, limit],
    );
  }
}

/** Which simulation a run's schema belongs to, and when its run must have ended (its activity's timeout). */
export interface SimulationSchemaOwner {
  simulationId: string;
  deadline: Date;
}

/**
 * The schema a simulated run writes to: the same migrations as the real one, in a PostgreSQL
 * schema of its own (`search_path`), created for the run and dropped after it, so a simulated
 * journey can never touch a real case, event, message or report.
 */
export class SimulationSchemas {
  constructor(private readonly dataSource: DataSource) {}

  static nameOf(simulationId: string, run: string): string {
    const name = `simulation_${simulationId.replace(/[^a-f0-9]/gi, '').slice(0, 16)}_${run}`.toLowerCase();
    if (!/^simulation_[a-z0-9_]+$/.test(name)) throw new Error(`Not a simulation schema name: ${name}`);
    return name;
  }

  /**
   * Creates the schema (anew), runs the migrations there and copies the partner directory into it.
   * The schema's comment names its simulation and the time its run is bound to end by, so the
   * sweeper can tell a run in progress from the leftover of a crashed one.
   */
  async create(name: string, owner: SimulationSchemaOwner): Promise<DataSource> {
    await this.dataSource.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await this.dataSource.query(`CREATE SCHEMA "${name}"`);
    const comment = JSON.stringify({ simulationId: owner.simulationId, deadline: owner.deadline.toISOString() });
    await this.dataSource.query(`COMMENT ON SCHEMA "${name}" IS '${comment.replace(/'/g, "''")}'`);
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    const options = dataSourceOptions(url);
    const simulated = new DataSource({ ...options, schema: name, extra: { max: 6, options: `-c search_path="${name}"` } });
    await simulated.initialize();
    await simulated.runMigrations({ transaction: 'each' });
    // Matching runs against the real directory; the places taken this month start from zero.
    await simulated.query(`INSERT INTO partners SELECT * FROM public.partners`);
    return simulated;
  }

  /** Every simulation schema, with its owner when its comment names one (schemas made before the comment existed have none). */
  async list(): Promise<{ name: string; owner?: SimulationSchemaOwner }[]> {
    const rows: { name: string; comment: string | null }[] = await this.dataSource.query(
      `SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace
        WHERE nspname LIKE 'simulation\\_%' ORDER BY nspname`,
    );
    return rows.map(({ name, comment }) => {
      try {
        const parsed = JSON.parse(comment ?? '');
        return { name, owner: { simulationId: String(parsed.simulationId), deadline: new Date(parsed.deadline) } };
      } catch {
        return { name };
      }
    });
  }

  async drop(name: string, simulated?: DataSource): Promise<void> {
    if (simulated?.isInitialized) await simulated.destroy();
    await this.dataSource.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  }

  /** What the run's journeys wrote (in its own schema). */
  static async written(simulated: DataSource) {
    const events: { caseId: string; type: string; actor: string; at: Date; data: Record<string, any> }[] = await simulated.query(
      `SELECT case_id AS "caseId", type, actor, at, data FROM journey_events ORDER BY at, seq NULLS LAST, id`,
    );
    const messages: { purpose: string; recipient: string }[] = await simulated.query(`SELECT purpose, recipient FROM outbound_messages`);
    return { events, messages };
  }
}
