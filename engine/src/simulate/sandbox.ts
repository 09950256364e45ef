// The data a simulation runs on: a fresh in-memory PGlite, never the shop's database. Either the
// deterministic demo shop, or one real customer (with their orders, reviews and opt-outs) copied
// in, so a draft can be tried on a known test customer without touching anything real.
import type pg from 'pg';
import { openDatabase } from '../db/connect.ts';
import type { Database } from '../db/connect.ts';
import { seedDemoShop } from '../demo/seed.ts';

export type SandboxAudience =
  | { kind: 'demo_shop'; customers: number }
  /** `reachable`: for a test send, the copy has a phone and no opt-out or cap, so every message renders. */
  | { kind: 'customer'; customerId: number; from: pg.Pool; reachable?: boolean };

/** A test send's stand-in number for a customer without one (the colleagues' numbers are used). */
const STAND_IN_PHONE = '+8613800000000';

export class CustomerNotFound extends Error {
  constructor(readonly customerId: number) {
    super(`customer ${customerId} not found`);
  }
}

/** Rows copied for one customer, parents first (the whole catalogue, then that customer's rows). */
const CUSTOMER_ROWS: readonly { table: string; where: string }[] = [
  { table: 'products', where: 'true' },
  { table: 'customers', where: 'id = $1' },
  { table: 'orders', where: 'customer_id = $1' },
  { table: 'order_items', where: 'order_id IN (SELECT id FROM orders WHERE customer_id = $1)' },
  { table: 'reviews', where: 'customer_id = $1' },
  { table: 'opt_outs', where: 'customer_id = $1 OR recipient = (SELECT phone FROM customers WHERE id = $1)' },
  { table: 'suppressions', where: 'customer_id = $1 OR recipient = (SELECT phone FROM customers WHERE id = $1)' },
];

/** Opens the sandbox and loads its audience; the caller closes it. */
export async function openSandbox(audience: SandboxAudience): Promise<Database> {
  const db = await openDatabase({ pgliteDataDir: 'memory://', poolSize: 4 });
  try {
    if (audience.kind === 'demo_shop') await seedDemoShop(db.pool, { customers: audience.customers });
    else {
      await copyCustomer(audience.from, db.pool, audience.customerId);
      if (audience.reachable) await makeReachable(db.pool);
    }
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function copyCustomer(from: pg.Pool, to: pg.Pool, customerId: number): Promise<void> {
  const { rowCount } = await from.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
  if (!rowCount) throw new CustomerNotFound(customerId);
  for (const { table, where } of CUSTOMER_ROWS) {
    // Whole rows as JSON, back into the same table type: no column list to keep in step with migrations.
    const params = where.includes('$1') ? [customerId] : [];
    const { rows } = await from.query<{ rows: unknown[] | null }>(
      `SELECT json_agg(t) AS rows FROM ${table} t WHERE ${where.replace(/\$1/g, '$1::bigint')}`,
      params,
    );
    if (!rows[0].rows) continue;
    await to.query(
      `INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(null::${table}, $1::json)`,
      [JSON.stringify(rows[0].rows)],
    );
  }
  // The shop-wide send policy (frequency cap) is the real one.
  const settings = await from.query<{ row: unknown }>('SELECT row_to_json(s) AS row FROM shop_settings s');
  if (settings.rows[0]) {
    await to.query('DELETE FROM shop_settings');
    await to.query('INSERT INTO shop_settings SELECT * FROM json_populate_record(null::shop_settings, $1::json)', [
      JSON.stringify(settings.rows[0].row),
    ]);
  }
}

async function makeReachable(pool: pg.Pool): Promise<void> {
  await pool.query('UPDATE customers SET phone = coalesce(phone, $1)', [STAND_IN_PHONE]);
  await pool.query('DELETE FROM opt_outs');
  await pool.query('DELETE FROM suppressions');
  await pool.query('UPDATE shop_settings SET marketing_cap = 1000000');
}
