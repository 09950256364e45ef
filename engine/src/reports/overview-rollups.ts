// The shop overview's precomputed tables (migration 089): per-buyer rows recomputed from the
// buyer's purchases, and small aggregates kept as their sums. Writes to orders, order_items and a
// buyer's address mark the customer dirty (statement triggers, cheap on a bulk import); a refresh
// recomputes the dirty buyers' rows and applies the difference (old rows out, new rows in) to the
// aggregates. Days and months are local to the shop's time zone: another zone rebuilds everything.
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';

/** An aggregate: its key columns (and the per-buyer expressions they come from) and its sums. */
interface Aggregate {
  table: string;
  source: string;
  keys: Record<string, string>;
  /** The first one counts buyers: the row goes when it reaches 0. */
  sums: Record<string, string>;
}

const within = (days: number) => `count(*) FILTER (WHERE s.second_at <= s.first_at + interval '${days} days')`;

const AGGREGATES: Aggregate[] = [
  {
    table: 'overview_days',
    source: 'overview_buyer_days',
    keys: { day: 's.day', prev_day: 's.prev_day' },
    sums: { buyers: 'count(*)', orders: 'sum(s.orders)', sales: 'sum(s.sales)' },
  },
  {
    table: 'overview_day_categories',
    source: 'overview_buyer_categories',
    keys: { day: 's.day', category: 's.category', prev_day: 's.prev_day' },
    sums: { buyers: 'count(*)', sales: 'sum(s.sales)' },
  },
  {
    table: 'overview_months',
    source: 'overview_buyer_months',
    keys: { month: 's.month', gap: 's.gap' },
    sums: { buyers: 'count(*)' },
  },
  {
    table: 'overview_first_days',
    source: 'overview_customers',
    keys: { day: 's.first_day' },
    sums: {
      buyers: 'count(*)',
      d1: within(1),
      d3: within(3),
      d7: within(7),
      d30: within(30),
      s0: 'sum(s.ltv[1])',
      s1: 'sum(s.ltv[2])',
      s2: 'sum(s.ltv[3])',
      s3: 'sum(s.ltv[4])',
    },
  },
];

const SOURCES = ['overview_buyer_days', 'overview_buyer_categories', 'overview_buyer_months', 'overview_customers'];

/** Adds (sign 1) or takes out (sign -1) the refreshed buyers' rows from one aggregate. */
function applySql(a: Aggregate, sign: 1 | -1): string {
  const keys = Object.keys(a.keys);
  const sums = Object.keys(a.sums);
  return `INSERT INTO ${a.table} AS t (${[...keys, ...sums].join(', ')})
    SELECT ${Object.values(a.keys).join(', ')}, ${Object.values(a.sums)
      .map((e) => `${sign} * ${e}`)
      .join(', ')}
    FROM ${a.source} s JOIN overview_refresh r USING (customer_id)
    GROUP BY ${Object.values(a.keys).join(', ')}
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sums.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`;
}

/** Spend up to the end of the first purchase's local month +k (k = 0..3). */
const ltvUpTo = (k: number) =>
  `coalesce(sum(amount) FILTER (WHERE paid_at < ((date_trunc('month', first_at AT TIME ZONE $1) + interval '${k + 1} months') AT TIME ZONE $1)), 0)`;

/** The refreshed buyers' per-buyer rows, from their purchases ($1: the time zone). */
const RECOMPUTE = [
  `INSERT INTO overview_buyer_days (customer_id, day, prev_day, orders, sales, province, city)
   SELECT x.customer_id, x.day, coalesce(lag(x.day) OVER (PARTITION BY x.customer_id ORDER BY x.day), '-infinity'),
          x.orders, x.sales, c.province, c.city
   FROM (SELECT p.customer_id, (p.paid_at AT TIME ZONE $1)::date AS day, count(*)::int AS orders, sum(p.amount) AS sales
         FROM purchases p JOIN overview_refresh r USING (customer_id) GROUP BY 1, 2) x
   JOIN customers c ON c.id = x.customer_id`,
  `INSERT INTO overview_buyer_categories (customer_id, category, day, prev_day, sales)
   SELECT customer_id, category, day, coalesce(lag(day) OVER (PARTITION BY customer_id, category ORDER BY day), '-infinity'), sales
   FROM (SELECT p.customer_id, i.category, (p.paid_at AT TIME ZONE $1)::date AS day, sum(i.amount) AS sales
         FROM purchases p JOIN overview_refresh r USING (customer_id) JOIN order_items i ON i.order_id = p.id
         GROUP BY 1, 2, 3) x`,
  `INSERT INTO overview_buyer_months (customer_id, month, gap)
   SELECT customer_id, month,
          CASE WHEN next <= month + interval '3 months'
               THEN (extract(year FROM next) * 12 + extract(month FROM next) - extract(year FROM month) * 12 - extract(month FROM month))
               ELSE 0 END
   FROM (SELECT customer_id, month, lead(month) OVER (PARTITION BY customer_id ORDER BY month) AS next
         FROM (SELECT DISTINCT b.customer_id, date_trunc('month', b.day)::date AS month
               FROM overview_buyer_days b JOIN overview_refresh r USING (customer_id)) m) x`,
  `INSERT INTO overview_customers (customer_id, orders, spend, mean, first_at, second_at, last_at, first_day, last_day, ltv)
   SELECT customer_id, count(*), sum(amount), avg(amount), first_at, min(paid_at) FILTER (WHERE paid_at > first_at),
          max(paid_at), (first_at AT TIME ZONE $1)::date, (max(paid_at) AT TIME ZONE $1)::date, ARRAY[${[0, 1, 2, 3].map(ltvUpTo).join(', ')}]
   FROM (SELECT p.customer_id, p.amount, p.paid_at, min(p.paid_at) OVER (PARTITION BY p.customer_id) AS first_at
         FROM purchases p JOIN overview_refresh r USING (customer_id)) x
   GROUP BY customer_id, first_at`,
];

