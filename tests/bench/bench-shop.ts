// Bench data made in SQL, fast at a million rows: N new customers who each paid one order on 11.11
// (2026, Shanghai) for 299-598 yuan, with one item of a category by id, so the 11.11 template's
// audience is all of them and its split sends a quarter down each branch.
import type pg from 'pg';

export async function seedNewBuyers1111(pool: pg.Pool, customers: number): Promise<void> {
  await pool.query(`INSERT INTO products (id, sku, name, category, list_price) VALUES
    (1, 'B-FOOD', '坚果礼盒', 'food', 99), (2, 'B-KIDS', '儿童羽绒服', 'kids_clothing', 299),
    (3, 'B-DAILY', '洗衣凝珠', 'daily_goods', 59), (4, 'B-DUR', '空气炸锅', 'durables', 399)`);
  const step = 200_000;
  for (let from = 1; from <= customers; from += step) {
    const to = Math.min(customers, from + step - 1);
    await pool.query(
      `INSERT INTO customers (id, nickname, phone, registered_at)
       SELECT g, '买家' || g, '+86138' || lpad(g::text, 8, '0'), timestamptz '2026-11-01 00:00+08' FROM generate_series($1::bigint, $2::bigint) g`,
      [from, to],
    );
    await pool.query(
      `INSERT INTO orders (id, customer_id, status, amount, item_count, created_at, paid_at)
       SELECT g, g, 'completed', 299 + g % 300, 1, t, t
       FROM generate_series($1::bigint, $2::bigint) g, LATERAL (SELECT timestamptz '2026-11-11 00:00+08' + (g % 86400) * interval '1 second' AS t) x`,
      [from, to],
    );
    await pool.query(
      `INSERT INTO order_items (order_id, line_no, product_id, category, quantity, unit_price, amount)
       SELECT g, 1, 1 + g % 4, (ARRAY['food', 'kids_clothing', 'daily_goods', 'durables'])[1 + g % 4], 1, 299 + g % 300, 299 + g % 300
       FROM generate_series($1::bigint, $2::bigint) g`,
      [from, to],
    );
  }
  await pool.query('ANALYZE customers; ANALYZE orders; ANALYZE order_items');
}

/** Peak resident set size of this process so far, sampled every 200 ms. */
export function rssSampler(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
  timer.unref();
  return { peakMb: () => Math.max(peak, process.memoryUsage.rss()) / 2 ** 20, stop: () => clearInterval(timer) };
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
