import type pg from 'pg';

export type Db = pg.Pool | pg.PoolClient;

/** Settings for the rest of a transaction (SET LOCAL): names and values are the code's own constants. */
export type TransactionSettings = Readonly<Record<string, string>>;

const setLocalSql = (settings: TransactionSettings): string =>
  Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_.]+$/.test(name) || !/^[\w.]+$/.test(value)) throw new Error(`bad setting ${name} = ${value}`);
      return `SET LOCAL ${name} = '${value}'`;
    })
    .join('; ');

/** SET LOCAL each setting, in one round trip. */
export async function setLocal(db: Db, settings: TransactionSettings): Promise<void> {
  await db.query(setLocalSql(settings));
}

/**
 * Runs `fn` in one transaction: a failed request leaves nothing half-written. `settings` are set
 * for the transaction with its BEGIN (one round trip: hot paths run thousands a second).
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  settings?: TransactionSettings,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(settings ? `BEGIN; ${setLocalSql(settings)}` : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Timestamps as ISO strings (null stays null), the one date format of the API. */
export const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();
