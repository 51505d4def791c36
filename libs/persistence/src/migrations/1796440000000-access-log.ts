import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read whose personal data: one row per read of a young person's case page, profile, timeline,
 * matches, export, or of a referral a partner sees after accepting. Append-only: a trigger refuses
 * any UPDATE; rows leave only by the retention purge (DELETE of rows older than its delay).
 */
export class AccessLog1796440000000 implements MigrationInterface {
  name = 'AccessLog1796440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        role text NOT NULL,
        case_id uuid NOT NULL,
        what text NOT NULL,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX access_log_case_idx ON access_log (case_id, at)`);
    await q.query(`CREATE INDEX access_log_actor_idx ON access_log (actor, at)`);
    await q.query(`CREATE INDEX access_log_at_idx ON access_log (at)`);
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$`);
    await q.query(`CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
  }
}
