import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of operational data (README, "Données et durées de conservation"): a delivered
 * message's body and address leave the outbox after their delay, the row stays (what was sent,
 * when, its status) with `purged_at` saying when its content went.
 */
export class Retention1796460000000 implements MigrationInterface {
  name = 'Retention1796460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_outbox ALTER COLUMN text DROP NOT NULL, ALTER COLUMN recipient DROP NOT NULL`);
    await q.query(`ALTER TABLE message_outbox ADD COLUMN purged_at timestamptz`);
    await q.query(`CREATE INDEX message_outbox_unpurged_idx ON message_outbox (created_at) WHERE purged_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS message_outbox_unpurged_idx`);
    await q.query(`ALTER TABLE message_outbox DROP COLUMN IF EXISTS purged_at`);
    await q.query(`UPDATE message_outbox SET text = '', recipient = '' WHERE purged_at IS NOT NULL OR text IS NULL`);
    await q.query(`ALTER TABLE message_outbox ALTER COLUMN text SET NOT NULL, ALTER COLUMN recipient SET NOT NULL`);
  }
}
