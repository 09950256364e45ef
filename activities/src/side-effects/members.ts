import type pg from 'pg';
import type { CohortRef } from '../contract.ts';
import type { Queryable } from '../db/member-set.ts';

export const DEFAULT_BATCH_SIZE = 1000;

export type { Queryable };

/**
 * The WHERE clause for a cohort's members still in the journey, with its three values at $1..$3.
 * Uses the (run_id, shard, cohort, customer_id) index; `m` is the run_members alias.
 */
export const COHORT_WHERE = 'm.run_id = $1::uuid AND m.shard = $2::int AND m.cohort = $3::text AND m.exited_at IS NULL';

export function cohortValues(ref: CohortRef): unknown[] {
  return [ref.runId, ref.shard, ref.cohort];
}

export async function armCounts(db: Queryable, ref: CohortRef): Promise<{ treatment: number; holdout: number }> {
  const { rows } = await db.query<{ treatment: number; holdout: number }>(
    `SELECT count(*) FILTER (WHERE NOT m.holdout)::int AS treatment, count(*) FILTER (WHERE m.holdout)::int AS holdout
     FROM run_members m WHERE ${COHORT_WHERE}`,
    cohortValues(ref),
  );
  return rows[0];
}

/**
 * Treatment-arm customer ids in ascending pages of at most `size` (keyset, so memory stays bounded
 * whatever the cohort's size and a page never shifts while earlier ones are processed).
 */
export async function* treatmentPages(
  db: Queryable,
  ref: CohortRef,
  size = DEFAULT_BATCH_SIZE,
): AsyncGenerator<number[]> {
  let after = 0;
  for (;;) {
    const { rows } = await db.query<{ customer_id: string }>(
      `SELECT m.customer_id FROM run_members m
       WHERE ${COHORT_WHERE} AND NOT m.holdout AND m.customer_id > $4::bigint
       ORDER BY m.customer_id LIMIT $5::int`,
      [...cohortValues(ref), after, size],
    );
    if (rows.length === 0) return;
    const ids = rows.map((r) => Number(r.customer_id));
    yield ids;
    after = ids[ids.length - 1];
    if (rows.length < size) return;
  }
}

/** Runs `work` in one transaction on its own client. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
