import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who sign in to the web console (issue 10): `users`, the one-time sign-in links mailed
 * to them and the sessions those links open. Links and sessions are stored by the SHA-256 of
 * their secret only, so a database dump opens no session.
 */
export class UsersSessions1796400000000 implements MigrationInterface {
  name = 'UsersSessions1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('counsellor', 'partner', 'manager', 'admin')),
        territories text[],
        partner_id text REFERENCES partners (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'partner' OR partner_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_idx ON users (lower(email))`);
    await q.query(`
      CREATE TABLE sign_in_links (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        next_path text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX sign_in_links_user_idx ON sign_in_links (user_id, created_at)`);
    await q.query(`
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sessions`);
    await q.query(`DROP TABLE IF EXISTS sign_in_links`);
    await q.query(`DROP TABLE IF EXISTS users`);
  }
}
