// What the overview's upkeep (migration 089: statement triggers noting dirty buyers) costs a bulk
// write. `node --import tsx tests/bench/overview-upkeep.bench.ts [--orders N]` (default 500,000;
// Postgres on DATABASE_URL, a database of its own): N orders and their items inserted in 100,000-row
// statements, as an import's apply does, once with the overview triggers disabled and once
// enabled (each in a transaction rolled back), alternating, 3 times; medians.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { startTestApi } from '../integration/api/helpers.ts';

const { values } = parseArgs({ options: { orders: { type: 'string' } } });
const orders = Number(values.orders ?? 500_000);
const customers = Math.max(1, Math.round(orders / 5));
const RUNS = 3;
const STEP = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: the benchmark measures Postgres');
const api = await startTestApi();
try {
  const pool = api.db.pool;
  await pool.query(`INSERT INTO customers (id, nickname) SELECT g, 'b' || g FROM generate_series(1, $1::bigint) g`, [
    customers,
  ]);
  const TRIGGERS = ['orders overview_orders_inserted', 'order_items overview_items_inserted'];
  const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let run = 0; run < RUNS; run++)
    for (const mode of ['off', 'on'] as const) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const t of TRIGGERS) {
          const [table, trigger] = t.split(' ');
          await client.query(`ALTER TABLE ${table} ${mode === 'off' ? 'DISABLE' : 'ENABLE'} TRIGGER ${trigger}`);
        }
        const started = performance.now();
        for (let from = 1; from <= orders; from += STEP) {
          const range = [from, Math.min(orders, from + STEP - 1)];
          await client.query(
            `INSERT INTO orders (id, customer_id, status, amount, item_count, created_at, paid_at)
             SELECT g, 1 + (g * 7919) % ${customers}, 'completed', 20 + g % 500, 2, t, t
             FROM generate_series($1::bigint, $2::bigint) g,
                  LATERAL (SELECT timestamptz '2026-01-01 00:00+08' + (g % 300) * interval '1 day' AS t) x`,
            range,
          );
          await client.query(
            `INSERT INTO order_items (order_id, line_no, category, quantity, unit_price, amount)
             SELECT g, l, 'food', 1, 10, 10 FROM generate_series($1::bigint, $2::bigint) g, generate_series(1, 2) l`,
            range,
          );
        }
        times[mode].push(performance.now() - started);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
  const rate = (ms: number) => Math.round(orders / (ms / 1000)).toLocaleString();
  console.log(
    `${orders.toLocaleString()} orders + ${(2 * orders).toLocaleString()} items, median of ${RUNS} (load ${loadavg()[0].toFixed(1)}):`,
  );
  console.log(`  triggers off: ${Math.round(median(times.off))} ms (${rate(median(times.off))} orders/s)`);
  console.log(`  triggers on:  ${Math.round(median(times.on))} ms (${rate(median(times.on))} orders/s)`);
  console.log(
    `  all runs off / on (ms): ${times.off.map(Math.round).join(', ')} / ${times.on.map(Math.round).join(', ')}`,
  );
} finally {
  await api.close();
}
