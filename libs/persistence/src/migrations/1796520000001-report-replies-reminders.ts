import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two figures the partner and nudge reports derived from the audit trail row by row
 * (issue 13: 0.7 s and 1.1 s at 104,370 journeys, ten times that at 1,043,700), kept on the
 * rows they describe by triggers, in the transaction of whatever writes their inputs:
 *
 * - `referrals.reminders_sent`: the REFERRAL_REMINDED events of the referral (the row itself
 *   only keeps the last reminder's time);
 * - `outbound_messages.replied`: for a welcome or nudge sent to the young person, whether
 *   they answered (YOUTH_REPLIED, or a counsellor's CONTACT_LOGGED that reached them) after it
 *   was sent, within REPLY_WINDOW_HOURS (48, apps/api/src/reports/queries/nudges.query.ts) and
 *   before the next engagement message of the journey. It depends on the case's events and on
 *   its other messages, so both recompute the case's engagement messages (a handful).
 *
 * The definitions are the reports' former statements (kept in apps/api/src/reports/queries/
 * from-events.ts, which tests and bench/reports compare against). Existing rows are filled here.
 */
export class ReportRepliesReminders1796520000001 implements MigrationInterface {
  name = 'ReportRepliesReminders1796520000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals ADD COLUMN reminders_sent int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN replied boolean NOT NULL DEFAULT false`);

    // The cases' rows are locked first (as refresh_report_facts does), so that an event and the
    // row it counts for, written by two transactions at once, cannot both miss the other.
    await q.query(`
      CREATE FUNCTION refresh_referral_reminders(case_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(case_ids) = 0 THEN RETURN; END IF;
        PERFORM 1 FROM cases c JOIN unnest(case_ids) t(id) ON c.id = t.id ORDER BY c.id FOR NO KEY UPDATE OF c;
        UPDATE referrals r SET reminders_sent = n.sent
        FROM (
          SELECT r.id, (SELECT count(*)::int FROM journey_events e
                        WHERE e.case_id = r.case_id AND e.type = 'REFERRAL_REMINDED' AND e.data->>'referralId' = r.id::text) AS sent
          FROM unnest(case_ids) t(id) JOIN referrals r ON r.case_id = t.id
        ) n
        WHERE n.id = r.id AND r.reminders_sent <> n.sent;
      END $$`);
    await q.query(`
      CREATE FUNCTION journey_events_refresh_referral_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_referral_reminders(ARRAY(SELECT DISTINCT case_id FROM changed WHERE type = 'REFERRAL_REMINDED'));
        RETURN NULL;
      END $$`);
    // A referral row written after its reminders (steps may commit out of order) counts them.
    await q.query(`
      CREATE FUNCTION referrals_count_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM cases WHERE id = NEW.case_id FOR NO KEY UPDATE;
        NEW.reminders_sent := (SELECT count(*) FROM journey_events e
                               WHERE e.case_id = NEW.case_id AND e.type = 'REFERRAL_REMINDED' AND e.data->>'referralId' = NEW.id::text);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER referrals_reminders_counted BEFORE INSERT OR UPDATE OF id, case_id ON referrals
      FOR EACH ROW EXECUTE FUNCTION referrals_count_reminders()`);

    await q.query(`
      CREATE FUNCTION refresh_nudge_replies(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(ids) = 0 THEN RETURN; END IF;
        PERFORM 1 FROM cases c JOIN unnest(ids) t(id) ON c.id = t.id ORDER BY c.id FOR NO KEY UPDATE OF c;
        UPDATE outbound_messages m SET replied = x.replied
        FROM (
          SELECT m.id, m.status = 'SENT' AND EXISTS (
                   SELECT 1 FROM journey_events e
                   WHERE e.case_id = m.case_id AND e.at > m.sent_at
                     AND e.at <= LEAST(m.sent_at + interval '48 hours', COALESCE(next.sent_at, 'infinity'))
                     AND (e.type = 'YOUTH_REPLIED' OR (e.type = 'CONTACT_LOGGED' AND (e.data ->> 'reached')::boolean))
                 ) AS replied
          FROM outbound_messages m
          LEFT JOIN LATERAL (
            SELECT min(o.sent_at) AS sent_at FROM outbound_messages o
            WHERE o.case_id = m.case_id AND o.recipient = 'YOUTH' AND o.purpose <> m.purpose AND o.sent_at > m.sent_at
              AND (o.purpose = 'WELCOME' OR o.purpose ~ '^NUDGE_[0-9]+$')
          ) next ON m.status = 'SENT'
          JOIN unnest(ids) t(id) ON t.id = m.case_id
          WHERE m.recipient = 'YOUTH' AND (m.purpose = 'WELCOME' OR m.purpose ~ '^NUDGE_[0-9]+$')
        ) x
        WHERE x.id = m.id AND m.replied <> x.replied;
      END $$`);
    // The case's answers: on any change of its replies or contacts.
    await q.query(`
      CREATE FUNCTION journey_events_refresh_nudge_replies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_nudge_replies(ARRAY(SELECT DISTINCT case_id FROM changed WHERE type IN ('YOUTH_REPLIED', 'CONTACT_LOGGED')));
        RETURN NULL;
      END $$`);
    for (const [op, table] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ]) {
      await q.query(`
        CREATE TRIGGER journey_events_nudge_replies_${op.toLowerCase()} AFTER ${op} ON journey_events
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION journey_events_refresh_nudge_replies()`);
      await q.query(`
        CREATE TRIGGER journey_events_referral_reminders_${op.toLowerCase()} AFTER ${op} ON journey_events
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION journey_events_refresh_referral_reminders()`);
    }
    // The case's messages: a new one, a removed one, or one sent (its time, status or purpose).
    await q.query(`
      CREATE FUNCTION outbound_messages_refresh_nudge_replies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_nudge_replies(ARRAY(SELECT DISTINCT case_id FROM changed WHERE recipient = 'YOUTH'));
        RETURN NULL;
      END $$`);
    for (const [op, table] of [
      ['INSERT', 'NEW'],
      ['DELETE', 'OLD'],
    ]) {
      await q.query(`
        CREATE TRIGGER outbound_messages_nudge_replies_${op.toLowerCase()} AFTER ${op} ON outbound_messages
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION outbound_messages_refresh_nudge_replies()`);
    }
    // (Transition tables cannot go with a column list; `replied` itself is not in it, so this does not fire again.)
    await q.query(`
      CREATE FUNCTION outbound_message_sent_refresh_nudge_replies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_nudge_replies(ARRAY(SELECT DISTINCT id FROM unnest(ARRAY[OLD.case_id, NEW.case_id]) id));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbound_messages_nudge_replies_update AFTER UPDATE OF case_id, status, sent_at, purpose, recipient ON outbound_messages
      FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.status IS DISTINCT FROM NEW.status
                         OR OLD.sent_at IS DISTINCT FROM NEW.sent_at OR OLD.purpose IS DISTINCT FROM NEW.purpose
                         OR OLD.recipient IS DISTINCT FROM NEW.recipient)
      EXECUTE FUNCTION outbound_message_sent_refresh_nudge_replies()`);

    // The history so far.
    await q.query(`SELECT refresh_referral_reminders(ARRAY(SELECT DISTINCT case_id FROM journey_events WHERE type = 'REFERRAL_REMINDED'))`);
    await q.query(
      `SELECT refresh_nudge_replies(ARRAY(SELECT DISTINCT case_id FROM outbound_messages WHERE status = 'SENT' AND recipient = 'YOUTH'))`,
    );
    await q.query(`ANALYZE referrals`);
    await q.query(`ANALYZE outbound_messages`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER IF EXISTS journey_events_nudge_replies_${op} ON journey_events`);
      await q.query(`DROP TRIGGER IF EXISTS journey_events_referral_reminders_${op} ON journey_events`);
      await q.query(`DROP TRIGGER IF EXISTS outbound_messages_nudge_replies_${op} ON outbound_messages`);
    }
    await q.query(`DROP TRIGGER IF EXISTS referrals_reminders_counted ON referrals`);
    for (const fn of [
      'outbound_message_sent_refresh_nudge_replies()',
      'outbound_messages_refresh_nudge_replies()',
      'journey_events_refresh_nudge_replies()',
      'refresh_nudge_replies(uuid[])',
      'referrals_count_reminders()',
      'journey_events_refresh_referral_reminders()',
      'refresh_referral_reminders(uuid[])',
    ])
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN IF EXISTS replied`);
    await q.query(`ALTER TABLE referrals DROP COLUMN IF EXISTS reminders_sent`);
  }
}
