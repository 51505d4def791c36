import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner report's counts per partner and month (issue 13: the report grouped every
 * referral of the period, 1.25 million at 1,043,700 journeys).
 *
 * `report_partner_month`: the referrals sent to each partner in each month (UTC, by `sent_at`),
 * per status (and decline reason), with their reminders and how many have a time to decision.
 * A row trigger on `referrals` moves a referral's count from its former key to its new one in
 * the transaction that changes it (sent, decided, reminded, deleted), so a referral step
 * updates two rows whatever the history. The median time to decision is read through an index
 * on (partner, hours to decision), at its rank: exact, without sorting the partner's referrals.
 */
export class ReportPartnerMonth1796520000002 implements MigrationInterface {
  name = 'ReportPartnerMonth1796520000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_partner_month (
        partner_id text NOT NULL,
        month timestamptz NOT NULL,
        status text COLLATE "C" NOT NULL,
        -- A declined referral's reason ('UNKNOWN' if none); '' for the other statuses.
        reason text COLLATE "C" NOT NULL,
        n int NOT NULL,
        reminders int NOT NULL,
        -- Referrals of the row with a time to decision (accepted or declined, decided_at known).
        timed int NOT NULL,
        PRIMARY KEY (month, partner_id, status, reason)
      )`);
    await q.query(`
      CREATE FUNCTION report_partner_month_key(r referrals) RETURNS TABLE (partner_id text, month timestamptz, status text, reason text, timed int)
      LANGUAGE sql STABLE AS $$
        SELECT r.partner_id, date_trunc('month', r.sent_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', r.status,
               CASE WHEN r.status = 'DECLINED' THEN COALESCE(r.reason, 'UNKNOWN') ELSE '' END,
               (r.status IN ('ACCEPTED', 'DECLINED') AND r.decided_at IS NOT NULL)::int
      $$`);
    await q.query(`
      CREATE FUNCTION count_report_partner_month() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.sent_at IS NOT NULL THEN
          UPDATE report_partner_month m SET n = m.n - 1, reminders = m.reminders - OLD.reminders_sent, timed = m.timed - k.timed
          FROM report_partner_month_key(OLD) k
          WHERE m.partner_id = k.partner_id AND m.month = k.month AND m.status = k.status AND m.reason = k.reason;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.sent_at IS NOT NULL THEN
          INSERT INTO report_partner_month AS m (partner_id, month, status, reason, n, reminders, timed)
          SELECT k.partner_id, k.month, k.status, k.reason, 1, NEW.reminders_sent, k.timed FROM report_partner_month_key(NEW) k
          ON CONFLICT (month, partner_id, status, reason)
          DO UPDATE SET n = m.n + 1, reminders = m.reminders + EXCLUDED.reminders, timed = m.timed + EXCLUDED.timed;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER referrals_report_partner_month AFTER INSERT OR DELETE
        OR UPDATE OF partner_id, sent_at, status, reason, decided_at, reminders_sent ON referrals
      FOR EACH ROW EXECUTE FUNCTION count_report_partner_month()`);
    // TRUNCATE fires no row trigger: the counts go with the referrals.
    await q.query(`
      CREATE FUNCTION empty_report_partner_month() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM report_partner_month;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER referrals_report_partner_month_truncate AFTER TRUNCATE ON referrals
      FOR EACH STATEMENT EXECUTE FUNCTION empty_report_partner_month()`);
    await q.query(BACKFILL_REPORT_PARTNER_MONTH);
    // The median's rank is read in this order.
    await q.query(`
      CREATE INDEX referrals_decision_hours_idx ON referrals (partner_id, ((extract(epoch FROM decided_at - sent_at) / 3600)::float8))
      INCLUDE (sent_at, decided_at) WHERE status IN ('ACCEPTED', 'DECLINED')`);
    await q.query(`ANALYZE report_partner_month`);
    await q.query(`ANALYZE referrals`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS referrals_decision_hours_idx`);
    await q.query(`DROP TRIGGER IF EXISTS referrals_report_partner_month_truncate ON referrals`);
    await q.query(`DROP TRIGGER IF EXISTS referrals_report_partner_month ON referrals`);
    await q.query(`DROP FUNCTION IF EXISTS empty_report_partner_month()`);
    await q.query(`DROP FUNCTION IF EXISTS count_report_partner_month()`);
    await q.query(`DROP FUNCTION IF EXISTS report_partner_month_key(referrals)`);
    await q.query(`DROP TABLE IF EXISTS report_partner_month`);
  }
}

/** Every referral counted once (the migration, and bench/reports after its bulk load without triggers). */
export const BACKFILL_REPORT_PARTNER_MONTH = `
  INSERT INTO report_partner_month (partner_id, month, status, reason, n, reminders, timed)
  SELECT k.partner_id, k.month, k.status, k.reason, count(*), sum(r.reminders_sent), sum(k.timed)
  FROM referrals r CROSS JOIN LATERAL report_partner_month_key(r) k
  WHERE r.sent_at IS NOT NULL
  GROUP BY 1, 2, 3, 4`;