/** Serialises refreshes: a second overview waits for the first's refresh, then finds nothing dirty. */
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('overview_rollups'))";

async function recompute(db: pg.PoolClient, timeZone: string, replace: boolean): Promise<void> {
  if (replace) {
    for (const a of AGGREGATES) await db.query(applySql(a, -1));
    for (const table of SOURCES)
      await db.query(`DELETE FROM ${table} t USING overview_refresh r WHERE t.customer_id = r.customer_id`);
  }
  // The months come from the days just written: that statement has no time zone parameter.
  for (const sql of RECOMPUTE) await db.query(sql, sql.includes('$1') ? [timeZone] : []);
  for (const a of AGGREGATES) await db.query(applySql(a, 1));
  if (replace) for (const a of AGGREGATES) await db.query(`DELETE FROM ${a.table} WHERE buyers = 0`);
}

async function rebuildLocked(db: pg.PoolClient, timeZone: string): Promise<void> {
  await db.query(`TRUNCATE overview_dirty, ${[...SOURCES, ...AGGREGATES.map((a) => a.table)].join(', ')}`);
  await db.query(`INSERT INTO overview_refresh SELECT DISTINCT customer_id FROM purchases`);
  await recompute(db, timeZone, false);
  for (const table of [...SOURCES, ...AGGREGATES.map((a) => a.table)]) await db.query(`ANALYZE ${table}`);
  await db.query(
    `INSERT INTO overview_rollup_state (time_zone, built_at) VALUES ($1, now())
     ON CONFLICT (one) DO UPDATE SET time_zone = excluded.time_zone, built_at = excluded.built_at`,
    [timeZone],
  );
}

const REFRESH_TABLE = 'CREATE TEMP TABLE overview_refresh (customer_id bigint PRIMARY KEY) ON COMMIT DROP';

/**
 * Rebuilds every overview table from the orders, with days in `timeZone`. For existing data (the
 * first overview after migration 089 calls it) and when the shop's time zone changes (the settings
 * page calls it; the next overview would otherwise do it, seeing another zone).
 */
export async function rebuildOverviewRollups(pool: pg.Pool, timeZone: string): Promise<void> {
  await withTransaction(pool, async (db) => {
    await db.query(LOCK);
    await db.query(REFRESH_TABLE);
    await rebuildLocked(db, timeZone);
  });
}

/**
 * Brings the overview tables up to date: recomputes the buyers whose orders, items or address
 * changed since the last refresh; rebuilds when never built or built in another time zone.
 * Returns how many buyers it recomputed ('rebuilt' for a rebuild).
 */
export async function refreshOverviewRollups(pool: pg.Pool, timeZone: string): Promise<number | 'rebuilt'> {
  return withTransaction(pool, async (db) => {
    await db.query(LOCK);
    await db.query(REFRESH_TABLE);
    const { rows } = await db.query<{ time_zone: string }>('SELECT time_zone FROM overview_rollup_state');
    if (rows[0]?.time_zone !== timeZone) {
      await rebuildLocked(db, timeZone);
      return 'rebuilt';
    }
    const dirty = await db.query(
      'WITH d AS (DELETE FROM overview_dirty RETURNING customer_id) INSERT INTO overview_refresh SELECT customer_id FROM d',
    );
    if (!dirty.rowCount) return 0;
    // Its size lets the planner reach a few buyers' orders by index rather than scan them all.
    await db.query('ANALYZE overview_refresh');
    await recompute(db, timeZone, true);
    return dirty.rowCount;
  });
}
