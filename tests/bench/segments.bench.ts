// Segment benchmark (issue 4): `npm run bench:segments -- [--customers N] [--reuse]`
// Seeds the demo shop (unless --reuse finds one of that size), then prints: load time, RFM grouping
// vs a bare per-customer GROUP BY on the same data, the 11.11 new-buyer audience, snapshot rows/s.
// It never touches the configured database: with DATABASE_URL it uses (and creates) the database
// `huitou_bench` on the same server; without, a PGlite folder of its own.
import { parseArgs } from 'node:util';
import type { SegmentInput } from '@huitou/schemas';
import pg from 'pg';
import { loadConfig } from '@huitou/engine/config';
import { databaseConfigFrom, openDatabase } from '@huitou/engine/db/connect';
import { DEFAULT_REFERENCE_DATE, resetShop, seedDemoShop } from '@huitou/engine/demo/seed';
import { groupSizes, previewSegment, snapshotAudience } from '@huitou/activities/segments';

const { values } = parseArgs({
  options: { customers: { type: 'string' }, reuse: { type: 'boolean', default: false } },
});
const customers = Number(values.customers ?? 100_000);
const asOf = new Date(`${DEFAULT_REFERENCE_DATE}T00:00:00+08:00`);

async function timed<T>(label: string, run: () => Promise<T>, repeat = 2): Promise<{ ms: number; result: T }> {
  let best = Infinity;
  let result: T | undefined;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    result = await run();
    best = Math.min(best, performance.now() - t);
  }
  console.log(`${label.padEnd(44)} ${(best / 1000).toFixed(2).padStart(8)} s`);
  return { ms: best, result: result as T };
}

/** The bench database: never the configured one, since the bench resets the shop. */
async function benchEnv(): Promise<NodeJS.ProcessEnv> {
  const url = process.env.DATABASE_URL;
  if (!url) return { ...process.env, HUITOU_DATA_DIR: '.data/bench' };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'huitou_bench'`);
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE huitou_bench');
  await admin.end();
  const benchUrl = new URL(url);
  benchUrl.pathname = '/huitou_bench';
  return { ...process.env, DATABASE_URL: benchUrl.toString() };
}

const db = await openDatabase(databaseConfigFrom(loadConfig(await benchEnv())));
try {
  const existing = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if (!(values.reuse && existing.rows[0].n === customers)) {
    await resetShop(db.pool);
    const seeded = await seedDemoShop(db.pool, { customers });
    const rows = seeded.customers + seeded.orders + seeded.items + seeded.reviews;
    console.log(
      `load: ${seeded.customers} customers, ${seeded.orders} orders, ${seeded.items} items in ${(seeded.elapsedMs / 1000).toFixed(1)} s (${Math.round(rows / (seeded.elapsedMs / 1000))} rows/s)`,
    );
  }
  const orders = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
  console.log(`[${db.kind}] ${customers} customers, ${orders.rows[0].n} orders\n`);

  const bare = await timed('bare GROUP BY customer_id over orders', () =>
    db.pool.query(
      'SELECT count(*), max(last), sum(n), sum(total) FROM (SELECT customer_id, max(paid_at) AS last, count(*) AS n, sum(amount) AS total FROM orders GROUP BY 1) x',
    ),
  );
  const threshold = await timed('RFM-8 + A/B/C/D group sizes (thresholds)', () =>
    groupSizes(db.pool, { scoring: { method: 'threshold', recencyDays: 90, frequency: 3, monetary: 1000 } }, { asOf }),
  );
  const quantile = await timed('RFM-8 + A/B/C/D group sizes (quantiles)', () =>
    groupSizes(db.pool, { scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 } }, { asOf }),
  );
  const newBuyers: SegmentInput = {
    where: {
      kind: 'all',
      of: [
        { kind: 'date', field: 'first_paid_at', compare: { op: 'between', from: '2026-11-11', to: '2026-11-11' } },
        {
          kind: 'purchase',
          metric: 'sum',
          window: { kind: 'dates', from: '2026-11-11', to: '2026-11-11' },
          compare: { op: 'gte', value: 299 },
        },
      ],
    },
    exclude: [{ kind: 'opted_out' }, { kind: 'bad_reviewer' }],
  };
  const audience = await timed('11.11 new buyers >= 299 (preview: count + 20)', () =>
    previewSegment(db.pool, newBuyers, { asOf }),
  );

  const journey = await db.pool.query<{ id: string }>(
    "INSERT INTO journeys (name, kind) VALUES ('bench', 'audience') RETURNING id",
  );
  const version = await db.pool.query<{ id: string }>(
    "INSERT INTO journey_versions (journey_id, version, graph, plan) VALUES ($1, 1, '{}', '{}') RETURNING id",
    [journey.rows[0].id],
  );
  let snapshotRows = 0;
  const snapshot = await timed(
    'snapshot of every buyer into run_members',
    async () => {
      const run = await db.pool.query<{ id: string }>(
        "INSERT INTO runs (journey_id, version_id, kind) VALUES ($1, $2, 'audience') RETURNING id",
        [journey.rows[0].id, version.rows[0].id],
      );
      const result = await snapshotAudience(db.pool, {
        runId: run.rows[0].id,
        segment: { where: { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } } },
        context: { asOf },
        holdoutRatio: 0.1,
        shardSize: 5000,
      });
      snapshotRows = result.members;
      return result;
    },
    1,
  );
  await db.pool.query('DELETE FROM runs WHERE journey_id = $1', [journey.rows[0].id]);
  await db.pool.query('DELETE FROM journey_versions WHERE journey_id = $1', [journey.rows[0].id]);
  await db.pool.query('DELETE FROM journeys WHERE id = $1', [journey.rows[0].id]);

  console.log(
    `\nRFM grouping / bare GROUP BY: ${(threshold.ms / bare.ms).toFixed(2)}x (thresholds), ${(quantile.ms / bare.ms).toFixed(2)}x (quantiles)`,
  );
  console.log(`11.11 new-buyer audience: ${audience.result.count} customers`);
  console.log(`snapshot: ${snapshotRows} members at ${Math.round(snapshotRows / (snapshot.ms / 1000))} rows/s`);
  console.log('RFM groups (thresholds 90 d / 3 orders / 1000 yuan):', JSON.stringify(threshold.result.rfm));
  console.log('lifecycle groups:', JSON.stringify(threshold.result.lifecycle));
} finally {
  await db.close();
}
