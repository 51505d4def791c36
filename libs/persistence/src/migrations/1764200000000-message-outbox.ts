import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound messages made real (issue 5):
 * - `message_outbox`: what the development adapter "sent" (nothing leaves the machine);
 * - `youths.sms_opt_out_at`: the young person answered STOP, no more SMS (email still goes);
 * - `outbound_messages.provider_id`: the provider's id of an accepted message, for support;
 * - `outbound_messages.sending_until`: the lease of the worker sending a message right now, so a
 *   second run of the same job waits instead of sending twice, without holding a transaction
 *   (and a database connection) open while a provider answers.
 */
export class MessageOutbox1764200000000 implements MigrationInterface {
  name = 'MessageOutbox1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_outbox (
        id bigserial PRIMARY KEY,
        message_id uuid UNIQUE,
        channel text NOT NULL,
        recipient text NOT NULL,
        subject text,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE youths ADD COLUMN sms_opt_out_at timestamptz`);
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN provider_id text, ADD COLUMN sending_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN IF EXISTS provider_id, DROP COLUMN IF EXISTS sending_until`);
    await q.query(`ALTER TABLE youths DROP COLUMN IF EXISTS sms_opt_out_at`);
    await q.query(`DROP TABLE IF EXISTS message_outbox`);
  }
}
