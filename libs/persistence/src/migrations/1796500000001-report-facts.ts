import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports' facts per case, kept up to date in the transaction that changes them, so the
 * duration and funnel reports read one narrow row per case or per measured duration instead of
 * re-deriving every journey from `journey_events` (2.8 s and 1.2 s at 104,370 journeys).
 *
 * - `report_case_facts`: one row per captured case: its capture time, the funnel steps it
 *   reached, the first referral/acceptance/pathway (the end-to-end intervals), and the case's
 *   filters and groups (territory, campaign, segment, channel, eligibility, the type of the
 *   partner it was last referred to).
 * - `report_durations`: one row per measured duration of a case (each stay in a stage, each
 *   end-to-end interval, each referral's time to decision), hours NULL while still open, with
 *   the same filters and groups copied, so the report groups one table without a join.
 *
 * `refresh_report_facts(case ids)` recomputes the rows of those cases from their events, with
 * the same expressions as the reports used over the whole trail (apps/api/src/reports/queries/
 * from-events.ts, which tests and bench/reports compare against). It is called by triggers, so
 * every writer keeps the facts right whoever it is (the step writer, the API, the retention
 * jobs, a bulk load): on `journey_events` (any insert, update, delete: a case's events), on the
 * case's filter columns, and on referrals and partner types (the partner-type group). A case
 * has a few dozen events: the cost of a step does not grow with history. The case's row is
 * locked first, so two steps of one case committing together cannot leave stale facts.
 * Text columns are COLLATE "C": the reports sort by them to group, and only equality matters.
 */
export class ReportFacts1796500000001 implements MigrationInterface {
  name = 'ReportFacts1796500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_case_facts (
        -- No foreign keys (a check per row would double the cost of a bulk load): a case's
        -- events go before it, and refresh_report_facts removes its rows then.
        case_id uuid PRIMARY KEY,
        captured_at timestamptz NOT NULL,
        eligible boolean NOT NULL,
        segment text COLLATE "C" NOT NULL,
        departement text COLLATE "C" NOT NULL,
        source_channel text COLLATE "C" NOT NULL,
        source_campaign text COLLATE "C",
        -- The type of the partner of the case's last referral (NULL: never referred).
        partner_type text COLLATE "C",
        engaged boolean NOT NULL,
        matched boolean NOT NULL,
        referred boolean NOT NULL,
        accepted boolean NOT NULL,
        in_pathway boolean NOT NULL,
        outcome boolean NOT NULL,
        closed_without_outcome boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX report_case_facts_captured_idx ON report_case_facts (captured_at)`);
    await q.query(`
      CREATE TABLE report_durations (
        case_id uuid NOT NULL,
        -- A stage (the stay in it) or an interval: captureToReferral, captureToAcceptance,
        -- captureToPathway, referralToDecision.
        measure text COLLATE "C" NOT NULL,
        -- NULL: still open (counted, not measured).
        hours float8,
        captured_at timestamptz NOT NULL,
        eligible boolean NOT NULL,
        segment text COLLATE "C" NOT NULL,
        departement text COLLATE "C" NOT NULL,
        source_channel text COLLATE "C" NOT NULL,
        source_campaign text COLLATE "C"
      )`);
    await q.query(`CREATE INDEX report_durations_case_idx ON report_durations (case_id)`);
    await q.query(`CREATE INDEX report_durations_captured_idx ON report_durations (captured_at)`);

    await q.query(`
      CREATE FUNCTION report_partner_type(p_case uuid) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT p.type FROM referrals r JOIN partners p ON p.id = r.partner_id
        WHERE r.case_id = p_case ORDER BY r.attempt DESC LIMIT 1
      $$`);

    await q.query(`
      CREATE FUNCTION refresh_report_facts(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(ids) = 0 THEN RETURN; END IF;
        -- Steps of one case are serialised here; each statement below then sees the other's events.
        PERFORM 1 FROM cases c JOIN unnest(ids) t(id) ON c.id = t.id ORDER BY c.id FOR NO KEY UPDATE OF c;
        DELETE FROM report_durations d USING unnest(ids) t(id) WHERE d.case_id = t.id;
        DELETE FROM report_case_facts f USING unnest(ids) t(id) WHERE f.case_id = t.id;

        INSERT INTO report_case_facts
        SELECT c.id, f.captured_at, c.eligible, c.segment, c.departement, c.source_channel, c.source_campaign,
               lr.type, f.engaged, f.matched, f.referred, f.accepted, f.in_pathway, f.outcome,
               f.closed_without_outcome
        FROM (
          SELECT e.case_id,
                 min(e.at) FILTER (WHERE e.type = 'CAPTURED') AS captured_at,
                 COALESCE(bool_or(e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'ENGAGING'), false) AS engaged,
                 COALESCE(bool_or(e.type = 'MATCHED' OR (e.type = 'STAGE_CHANGED' AND e.data->>'to' = 'MATCHING')), false) AS matched,
                 COALESCE(bool_or(e.type = 'REFERRAL_SENT'), false) AS referred,
                 COALESCE(bool_or(e.type = 'REFERRAL_ACCEPTED'), false) AS accepted,
                 COALESCE(bool_or(e.type = 'PATHWAY_STARTED'), false) AS in_pathway,
                 COALESCE(bool_or(e.type = 'CLOSED' AND e.data->>'reason' = 'OUTCOME_REACHED'), false) AS outcome,
                 COALESCE(bool_or(e.type = 'CLOSED' AND e.data->>'reason' IS DISTINCT FROM 'OUTCOME_REACHED'), false) AS closed_without_outcome
          FROM unnest(ids) t(id) JOIN journey_events e ON e.case_id = t.id
          GROUP BY e.case_id
        ) f
        JOIN cases c ON c.id = f.case_id
        LEFT JOIN (
          -- report_partner_type, for every case at once.
          SELECT DISTINCT ON (r.case_id) r.case_id, p.type
          FROM unnest(ids) t(id) JOIN referrals r ON r.case_id = t.id JOIN partners p ON p.id = r.partner_id
          ORDER BY r.case_id, r.attempt DESC
        ) lr ON lr.case_id = c.id
        WHERE f.captured_at IS NOT NULL;

        -- As in the durations report: stays from one stage boundary to the case's next one
        -- (lead over at, id), milestones from the first of each event, each referral from
        -- REFERRAL_SENT to the partner's accept or decline.
        WITH events AS MATERIALIZED (
          SELECT e.case_id, e.type, e.at, e.id,
                 CASE e.type WHEN 'STAGE_CHANGED' THEN e.data->>'to' WHEN 'CAPTURED' THEN 'CAPTURED' WHEN 'CLOSED' THEN 'CLOSED' END AS stage,
                 CASE WHEN e.type LIKE 'REFERRAL%' THEN e.data->>'referralId' END AS referral_id
          FROM unnest(ids) t(id)
          JOIN journey_events e ON e.case_id = t.id
           AND e.type IN ('CAPTURED', 'STAGE_CHANGED', 'CLOSED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'REFERRAL_DECLINED',
                          'REFERRAL_EXPIRED', 'REFERRAL_WITHDRAWN', 'PATHWAY_STARTED')
        ),
        stays AS (
          SELECT case_id, stage, date_part('epoch', lead(at) OVER (PARTITION BY case_id ORDER BY at, id) - at) / 3600 AS hours
          FROM events WHERE stage IS NOT NULL
        ),
        milestones AS (
          SELECT case_id,
                 min(at) FILTER (WHERE type = 'CAPTURED') AS captured_at,
                 min(at) FILTER (WHERE type = 'REFERRAL_SENT') AS referred_at,
                 min(at) FILTER (WHERE type = 'REFERRAL_ACCEPTED') AS accepted_at,
                 min(at) FILTER (WHERE type = 'PATHWAY_STARTED') AS pathway_at,
                 bool_or(type = 'CLOSED') AS closed
          FROM events
          WHERE type IN ('CAPTURED', 'REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'PATHWAY_STARTED', 'CLOSED')
          GROUP BY case_id
        ),
        decisions AS (
          SELECT case_id,
                 date_part('epoch', min(at) FILTER (WHERE type IN ('REFERRAL_ACCEPTED', 'REFERRAL_DECLINED'))
                                    - min(at) FILTER (WHERE type = 'REFERRAL_SENT')) / 3600 AS hours,
                 bool_or(type IN ('REFERRAL_EXPIRED', 'REFERRAL_WITHDRAWN')) AS undecided,
                 bool_or(type = 'REFERRAL_SENT') AS sent
          FROM events
          WHERE referral_id IS NOT NULL
          GROUP BY case_id, referral_id
        ),
        measured (case_id, measure, hours) AS (
          SELECT case_id, stage, hours FROM stays WHERE stage <> 'CLOSED'
          UNION ALL
          SELECT case_id, 'captureToReferral', date_part('epoch', referred_at - captured_at) / 3600
          FROM milestones WHERE referred_at IS NOT NULL OR NOT closed
          UNION ALL
          SELECT case_id, 'captureToAcceptance', date_part('epoch', accepted_at - captured_at) / 3600
          FROM milestones WHERE accepted_at IS NOT NULL OR NOT closed
          UNION ALL
          SELECT case_id, 'captureToPathway', date_part('epoch', pathway_at - captured_at) / 3600
          FROM milestones WHERE pathway_at IS NOT NULL OR NOT closed
          UNION ALL
          SELECT case_id, 'referralToDecision', hours FROM decisions WHERE sent AND (hours IS NOT NULL OR NOT undecided)
        )
        INSERT INTO report_durations (case_id, measure, hours, captured_at, eligible, segment, departement, source_channel, source_campaign)
        SELECT m.case_id, m.measure, m.hours, f.captured_at, f.eligible, f.segment, f.departement, f.source_channel, f.source_campaign
        FROM measured m JOIN report_case_facts f ON f.case_id = m.case_id;
      END $$`);

    // journey_events: every statement, with the cases it touched (an event never changes case).
    await q.query(`
      CREATE FUNCTION journey_events_refresh_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_report_facts(ARRAY(SELECT DISTINCT case_id FROM changed));
        RETURN NULL;
      END $$`);
    for (const [op, table] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ]) {
      await q.query(`
        CREATE TRIGGER journey_events_report_facts_${op.toLowerCase()} AFTER ${op} ON journey_events
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION journey_events_refresh_report_facts()`);
    }

    // TRUNCATE fires no row or statement trigger above: the facts go with the trail.
    await q.query(`
      CREATE FUNCTION journey_events_truncate_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE report_durations, report_case_facts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER journey_events_report_facts_truncate AFTER TRUNCATE ON journey_events
      FOR EACH STATEMENT EXECUTE FUNCTION journey_events_truncate_report_facts()`);

    // The case's filters and groups (a projection step may change its segment or territory).
    await q.query(`
      CREATE FUNCTION cases_refresh_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_report_facts(ARRAY[NEW.id]);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER cases_report_facts AFTER UPDATE OF eligible, segment, departement, source_channel, source_campaign ON cases
      FOR EACH ROW WHEN (OLD.eligible IS DISTINCT FROM NEW.eligible OR OLD.segment IS DISTINCT FROM NEW.segment
                         OR OLD.departement IS DISTINCT FROM NEW.departement OR OLD.source_channel IS DISTINCT FROM NEW.source_channel
                         OR OLD.source_campaign IS DISTINCT FROM NEW.source_campaign)
      EXECUTE FUNCTION cases_refresh_report_facts()`);

    // The partner-type group: the case's last referral, and that partner's type.
    await q.query(`
      CREATE FUNCTION referrals_refresh_report_partner_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE report_case_facts f SET partner_type = report_partner_type(f.case_id)
        WHERE f.case_id IN (SELECT case_id FROM changed) AND f.partner_type IS DISTINCT FROM report_partner_type(f.case_id);
        RETURN NULL;
      END $$`);
    for (const [op, table] of [
      ['INSERT', 'NEW'],
      ['DELETE', 'OLD'],
    ]) {
      await q.query(`
        CREATE TRIGGER referrals_report_partner_type_${op.toLowerCase()} AFTER ${op} ON referrals
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION referrals_refresh_report_partner_type()`);
    }
    // (Transition tables cannot go with a column list: a moved referral is rare, one row at a time.)
    await q.query(`
      CREATE FUNCTION referral_moved_refresh_report_partner_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE report_case_facts SET partner_type = report_partner_type(case_id) WHERE case_id IN (OLD.case_id, NEW.case_id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER referrals_report_partner_type_update AFTER UPDATE OF case_id, partner_id, attempt ON referrals
      FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.partner_id IS DISTINCT FROM NEW.partner_id
                         OR OLD.attempt IS DISTINCT FROM NEW.attempt)
      EXECUTE FUNCTION referral_moved_refresh_report_partner_type()`);
    await q.query(`
      CREATE FUNCTION partner_type_refresh_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE report_case_facts f SET partner_type = report_partner_type(f.case_id)
        WHERE f.case_id IN (SELECT case_id FROM referrals WHERE partner_id = NEW.id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER partners_report_partner_type AFTER UPDATE OF type ON partners
      FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type) EXECUTE FUNCTION partner_type_refresh_report_facts()`);

    // The history so far, from its events.
    await q.query(`SELECT refresh_report_facts(ARRAY(SELECT id FROM cases))`);
    await q.query(`ANALYZE report_case_facts`);
    await q.query(`ANALYZE report_durations`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS partners_report_partner_type ON partners`);
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER IF EXISTS referrals_report_partner_type_${op} ON referrals`);
      await q.query(`DROP TRIGGER IF EXISTS journey_events_report_facts_${op} ON journey_events`);
    }
    await q.query(`DROP TRIGGER IF EXISTS journey_events_report_facts_truncate ON journey_events`);
    await q.query(`DROP TRIGGER IF EXISTS cases_report_facts ON cases`);
    for (const fn of [
      'partner_type_refresh_report_facts()',
      'referral_moved_refresh_report_partner_type()',
      'referrals_refresh_report_partner_type()',
      'cases_refresh_report_facts()',
      'journey_events_refresh_report_facts()',
      'journey_events_truncate_report_facts()',
      'refresh_report_facts(uuid[])',
      'report_partner_type(uuid)',
    ])
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    await q.query(`DROP TABLE IF EXISTS report_durations`);
    await q.query(`DROP TABLE IF EXISTS report_case_facts`);
  }
}
