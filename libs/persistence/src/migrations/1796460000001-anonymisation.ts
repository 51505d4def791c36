import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic anonymisation after inactivity: policy versions written before it get its defaults
 * (two years, a notice thirty days before); the scan of inactive cases
 * reads each case's last event through journey_events_case_idx.
 */
export class Anonymisation1796460000001 implements MigrationInterface {
  name = 'Anonymisation1796460000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE policies SET body = body || '{"anonymiseAfterInactivity": "P2Y", "anonymiseNoticeBefore": "P30D"}'::jsonb
        WHERE NOT body ? 'anonymiseAfterInactivity'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE policies SET body = body - 'anonymiseAfterInactivity' - 'anonymiseNoticeBefore'`);
  }
}
