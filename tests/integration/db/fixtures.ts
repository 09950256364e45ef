import type pg from 'pg';

/** Hand-made shop rows for tests whose answers are worked out by hand. */

export interface FixtureItem {
  /** A key of the shop's categories (the demo shop's: food, kids_clothing, daily_goods, durables). */
  readonly category: string;
  readonly amount: number;
}

export interface FixtureOrder {
  readonly customerId: number;
  readonly at: Date;
  readonly status?: 'created' | 'paid' | 'shipped' | 'completed' | 'closed' | 'refunded';
  readonly items: readonly FixtureItem[];
}

export async function insertCustomers(pool: pg.Pool, ids: readonly number[]): Promise<void> {
  await pool.query(
    `INSERT INTO customers (id, nickname, phone) SELECT id, 'c' || id, '+86190' || lpad(id::text, 8, '0') FROM unnest($1::bigint[]) AS u(id)`,
    [ids],
  );
  // Chosen ids leave the identity behind: move it past them, or the next customer an import or an
  // event creates would take one of their ids.
  await pool.query(`SELECT setval(pg_get_serial_sequence('customers', 'id'), max(id)) FROM customers`);
}

/** Inserts an order and its items; paid_at is `at` unless the order was never paid. */
export async function insertOrder(pool: pg.Pool, order: FixtureOrder): Promise<number> {
  const status = order.status ?? 'completed';
  const paid = status !== 'created' && status !== 'closed';
  const amount = order.items.reduce((sum, i) => sum + i.amount, 0);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO orders (customer_id, status, amount, item_count, created_at, paid_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [order.customerId, status, amount, order.items.length, order.at, paid ? order.at : null],
  );
  const orderId = Number(rows[0].id);
  await pool.query(
    `INSERT INTO order_items (order_id, line_no, category, quantity, unit_price, amount)
     SELECT $1, n, c, 1, a, a FROM unnest($2::text[], $3::numeric[]) WITH ORDINALITY AS u(c, a, n)`,
    [orderId, order.items.map((i) => i.category), order.items.map((i) => i.amount)],
  );
  return orderId;
}

export interface FixtureMember {
  readonly customerId: number;
  readonly shard: number;
  readonly holdout: boolean;
  readonly exited?: boolean;
}

/** A journey, a version and an audience run with the given members; returns the run id. */
export async function insertRun(pool: pg.Pool, members: readonly FixtureMember[]): Promise<string> {
  const runId = await insertEmptyRun(pool);
  await pool.query(
    `INSERT INTO run_members (run_id, customer_id, shard, holdout, exited_at, exit_reason)
     SELECT $1, c, s, h, CASE WHEN e THEN now() END, CASE WHEN e THEN 'converted' END
     FROM unnest($2::bigint[], $3::int[], $4::boolean[], $5::boolean[]) AS u(c, s, h, e)`,
    [
      runId,
      members.map((m) => m.customerId),
      members.map((m) => m.shard),
      members.map((m) => m.holdout),
      members.map((m) => m.exited ?? false),
    ],
  );
  return runId;
}

/** A journey, a version and an audience run without members yet. */
export async function insertEmptyRun(pool: pg.Pool): Promise<string> {
  const journey = await pool.query<{ id: string }>(
    "INSERT INTO journeys (name, kind) VALUES ('fixture', 'audience') RETURNING id",
  );
  const version = await pool.query<{ id: string }>(
    "INSERT INTO journey_versions (journey_id, version, graph, plan) VALUES ($1, 1, '{}', '{}') RETURNING id",
    [journey.rows[0].id],
  );
  const run = await pool.query<{ id: string }>(
    "INSERT INTO runs (journey_id, version_id, kind, state) VALUES ($1, $2, 'audience', 'running') RETURNING id",
    [journey.rows[0].id, version.rows[0].id],
  );
  return run.rows[0].id;
}
