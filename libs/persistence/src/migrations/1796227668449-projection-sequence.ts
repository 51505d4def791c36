import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journey numbers its events; the `cases` projection only moves forward. Two steps of one
 * journey may run as concurrent activities (a pause during an escalation), and their commits may
 * land in either order: each group of projection columns remembers the sequence number of the
 * event that last set it, and an older event no longer overwrites a newer one.
 */
export class ProjectionSequence1796227668449 implements MigrationInterface {
  name = 'ProjectionSequence1796227668449';

  async up(q: QueryRunner): Promise<void> {
    // Position in the journey workflow's own sequence; NULL for events written outside it
    // (intake, notes, a referral's workflow, the API).
    await q.query(`ALTER TABLE journey_events ADD COLUMN seq int`);
    // { stage: n, profile: n, partner: n, nextAction: n, closure: n, counsellor: n }
    await q.query(`ALTER TABLE cases ADD COLUMN projection_seqs jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN projection_seqs`);
    await q.query(`ALTER TABLE journey_events DROP COLUMN seq`);
  }
}
