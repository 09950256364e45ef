import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhone } from '@huitou/schemas/phone';
import type { Database } from '../../../engine/src/db/connect.ts';
import { demoCatalog } from '../../../engine/src/demo/catalog.ts';
import { resetShop, seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { ShopModel, localDayStart } from '../../../engine/src/demo/shop-model.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const CUSTOMERS = 2000;
const SEED = 7;
const REFERENCE_DATE = '2026-11-20';

async function fingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, order] of [
    ['customers', 'id'],
    ['orders', 'id'],
    ['order_items', 'order_id, line_no'],
    ['reviews', 'order_id'],
  ]) {
    const { rows } = await db.pool.query<{ h: string }>(
      // updated_at (orders, migration 080) is when the row was written, not what the model generated.
      `SELECT md5(string_agg((to_jsonb(t) - 'updated_at')::text, '|' ORDER BY ${order})) AS h FROM ${table} t`,
    );
    out[table] = rows[0].h;
  }
  return out;
}

describe(`demo shop generator (${describeEngine('configured')})`, () => {
  let db: Database;
  let first: Record<string, string>;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoShop(db.pool, {
      customers: CUSTOMERS,
      seed: SEED,
      referenceDate: REFERENCE_DATE,
      batchSize: 700,
      concurrency: 2,
    });
    first = await fingerprint(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('loads exactly what the model generates (totals recomputed in memory)', async () => {
    const model = new ShopModel({ seed: SEED, referenceDate: REFERENCE_DATE, catalog: demoCatalog() });
    let orders = 0;
    let items = 0;
    let purchaseCents = 0;
    const categoryCents: Record<string, number> = {};
    for (let id = 1; id <= CUSTOMERS; id++) {
      for (const order of model.generate(id).orders) {
        orders++;
        items += order.items.length;
        if (order.paidAt !== null && order.status !== 'refunded') purchaseCents += Math.round(order.amount * 100);
        for (const item of order.items)
          categoryCents[item.category] = (categoryCents[item.category] ?? 0) + Math.round(item.amount * 100);
      }
    }
    const counts = await db.pool.query<{ customers: number; orders: number; items: number; purchase_cents: string }>(
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM orders) AS orders,
              (SELECT count(*)::int FROM order_items) AS items, (SELECT (sum(amount) * 100)::bigint::text FROM purchases) AS purchase_cents`,
    );
    expect(counts.rows[0]).toEqual({ customers: CUSTOMERS, orders, items, purchase_cents: String(purchaseCents) });
    const byCategory = await db.pool.query<{ category: string; cents: string }>(
      'SELECT category, (sum(amount) * 100)::bigint::text AS cents FROM order_items GROUP BY 1',
    );
    expect(Object.fromEntries(byCategory.rows.map((r) => [r.category, Number(r.cents)]))).toEqual(categoryCents);
  });

  it('is deterministic whatever the batch size and concurrency, and the seed matters', async () => {
    await resetShop(db.pool);
    await seedDemoShop(db.pool, {
      customers: CUSTOMERS,
      seed: SEED,
      referenceDate: REFERENCE_DATE,
      batchSize: 333,
      concurrency: 1,
    });
    expect(await fingerprint(db)).toEqual(first);
    await resetShop(db.pool);
    await seedDemoShop(db.pool, { customers: CUSTOMERS, seed: SEED + 1, referenceDate: REFERENCE_DATE });
    const other = await fingerprint(db);
    expect(other.orders).not.toEqual(first.orders);
    await resetShop(db.pool);
    await seedDemoShop(db.pool, { customers: CUSTOMERS, seed: SEED, referenceDate: REFERENCE_DATE });
    expect(await fingerprint(db)).toEqual(first);
  });

  it('refuses to seed over an existing shop', async () => {
    await expect(seedDemoShop(db.pool, { customers: 10 })).rejects.toThrow(/already has customers/);
  });

  it('keeps two years of consistent orders ending at the reference date', async () => {
    const end = localDayStart(REFERENCE_DATE);
    const { rows } = await db.pool.query<{
      first: Date;
      last: Date;
      bad_sums: number;
      bad_counts: number;
      statuses: string[];
      categories: string[];
    }>(
      `SELECT min(created_at) AS first, max(coalesce(refunded_at, completed_at, shipped_at, paid_at, closed_at, created_at)) AS last,
              (SELECT count(*)::int FROM orders o WHERE o.amount <> (SELECT sum(amount) FROM order_items i WHERE i.order_id = o.id) - o.discount) AS bad_sums,
              (SELECT count(*)::int FROM orders o WHERE o.item_count <> (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)) AS bad_counts,
              (SELECT array_agg(DISTINCT status ORDER BY status) FROM orders) AS statuses,
              (SELECT array_agg(DISTINCT category ORDER BY category) FROM order_items) AS categories
       FROM orders`,
    );
    const r = rows[0];
    expect(r.first.getTime()).toBeGreaterThanOrEqual(end - 730 * 86_400_000);
    expect(r.last.getTime()).toBeLessThan(end);
    expect(r.bad_sums).toBe(0);
    expect(r.bad_counts).toBe(0);
    expect(r.statuses).toEqual(expect.arrayContaining(['closed', 'completed', 'paid', 'refunded', 'shipped']));
    expect(r.categories).toEqual(['daily_goods', 'durables', 'food', 'kids_clothing']);
  });

  it('has an 11.11 spike with new buyers above and below 299', async () => {
    const { rows } = await db.pool.query<{ on_1111: number; per_day: number; new_above: number; new_below: number }>(
      `WITH days AS (
         SELECT (paid_at AT TIME ZONE 'Asia/Shanghai')::date AS d, count(*) AS n FROM purchases GROUP BY 1
       ), firsts AS (
         SELECT DISTINCT ON (customer_id) customer_id, paid_at, amount FROM purchases ORDER BY customer_id, paid_at
       )
       SELECT (SELECT n FROM days WHERE d = '2026-11-11')::int AS on_1111,
              (SELECT avg(n) FROM days)::int AS per_day,
              (SELECT count(*) FROM firsts WHERE (paid_at AT TIME ZONE 'Asia/Shanghai')::date = '2026-11-11' AND amount >= 299)::int AS new_above,
              (SELECT count(*) FROM firsts WHERE (paid_at AT TIME ZONE 'Asia/Shanghai')::date = '2026-11-11' AND amount < 299)::int AS new_below`,
    );
    const r = rows[0];
    expect(r.on_1111).toBeGreaterThan(20 * r.per_day);
    expect(r.new_above).toBeGreaterThan(CUSTOMERS * 0.02);
    expect(r.new_below).toBeGreaterThan(CUSTOMERS * 0.02);
  });

  it('makes food buyers come back sooner than durables buyers', async () => {
    // The median gap between a customer's consecutive purchases, by the category of their first purchase.
    const { rows } = await db.pool.query<{ category: string; median_days: number }>(
      `WITH p AS (
         SELECT customer_id, paid_at, lag(paid_at) OVER (PARTITION BY customer_id ORDER BY paid_at) AS prev FROM purchases
       ), first_category AS (
         SELECT DISTINCT ON (o.customer_id) o.customer_id, i.category
         FROM purchases o JOIN order_items i ON i.order_id = o.id AND i.line_no = 1
         ORDER BY o.customer_id, o.paid_at
       )
       SELECT f.category, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.paid_at - p.prev) / 86400)::float8 AS median_days
       FROM p JOIN first_category f USING (customer_id) WHERE p.prev IS NOT NULL GROUP BY 1`,
    );
    const median = Object.fromEntries(rows.map((r) => [r.category, r.median_days]));
    expect(median.food).toBeLessThan(median.kids_clothing);
    expect(median.kids_clothing).toBeLessThan(median.durables);
  });

  it('gives every customer a distinct fake phone number', async () => {
    const { rows } = await db.pool.query<{ distinct: number; total: number; well_formed: number }>(
      "SELECT count(DISTINCT phone)::int AS distinct, count(*)::int AS total, count(*) FILTER (WHERE phone ~ '^\\+8619[0-9]{9}$')::int AS well_formed FROM customers",
    );
    expect(rows[0]).toEqual({ distinct: CUSTOMERS, total: CUSTOMERS, well_formed: CUSTOMERS });
  });

  it('gives mobiles that parsePhone reads back as they are, with phone_kind mobile', async () => {
    const { rows } = await db.pool.query<{ phone: string; phone_kind: string | null }>(
      'SELECT phone, phone_kind FROM customers ORDER BY id',
    );
    expect(rows).toHaveLength(CUSTOMERS);
    for (const r of rows) {
      expect(r.phone_kind).toBe('mobile');
      expect(parsePhone(r.phone)).toEqual({ kind: 'mobile', e164: r.phone });
    }
  });
});
