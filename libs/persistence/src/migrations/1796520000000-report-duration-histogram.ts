import { MigrationInterface, QueryRunner } from 'typeorm';
import { ReportFacts1796500000001 } from './1796500000001-report-facts';

/**
 * Exact duration percentiles without sorting every duration of the period (issue 13: the
 * all-time report sorted ~950k hours at 104,370 journeys, ~9.5M at 1,043,700).
 *
 * Each measured duration gets a `bucket`: its place among fixed, increasing hour boundaries
 * (about 10% wide; -1 while open), so that ordering by (bucket, hours) is ordering by hours.
 * `report_duration_histogram` counts the eligible durations per bucket and per
 * (grouping, group, measure, capture month, campaign), with their sum of hours. A report then
 * adds up the histogram rows of the months wholly inside its window (the partial months at its
 * edges from the durations themselves), finds the bucket holding each percentile's rank, and
 * reads the exact values at that rank through an index on (measure, group, bucket, hours): a
 * few thousand index entries per figure, instead of every duration in scope. Same figures as
 * percentile_cont, which interpolates between the two values around the rank.
 *
 * The histogram is kept by refresh_report_facts in the transaction that changes a case's
 * durations (the triggers of migration 1796500000001): it stages the difference between the
 * case's new and former durations, added to the histogram at the transaction's commit (a
 * deferred trigger) in one statement in key order, so a step only touches the rows of the
 * durations it changed (the stay it ended, the one it opened) and two steps cannot deadlock
 * on them. Sums are numeric so that taking a duration
 * out gives back exactly what adding it put in. The partner-type group now lives on each
 * duration too (`partner_type`, 'NONE' if never referred), so a referral or a partner's new
 * type refreshes the case's durations through the same function.
 */
