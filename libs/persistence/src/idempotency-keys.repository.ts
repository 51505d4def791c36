import { DataSource } from 'typeorm';
import { DEFAULT_RETENTION, retentionMs } from '@walt/domain';

/** How long a key is remembered (API.md: within 24 h); the daily retention purge deletes it after that. */
export const IDEMPOTENCY_KEY_TTL_HOURS = retentionMs(DEFAULT_RETENTION.idempotencyKeys)! / 3_600_000;

/** What a claim finds: a new key (go on), the first answer (replay it), or a reason to refuse. */
export type IdempotencyClaim =
  { kind: 'claimed' } | { kind: 'answered'; status: number; body: unknown } | { kind: 'mismatch' } | { kind: 'inProgress' };

/**
 * The answers given to `Idempotency-Key`s, by caller and key. A request claims its key before it
 * runs (a row without a status, leased for `leaseSeconds`), then records its answer; a request
 * that failed without an answer worth repeating (a 5xx) releases the key so a retry runs again.
 */
export class IdempotencyKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claim(actor: string, key: string, fingerprint: string, leaseSeconds: number): Promise<IdempotencyClaim> {
    // One statement: a new key, an expired one (older than the TTL) or an abandoned claim (its
    // lease over, its process gone) is taken; anything else is returned as it stands.
    const [row] = await this.dataSource.query(
      `INSERT INTO idempotency_keys AS k (actor, key, fingerprint, locked_until)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (actor, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, locked_until = EXCLUDED.locked_until, status = NULL, body = NULL, created_at = now()
         WHERE k.created_at < now() - make_interval(hours => $5)
            OR (k.status IS NULL AND k.locked_until < now() AND k.fingerprint = EXCLUDED.fingerprint)
       RETURNING true AS claimed`,
      [actor, key, fingerprint, leaseSeconds, IDEMPOTENCY_KEY_TTL_HOURS],
    );
    if (row?.claimed) return { kind: 'claimed' };
    const [existing] = await this.dataSource.query(`SELECT fingerprint, status, body FROM idempotency_keys WHERE actor = $1 AND key = $2`, [
      actor,
      key,
    ]);
    if (!existing) return this.claim(actor, key, fingerprint, leaseSeconds); // forgotten in between
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (existing.status === null) return { kind: 'inProgress' };
    return { kind: 'answered', status: existing.status, body: existing.body };
  }

  async answer(actor: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET status = $3, body = $4, locked_until = NULL WHERE actor = $1 AND key = $2`, [
      actor,
      key,
      status,
      JSON.stringify(body ?? null),
    ]);
  }

  async release(actor: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE actor = $1 AND key = $2 AND status IS NULL`, [actor, key]);
  }
}
