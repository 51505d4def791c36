import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journey's later stages: referrals to partners, follow-up check-ins, outbound messages,
 * and case notes (free text stays here: workflows only ever carry a note's id).
 */
export class ReferralsCheckInsMessages1764180000000 implements MigrationInterface {
  name = 'ReferralsCheckInsMessages1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        partner_id text NOT NULL REFERENCES partners (id),
        attempt int NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        reason text,
        comment text,
        note text,
        sent_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        reminded_at timestamptz,
        decided_at timestamptz,
        decided_by text,
        appointment_at timestamptz,
        attended boolean,
        attendance_at timestamptz,
        outcome text,
        UNIQUE (case_id, attempt)
      )`);
    await q.query(`CREATE INDEX referrals_partner_idx ON referrals (partner_id, status, sent_at)`);
    await q.query(`CREATE INDEX referrals_sent_at_idx ON referrals (sent_at)`);

    await q.query(`
      CREATE TABLE check_ins (
        case_id uuid NOT NULL REFERENCES cases (id),
        seq int NOT NULL,
        due_at timestamptz NOT NULL,
        at timestamptz,
        status text,
        outcome text,
        note text,
        PRIMARY KEY (case_id, seq)
      )`);

    await q.query(`
      CREATE TABLE outbound_messages (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        job_id text NOT NULL UNIQUE,
        purpose text NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        partner_id text,
        referral_id uuid,
        status text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        scheduled_at timestamptz NOT NULL,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbound_messages_case_idx ON outbound_messages (case_id, created_at)`);
    await q.query(`CREATE INDEX outbound_messages_pending_idx ON outbound_messages (scheduled_at) WHERE status IN ('QUEUED', 'DELAYED')`);

    await q.query(`
      CREATE TABLE case_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        author text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_notes_case_idx ON case_notes (case_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['case_notes', 'outbound_messages', 'check_ins', 'referrals']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