export class ReportDurationHistogram1796520000000 implements MigrationInterface {
  name = 'ReportDurationHistogram1796520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION report_hours_bucket(hours float8) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN hours IS NULL THEN -1 ELSE width_bucket(hours, '${BUCKET_BOUNDS}'::float8[]) END::smallint
      $$`);
    await q.query(`
      CREATE TABLE report_duration_histogram (
        -- A report's grouping ('all', 'segment', 'departement', 'channel', 'partnerType') and its group.
        grouping text COLLATE "C" NOT NULL,
        grp text COLLATE "C" NOT NULL,
        measure text COLLATE "C" NOT NULL,
        -- The first instant (UTC) of the cases' capture month.
        month timestamptz NOT NULL,
        -- The cases' campaign ('' for none: a key column cannot be NULL).
        campaign text COLLATE "C" NOT NULL,
        bucket smallint NOT NULL,
        n int NOT NULL,
        hours_sum numeric NOT NULL,
        PRIMARY KEY (grouping, month, campaign, grp, measure, bucket)
      )`);
    // A step's differences are staged, then added at its commit in one statement in key order:
    // added as each statement refreshes its cases, two steps touching the same rows in two
    // statements each could deadlock (seen in test/matching-activities.e2e.test.ts).
    await q.query(`
      CREATE TABLE report_duration_histogram_changes (
        xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
        grouping text COLLATE "C" NOT NULL,
        grp text COLLATE "C" NOT NULL,
        measure text COLLATE "C" NOT NULL,
        month timestamptz NOT NULL,
        campaign text COLLATE "C" NOT NULL,
        bucket smallint NOT NULL,
        n int NOT NULL,
        hours_sum numeric NOT NULL
      )`);
    await q.query(`CREATE INDEX report_duration_histogram_changes_xact_idx ON report_duration_histogram_changes (xact)`);
    await q.query(`
      CREATE FUNCTION apply_report_histogram_changes() RETURNS void LANGUAGE sql AS $$
        WITH staged AS (
          DELETE FROM report_duration_histogram_changes WHERE xact = pg_current_xact_id() RETURNING *
        )
        INSERT INTO report_duration_histogram AS h (grouping, month, campaign, grp, measure, bucket, n, hours_sum)
        SELECT grouping, month, campaign, grp, measure, bucket, sum(n), sum(hours_sum)
        FROM staged
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(n) <> 0 OR sum(hours_sum) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (grouping, month, campaign, grp, measure, bucket)
        DO UPDATE SET n = h.n + EXCLUDED.n, hours_sum = h.hours_sum + EXCLUDED.hours_sum
      $$`);
    await q.query(`
      CREATE FUNCTION report_histogram_changes_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The first staged row of the transaction applies them all; the others return at once
        -- (looking for staged rows again would walk every row this transaction deleted).
        IF current_setting('walt.report_histogram_applied', true) = 'yes' THEN RETURN NULL; END IF;
        PERFORM apply_report_histogram_changes();
        PERFORM set_config('walt.report_histogram_applied', 'yes', true);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER report_histogram_changes_applied AFTER INSERT ON report_duration_histogram_changes
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION report_histogram_changes_at_commit()`);
    // The durations are recomputed below with their bucket and partner type.
    await q.query(`TRUNCATE report_durations`);
    await q.query(`ALTER TABLE report_durations ADD COLUMN bucket smallint NOT NULL, ADD COLUMN partner_type text COLLATE "C" NOT NULL`);
    await q.query(REFRESH_REPORT_FACTS);
    await q.query(`
      CREATE OR REPLACE FUNCTION journey_events_truncate_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE report_durations, report_case_facts, report_duration_histogram, report_duration_histogram_changes;
        RETURN NULL;
      END $$`);
    // The partner-type group: a case whose last referral's partner type changed is refreshed whole.
    await q.query(`
      CREATE OR REPLACE FUNCTION referrals_refresh_report_partner_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_report_facts(ARRAY(
          SELECT f.case_id FROM report_case_facts f
          WHERE f.case_id IN (SELECT case_id FROM changed) AND f.partner_type IS DISTINCT FROM report_partner_type(f.case_id)));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION referral_moved_refresh_report_partner_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_report_facts(ARRAY(SELECT DISTINCT id FROM unnest(ARRAY[OLD.case_id, NEW.case_id]) id));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION partner_type_refresh_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_report_facts(ARRAY(SELECT DISTINCT case_id FROM referrals WHERE partner_id = NEW.id));
        RETURN NULL;
      END $$`);

    // The history so far (facts, durations and histogram), then the indexes the reports read.
    await q.query(`SELECT refresh_report_facts(ARRAY(SELECT id FROM cases))`); // (added to the histogram at commit)
    for (const [name, group] of FETCH_INDEXES)
      await q.query(`
        CREATE INDEX report_durations_${name}_rank_idx ON report_durations (measure, ${group ? `${group}, ` : ''}bucket, hours)
        INCLUDE (captured_at, source_campaign) WHERE eligible`);
    // A report filtered by territory reads that département's durations.
    await q.query(`CREATE INDEX report_durations_departement_idx ON report_durations (departement, captured_at)`);
    await q.query(`ANALYZE report_case_facts`);
    await q.query(`ANALYZE report_durations`);
    await q.query(`ANALYZE report_duration_histogram`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The facts as migration 1796500000001 made them, rebuilt from the trail.
    const facts = new ReportFacts1796500000001();
    await facts.down(q);
    await q.query(`DROP TABLE IF EXISTS report_duration_histogram_changes`);
    await q.query(`DROP FUNCTION IF EXISTS report_histogram_changes_at_commit()`);
    await q.query(`DROP FUNCTION IF EXISTS apply_report_histogram_changes()`);
    await q.query(`DROP TABLE IF EXISTS report_duration_histogram`);
    await q.query(`DROP FUNCTION IF EXISTS report_hours_bucket(float8)`);
    await facts.up(q);
  }
}

/**
 * The buckets' upper boundaries in hours, e^(i/10) - 1 for i = 1..100 (each about 10.5% above
 * the one before, up to 22,025 h, two and a half years): about 60 buckets hold a measure's
 * durations, none more than a tenth of them. width_bucket compares with these values only, so
 * a longer duration never falls in a lower bucket.
 */
const BUCKET_BOUNDS = `{${Array.from({ length: 100 }, (_, i) => Number((Math.exp((i + 1) / 10) - 1).toFixed(4))).join(',')}}`;

/** Per grouping, the column of report_durations it groups by, for the index the percentiles are read through. */
const FETCH_INDEXES: [string, string | null][] = [
  ['all', null],
  ['segment', 'segment'],
  ['departement', 'departement'],
  ['channel', 'source_channel'],
  ['partner_type', 'partner_type'],
];

/**
 * refresh_report_facts as migration 1796500000001 wrote it, but the durations are replaced in
 * one statement that also adds their difference to the histogram.
 */
const REFRESH_REPORT_FACTS = `
  CREATE OR REPLACE FUNCTION refresh_report_facts(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF cardinality(ids) = 0 THEN RETURN; END IF;
    -- Steps of one case are serialised here; each statement below then sees the other's events.
    PERFORM 1 FROM cases c JOIN unnest(ids) t(id) ON c.id = t.id ORDER BY c.id FOR NO KEY UPDATE OF c;
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
    ),
    gone AS (
      DELETE FROM report_durations d USING unnest(ids) t(id) WHERE d.case_id = t.id
      RETURNING d.measure, d.hours, d.bucket, d.captured_at, d.eligible, d.segment, d.departement, d.source_channel,
                d.source_campaign, d.partner_type
    ),
    added AS (
      INSERT INTO report_durations (case_id, measure, hours, bucket, captured_at, eligible, segment, departement, source_channel,
                                    source_campaign, partner_type)
      SELECT m.case_id, m.measure, m.hours, report_hours_bucket(m.hours), f.captured_at, f.eligible, f.segment, f.departement,
             f.source_channel, f.source_campaign, COALESCE(f.partner_type, 'NONE')
      FROM measured m JOIN report_case_facts f ON f.case_id = m.case_id
      RETURNING measure, hours, bucket, captured_at, eligible, segment, departement, source_channel, source_campaign, partner_type
    ),
    changes AS (
      SELECT gone.*, -1 AS n, -(hours::numeric) AS hours_sum FROM gone WHERE eligible
      UNION ALL
      SELECT added.*, 1, hours::numeric FROM added WHERE eligible
    )
    -- Staged, added to the histogram at commit (apply_report_histogram_changes).
    INSERT INTO report_duration_histogram_changes (grouping, month, campaign, grp, measure, bucket, n, hours_sum)
    SELECT g.grouping, date_trunc('month', c.captured_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COALESCE(c.source_campaign, ''),
           g.grp, c.measure, c.bucket, sum(c.n), COALESCE(sum(c.hours_sum), 0)
    FROM changes c
    CROSS JOIN LATERAL (VALUES ('all', 'ALL'), ('segment', c.segment), ('departement', c.departement),
                               ('channel', c.source_channel), ('partnerType', c.partner_type)) g(grouping, grp)
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(c.n) <> 0 OR COALESCE(sum(c.hours_sum), 0) <> 0;
  END $$`;
