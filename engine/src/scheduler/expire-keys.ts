// Idempotency keys (api/idempotency.ts) answer retries for a day; the scheduler tick deletes older ones.
import type pg from 'pg';

/** Keys are kept at least this long (docs/api.md § Idempotent campaign writes). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export async function deleteExpiredIdempotencyKeys(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
    [IDEMPOTENCY_RETENTION_HOURS],
  );
  return rowCount ?? 0;
}
