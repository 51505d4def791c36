import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger of each partner's monthly places: one row per referral, taken before the referral
 * is sent, in the same transaction as the check against the partner's capacity (the partner's
 * row locked), so concurrent journeys never send a partner more than its capacity. The month
 * is the programme's (Paris time). Existing referrals are entered as the places they took.
 */
export class PartnerPlaces1796229770793 implements MigrationInterface {
  name = 'PartnerPlaces1796229770793';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_places (
        referral_id uuid PRIMARY KEY,
        partner_id text NOT NULL REFERENCES partners (id),
        case_id uuid NOT NULL REFERENCES cases (id),
        month text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        taken_at timestamptz NOT NULL,
        -- A counsellor's forced override takes a place even beyond the capacity.
        forced boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX partner_places_month_idx ON partner_places (month, partner_id)`);
    await q.query(`
      INSERT INTO partner_places (referral_id, partner_id, case_id, month, taken_at)
      SELECT id, partner_id, case_id, to_char(sent_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM'), sent_at FROM referrals`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS partner_places`);
  }
}
