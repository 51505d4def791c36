import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Role } from '@walt/domain';

/** A person who signs in to the web console. */
export interface User {
  userId: string;
  email: string;
  role: Role;
  territories?: string[];
  partnerId?: string;
  active: boolean;
  createdAt: Date;
}

export interface Session {
  user: User;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Secrets (link and session tokens) are stored by hash only. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

interface UserRow {
  id: string;
  email: string;
  role: Role;
  territories: string[] | null;
  partner_id: string | null;
  active: boolean;
  created_at: Date;
}

const USER_COLUMNS = 'u.id, u.email, u.role, u.territories, u.partner_id, u.active, u.created_at';

const toUser = (row: UserRow): User => ({
  userId: row.id,
  email: row.email,
  role: row.role,
  ...(row.territories?.length ? { territories: row.territories } : {}),
  ...(row.partner_id ? { partnerId: row.partner_id } : {}),
  active: row.active,
  createdAt: row.created_at,
});

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Users, their sign-in links and their sessions: every SQL of console sign-in. */
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: { role?: Role; q?: string }): Promise<User[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.role) where.push(`u.role = $${params.push(filter.role)}`);
    if (filter.q) where.push(`u.email ILIKE $${params.push(`%${escapeLike(filter.q)}%`)}`);
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY lower(u.email) LIMIT 500`,
      params,
    );
    return rows.map(toUser);
  }

  async byId(userId: string): Promise<User | undefined> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [userId]);
    return rows[0] && toUser(rows[0]);
  }

  async byEmail(email: string): Promise<User | undefined> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
    return rows[0] && toUser(rows[0]);
  }

  async countActiveAdmins(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`);
    return row.n;
  }

  /** Undefined when the email is already taken (unique, case-insensitive). */
  async create(user: { email: string; role: Role; territories?: string[]; partnerId?: string }): Promise<User | undefined> {
    const rows: UserRow[] = await this.dataSource.query(
      `INSERT INTO users AS u (email, role, territories, partner_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [user.email, user.role, user.territories ?? null, user.partnerId ?? null],
    );
    return rows[0] && toUser(rows[0]);
  }

  async update(
    userId: string,
    change: { role?: Role; territories?: string[] | null; partnerId?: string | null; active?: boolean },
  ): Promise<User | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [userId];
    if (change.role !== undefined) sets.push(`role = $${params.push(change.role)}`);
    if (change.territories !== undefined) sets.push(`territories = $${params.push(change.territories)}`);
    if (change.partnerId !== undefined) sets.push(`partner_id = $${params.push(change.partnerId)}`);
    if (change.active !== undefined) sets.push(`active = $${params.push(change.active)}`);
    if (!sets.length) return this.byId(userId);
    const rows: UserRow[] = await this.dataSource.transaction(async (manager) => {
      const [updated]: [UserRow[], number] = await manager.query(
        `UPDATE users u SET ${sets.join(', ')}, updated_at = now() WHERE u.id = $1 RETURNING ${USER_COLUMNS}`,
        params,
      );
      // A deactivated user, or one whose rights changed, signs in again: no session keeps old rights.
      if (updated.length) await manager.query(`UPDATE sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL`, [userId]);
      return updated;
    });
    return rows[0] && toUser(rows[0]);
  }

  /** Links asked for this user since `since` (the rate limit of sign-in requests). */
  async linksSince(userId: string, since: Date): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM sign_in_links WHERE user_id = $1 AND created_at > $2`, [
      userId,
      since,
    ]);
    return row.n;
  }

  /** Stores a new link; answers its secret (only ever in the email). */
  async createLink(userId: string, now: Date, expiresAt: Date, nextPath?: string): Promise<string> {
    const secret = newSecret();
    await this.dataSource.query(
      `INSERT INTO sign_in_links (token_hash, user_id, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [secretHash(secret), userId, nextPath ?? null, now, expiresAt],
    );
    return secret;
  }

  /**
   * Uses a link once: marks it used and opens a session in one transaction, or says why not.
   * The row lock makes two clicks of the same link open one session.
   */
  async redeemLink(
    secret: string,
    now: Date,
    sessionExpiresAt: Date,
  ): Promise<{ ok: true; sessionSecret: string; nextPath?: string } | { ok: false; why: 'unknown' | 'used' | 'expired' | 'inactive' }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { user_id: string; next_path: string | null; expires_at: Date; used_at: Date | null; active: boolean }[] =
        await manager.query(
          `SELECT l.user_id, l.next_path, l.expires_at, l.used_at, u.active FROM sign_in_links l JOIN users u ON u.id = l.user_id
           WHERE l.token_hash = $1 FOR UPDATE OF l`,
          [secretHash(secret)],
        );
      const link = rows[0];
      if (!link) return { ok: false, why: 'unknown' as const };
      if (link.used_at) return { ok: false, why: 'used' as const };
      if (link.expires_at.getTime() <= now.getTime()) return { ok: false, why: 'expired' as const };
      if (!link.active) return { ok: false, why: 'inactive' as const };
      await manager.query(`UPDATE sign_in_links SET used_at = $2 WHERE token_hash = $1`, [secretHash(secret), now]);
      const sessionSecret = newSecret();
      await manager.query(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
        [secretHash(sessionSecret), link.user_id, newSecret(), now, sessionExpiresAt],
      );
      return { ok: true as const, sessionSecret, ...(link.next_path ? { nextPath: link.next_path } : {}) };
    });
  }

  /**
   * The live session of this secret, touched (its idle clock restarts), or undefined when it is
   * unknown, ended, past its absolute expiry, idle for longer than `idleMs` or its user inactive.
   */
  async touchSession(secret: string, now: Date, idleMs: number): Promise<Session | undefined> {
    // TypeORM answers an UPDATE … RETURNING as [rows, count].
    const [rows]: [(UserRow & { csrf_token: string; s_created_at: Date; s_expires_at: Date })[], number] = await this.dataSource.query(
      `UPDATE sessions s SET last_seen_at = $2
       FROM users u
       WHERE s.token_hash = $1 AND u.id = s.user_id AND u.active AND s.ended_at IS NULL
         AND s.expires_at > $2 AND s.last_seen_at > $3
       RETURNING ${USER_COLUMNS}, s.csrf_token, s.created_at AS s_created_at, s.expires_at AS s_expires_at`,
      [secretHash(secret), now, new Date(now.getTime() - idleMs)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { user: toUser(row), csrfToken: row.csrf_token, createdAt: row.s_created_at, lastSeenAt: now, expiresAt: row.s_expires_at };
  }

  async endSession(secret: string): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`, [secretHash(secret)]);
  }
}
