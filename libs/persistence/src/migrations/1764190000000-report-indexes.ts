import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the programme managers' reports use (apps/api/src/reports), checked with EXPLAIN
 * ANALYZE on the benchmark's volume (bench/reports, "## reports" in bench/README.md). Partial,
 * so they cost a write only for the event types they cover.
 *
 * Not added, because EXPLAIN showed no use for it: an index on the stage boundaries (case_id,
 * at, id) WHERE type IN ('CAPTURED', 'STAGE_CHANGED', 'CLOSED'). A report over a short window
 * reads each case's events through the existing journey_events_case_idx (case_id, at, id); one
 * over a long window reads most of the table, where a sequential scan is cheaper.
 */
export class ReportIndexes1764190000000 implements MigrationInterface {
  name = 'ReportIndexes1764190000000';

  async up(q: QueryRunner): Promise<void> {
    // Every report but `overdue` starts from the cases captured in a window: the CAPTURED events
    // by time, with the case id in the index so the window is read without touching the table
    // (an index-only scan: a 90-day window reads ~1,000 entries instead of every event).
    await q.query(`CREATE INDEX journey_events_captured_idx ON journey_events (at) INCLUDE (case_id) WHERE type = 'CAPTURED'`);
    // The partners report counts the reminders of the referrals it reads (a few per cent of
    // the events), joined on the case.
    await q.query(`CREATE INDEX journey_events_reminded_idx ON journey_events (case_id) WHERE type = 'REFERRAL_REMINDED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS journey_events_reminded_idx`);
    await q.query(`DROP INDEX IF EXISTS journey_events_captured_idx`);
  }
}
