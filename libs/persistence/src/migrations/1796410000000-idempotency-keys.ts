import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to each `Idempotency-Key` a caller sent (API.md: the same key from the same
 * caller within 24 h answers the first answer again and records nothing new). A row without a
 * status is a request still running, claimed until `locked_until`: a retry that arrives while
 * it runs waits for it, and one that arrives after its process died takes it over.
 */
export class IdempotencyKeys1796410000000 implements MigrationInterface {
  name = 'IdempotencyKeys1796410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        actor text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status integer,
        body jsonb,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      )`);
    // Keys older than 24 h are forgotten (a claim takes them over); an index for purging by age.
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
