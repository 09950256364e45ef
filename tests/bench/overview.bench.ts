// The shop overview at scale. `npm run bench:overview -- [--customers N] [--orders M]` (defaults
// 1,000,000 / 5,000,000; issue 18's goal: the whole page's API call within 2 s).
// A fresh database of its own (dropped at the end), filled in SQL: N customers over 31 provinces
// and 4 cities each, M orders over the two years up to 2026-11-30 (Shanghai), buyers skewed so some
// buy often and some never, 5% refunded and 5% never paid, 1-2 items each. Then GET
// /api/shop/overview through the real API, 3 runs per query, medians: each figure's query time and
// the whole call's. The overview's tables (migration 089) are rebuilt once after seeding (timed).
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { startTestApi } from '../integration/api/helpers.ts';
import { OVERVIEW_FIGURES, overviewFigure } from '../../engine/src/reports/shop-overview.ts';
import { rebuildOverviewRollups, refreshOverviewRollups } from '../../engine/src/reports/overview-rollups.ts';

const { values } = parseArgs({ options: { customers: { type: 'string' }, orders: { type: 'string' } } });
const customers = Number(values.customers ?? 1_000_000);
const orders = Number(values.orders ?? 5_000_000);
const NOW = new Date('2026-11-30T20:00:00+08:00');
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number) => (ms / 1000).toFixed(1);

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: the benchmark measures Postgres');
const api = await startTestApi({ now: () => NOW });
try {
  const pool = api.db.pool;
  const t0 = performance.now();
  const step = 1_000_000;
  for (let from = 1; from <= customers; from += step)
    await pool.query(
      `INSERT INTO customers (id, nickname, province, city, registered_at)
       SELECT g, '买家' || g, 'P' || (g % 31), 'P' || (g % 31) || '-C' || (g % 4), timestamptz '2024-01-01 00:00+08'
       FROM generate_series($1::bigint, $2::bigint) g`,
      [from, Math.min(customers, from + step - 1)],
    );
  // Customer of order g: the product of two hashes, so low ids buy often and high ids rarely.
  for (let from = 1; from <= orders; from += step) {
    const range = [from, Math.min(orders, from + step - 1), customers];
    await pool.query(
      `INSERT INTO orders (id, customer_id, status, amount, item_count, created_at, paid_at)
       SELECT g, 1 + ((g * 2654435761) % $3) * ((g * 40503 + 7) % $3) / $3,
              CASE WHEN g % 20 = 0 THEN 'refunded' WHEN g % 20 = 1 THEN 'created' ELSE 'completed' END,
              20 + g % 500, 1 + (g % 3 = 0)::int, t, CASE WHEN g % 20 <> 1 THEN t END
       FROM generate_series($1::bigint, $2::bigint) g,
            LATERAL (SELECT timestamptz '2024-12-01 00:00+08' + ((g * 7919) % (730 * 86400)) * interval '1 second' AS t) x`,
      range,
    );
    await pool.query(
      `INSERT INTO order_items (order_id, line_no, category, quantity, unit_price, amount)
       SELECT g, l, (ARRAY['food', 'kids_clothing', 'daily_goods', 'durables'])[1 + (g + l) % 4], 1, 10, 10 + g % 490
       FROM generate_series($1::bigint, $2::bigint) g, generate_series(1, 1 + (g % 3 = 0)::int) l`,
      range.slice(0, 2),
    );
  }
  await pool.query('ANALYZE customers; ANALYZE orders; ANALYZE order_items');
  console.log(
    `seeded ${customers.toLocaleString()} customers, ${orders.toLocaleString()} orders in ${secs(performance.now() - t0)} s (load ${loadavg()[0].toFixed(1)})`,
  );
  // The precomputation (migration 089) from scratch, as after migrating a shop with orders; the
  // seeding's inserts only marked buyers dirty. VACUUM lets the range scans read the index alone.
  const t1 = performance.now();
  await rebuildOverviewRollups(pool, 'Asia/Shanghai');
  await pool.query('VACUUM ANALYZE overview_buyer_days, overview_days, overview_day_categories, overview_first_days');
  console.log(`overview tables rebuilt in ${secs(performance.now() - t1)} s (load ${loadavg()[0].toFixed(1)})`);
  // Upkeep: 1,000 buyers' new orders (one statement), then the refresh the next overview runs.
  await pool.query(
    `INSERT INTO orders (id, customer_id, status, amount, item_count, created_at, paid_at)
     SELECT $2::bigint + g, 1 + (g * 997) % $1, 'paid', 99, 0, timestamptz '2026-11-30 10:00+08', timestamptz '2026-11-30 10:00+08'
     FROM generate_series(1, 1000) g`,
    [customers, orders],
  );
  const t2 = performance.now();
  const refreshed = await refreshOverviewRollups(pool, 'Asia/Shanghai');
  console.log(`refresh after 1,000 new orders: ${refreshed} buyers in ${Math.round(performance.now() - t2)} ms`);

  for (const qs of [
    'period=day',
    'period=week&from=2026-01-01&to=2026-11-30',
    'period=month&from=2025-12-01&to=2026-11-30',
  ]) {
    const calls: number[] = [];
    const figures: Record<string, number[]> = {};
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const res = await api.call('GET', `/api/shop/overview?${qs}`);
      calls.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      for (const [name, ms] of Object.entries(res.body.timings as Record<string, number>))
        (figures[name] ??= []).push(ms);
    }
    console.log(`\nGET /api/shop/overview?${qs} — median of ${RUNS}: whole call ${Math.round(median(calls))} ms`);
    for (const [name, ms] of Object.entries(figures)) console.log(`  ${name.padEnd(14)} ${median(ms)} ms`);
    // Each figure alone: its own cost, without the others competing for the machine's cores.
    const params = new URLSearchParams(qs);
    const o = {
      from: params.get('from') ?? '2026-09-02',
      to: params.get('to') ?? '2026-11-30',
      timeZone: 'Asia/Shanghai',
      period: params.get('period') as 'day' | 'week' | 'month',
      monetary: 'sum' as const,
      asOf: NOW,
    };
    const alone: string[] = [];
    for (const name of OVERVIEW_FIGURES) {
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await overviewFigure(name, pool, o);
        ms.push(performance.now() - started);
      }
      alone.push(`${name} ${Math.round(median(ms))}`);
    }
    console.log(`  alone (ms): ${alone.join(', ')}`);
  }
} finally {
  await api.close();
}
