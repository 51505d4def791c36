import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version of the partner directory, bumped by a trigger on every write to `partners`, so
 * the matcher (in the worker) knows with one single-row read whether its in-memory index is
 * stale, whoever changed the directory (API, import, seed, SQL).
 */
export class PartnerDirectoryVersion1764210000000 implements MigrationInterface {
  name = 'PartnerDirectoryVersion1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE partner_directory_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version bigint NOT NULL)`,
    );
    await q.query(`INSERT INTO partner_directory_version (version) VALUES (0)`);
    await q.query(`
      CREATE FUNCTION bump_partner_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE partner_directory_version SET version = version + 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER partners_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
      FOR EACH STATEMENT EXECUTE FUNCTION bump_partner_directory_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS partners_changed ON partners`);
    await q.query(`DROP FUNCTION IF EXISTS bump_partner_directory_version()`);
    await q.query(`DROP TABLE IF EXISTS partner_directory_version`);
  }
}
