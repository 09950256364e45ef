// Where a triggered journey's entries went: the cohort workflow that holds a trigger key
// (trigger_entries), and each member's run with its own trigger key.
import type pg from 'pg';

/** The cohort workflow holding `key` (claimed by the router or the date scan); null if none does. */
export async function cohortOf(pool: pg.Pool, journeyId: string, key: string): Promise<string | null> {
  const { rows } = await pool.query<{ workflow_id: string }>(
    'SELECT workflow_id FROM trigger_entries WHERE journey_id = $1 AND trigger_key = $2',
    [journeyId, key],
  );
  return rows[0]?.workflow_id ?? null;
}

/** The journey's members: their run and trigger key, by trigger key. */
export async function memberRuns(
  pool: pg.Pool,
  journeyId: string,
): Promise<Array<{ id: string; trigger_key: string }>> {
  const { rows } = await pool.query<{ id: string; trigger_key: string }>(
    `SELECT m.run_id AS id, m.trigger_key FROM run_members m JOIN runs r ON r.id = m.run_id
     WHERE r.journey_id = $1 ORDER BY m.trigger_key`,
    [journeyId],
  );
  return rows;
}
