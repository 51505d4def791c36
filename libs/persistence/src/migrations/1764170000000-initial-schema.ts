import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_POLICY } from '@walt/domain';

/** The walking skeleton's tables. Hand-written SQL: the schema is reviewed, never synchronised. */
export class InitialSchema1764170000000 implements MigrationInterface {
  name = 'InitialSchema1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE youths (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text,
        last_name text,
        birth_date date,
        email text,
        phone text,
        postal_code text NOT NULL,
        commune_code text NOT NULL,
        diploma_level text NOT NULL,
        situation text NOT NULL,
        barriers text[] NOT NULL DEFAULT '{}',
        wishes text[] NOT NULL DEFAULT '{}',
        consent jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz
      )`);
    await q.query(`CREATE INDEX youths_email_idx ON youths (email) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX youths_phone_idx ON youths (phone) WHERE phone IS NOT NULL`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        youth_id uuid NOT NULL REFERENCES youths (id),
        submission_id text NOT NULL UNIQUE,
        stage text NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        segment text NOT NULL,
        eligible boolean NOT NULL,
        age_at_capture int NOT NULL,
        departement text NOT NULL,
        region text NOT NULL,
        source_channel text NOT NULL,
        source_campaign text,
        policy_version int NOT NULL,
        counsellor_id text,
        partner_id text,
        closure_reason text,
        closure_outcome text,
        next_action_at timestamptz,
        journey_started_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cases_youth_idx ON cases (youth_id)`);
    await q.query(`CREATE INDEX cases_stage_idx ON cases (stage, stage_entered_at)`);
    await q.query(`CREATE INDEX cases_departement_idx ON cases (departement)`);
    // The reconciler's work list: open cases whose journey was never confirmed started.
    await q.query(`CREATE INDEX cases_journey_pending_idx ON cases (created_at) WHERE journey_started_at IS NULL AND stage <> 'CLOSED'`);

    await q.query(`
      CREATE TABLE journey_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        type text NOT NULL,
        actor text NOT NULL,
        at timestamptz NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        idempotency_key text NOT NULL UNIQUE,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX journey_events_case_idx ON journey_events (case_id, at, id)`);

    await q.query(`
      CREATE TABLE partners (
        id text PRIMARY KEY,
        type text NOT NULL,
        name text NOT NULL,
        commune_code text NOT NULL,
        departement text NOT NULL,
        zones jsonb NOT NULL,
        min_age int NOT NULL,
        max_age int NOT NULL,
        diploma_levels text[] NOT NULL,
        wishes text[] NOT NULL DEFAULT '{}',
        monthly_capacity int NOT NULL,
        active boolean NOT NULL DEFAULT true,
        contact_email text NOT NULL,
        referral_expires_after text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (min_age <= max_age),
        CHECK (monthly_capacity >= 0)
      )`);
    await q.query(`CREATE INDEX partners_type_departement_idx ON partners (type, departement)`);

    await q.query(`
      CREATE TABLE policies (
        version int PRIMARY KEY,
        body jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO policies (version, body, created_by) VALUES (1, $1, 'migration')`, [JSON.stringify(DEFAULT_POLICY)]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['journey_events', 'cases', 'youths', 'partners', 'policies']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
