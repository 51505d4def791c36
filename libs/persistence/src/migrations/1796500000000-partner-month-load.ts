import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each partner's places taken per month as a counter (`partner_month_load`), kept by a trigger
 * on the ledger (`partner_places`) in the transaction that takes or gives back the place, so
 * the matcher reads one row per partner instead of counting the month's referrals of every
 * partner at each match (a cost that grew with the programme's history). The ledger stays the
 * truth; existing places are counted here once.
 */
export class PartnerMonthLoad1796500000000 implements MigrationInterface {
  name = 'PartnerMonthLoad1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_month_load (
        partner_id text NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
        month text NOT NULL,
        taken int NOT NULL CHECK (taken >= 0),
        PRIMARY KEY (month, partner_id)
      )`);
    await q.query(`
      CREATE FUNCTION count_partner_places() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO partner_month_load (partner_id, month, taken) VALUES (NEW.partner_id, NEW.month, 1)
          ON CONFLICT (month, partner_id) DO UPDATE SET taken = partner_month_load.taken + 1;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          UPDATE partner_month_load SET taken = taken - 1 WHERE partner_id = OLD.partner_id AND month = OLD.month;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER partner_places_counted AFTER INSERT OR DELETE OR UPDATE OF partner_id, month ON partner_places
      FOR EACH ROW EXECUTE FUNCTION count_partner_places()`);
    // TRUNCATE fires no row trigger: the counters go with the ledger.
    await q.query(`
      CREATE FUNCTION empty_partner_month_load() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM partner_month_load;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER partner_places_emptied AFTER TRUNCATE ON partner_places
      FOR EACH STATEMENT EXECUTE FUNCTION empty_partner_month_load()`);
    await q.query(`
      INSERT INTO partner_month_load (partner_id, month, taken)
      SELECT partner_id, month, count(*) FROM partner_places GROUP BY partner_id, month`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS partner_places_emptied ON partner_places`);
    await q.query(`DROP TRIGGER IF EXISTS partner_places_counted ON partner_places`);
    await q.query(`DROP FUNCTION IF EXISTS empty_partner_month_load()`);
    await q.query(`DROP FUNCTION IF EXISTS count_partner_places()`);
    await q.query(`DROP TABLE IF EXISTS partner_month_load`);
  }
}
