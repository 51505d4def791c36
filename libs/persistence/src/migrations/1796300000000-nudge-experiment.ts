import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nudges may be worded by an A/B experiment: each message records the experiment and the
 * variant it was sent in, so the nudge report groups by them without reading the event log.
 * Policy versions written before the experiment existed ran none.
 */
export class NudgeExperiment1796300000000 implements MigrationInterface {
  name = 'NudgeExperiment1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN experiment text, ADD COLUMN variant text`);
    // The nudge report reads the young people's messages of a window.
    await q.query(`CREATE INDEX outbound_messages_youth_scheduled_idx ON outbound_messages (scheduled_at) WHERE recipient = 'YOUTH'`);
    await q.query(`UPDATE policies SET body = body || '{"nudgeExperiment": null}'::jsonb WHERE NOT body ? 'nudgeExperiment'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE policies SET body = body - 'nudgeExperiment'`);
    await q.query(`DROP INDEX IF EXISTS outbound_messages_youth_scheduled_idx`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN experiment, DROP COLUMN variant`);
  }
}
