import type pg from 'pg';
import { demoCatalog, demoCategories } from './catalog.ts';
import { ShopBatch } from './shop-batch.ts';
import { ShopModel } from './shop-model.ts';

export interface SeedOptions {
  readonly customers: number;
  readonly seed?: number;
  /** The history ends at the start of this local (UTC+8) day. */
  readonly referenceDate?: string;
  /** Customers per statement; bounds memory whatever the shop size. */
  readonly batchSize?: number;
  /** Batches loading at once, each on its own connection (default 2). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  readonly customers: number;
  readonly totalCustomers: number;
  readonly orders: number;
  readonly items: number;
  readonly reviews: number;
  readonly elapsedMs: number;
}

export const DEFAULT_REFERENCE_DATE = '2026-11-20';
export const DEFAULT_SEED = 1111;

/** Tables the demo shop fills; `resetShop` empties them and everything that refers to them. */
const shopTables = ['reviews', 'order_items', 'orders', 'customers', 'products'];

/**
 * Fills an empty shop with a deterministic demo: the same options always give the same rows,
 * whatever the batch size or concurrency. Generation overlaps with the server loading earlier
 * batches; memory holds at most `concurrency + 1` batches.
 */
export async function seedDemoShop(pool: pg.Pool, options: SeedOptions): Promise<SeedProgress> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const model = new ShopModel({
    seed: options.seed ?? DEFAULT_SEED,
    referenceDate: options.referenceDate ?? DEFAULT_REFERENCE_DATE,
    catalog: demoCatalog(),
  });
  const existing = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM customers LIMIT 1) x',
  );
  if (existing.rows[0].n > 0) throw new Error('the shop already has customers; reset it first (seed --reset)');
  await insertCatalog(pool);

  const loaders = await Promise.all(Array.from({ length: concurrency }, () => pool.connect()));
  // Batches are independent (each carries its customers with their orders), so they load in parallel.
  const inFlight: Array<Promise<unknown> | undefined> = loaders.map(() => undefined);
  const totals = { customers: 0, orders: 0, items: 0, reviews: 0 };
  const loaded = { customers: 0, orders: 0, items: 0, reviews: 0 };
  const report = () =>
    options.onProgress?.({ ...loaded, totalCustomers: options.customers, elapsedMs: Date.now() - started });
  try {
    for (const client of loaders) {
      // A demo load may lose its last batches in a crash, never consistency; skip the wait for each fsync.
      await client.query('SET synchronous_commit = off');
    }
    let nextOrderId = 1;
    for (let first = 1, slot = 0; first <= options.customers; first += batchSize, slot = (slot + 1) % concurrency) {
      const batch = new ShopBatch();
      const last = Math.min(options.customers, first + batchSize - 1);
      for (let id = first; id <= last; id++) {
        nextOrderId = batch.add(model.generate(id), nextOrderId);
        // Let the event loop run now and then: earlier batches' bytes go out and replies come in.
        if (id % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await inFlight[slot];
      const { text, values } = batch.statement();
      const counts = { customers: batch.customers, orders: batch.orders, items: batch.items, reviews: batch.reviews };
      const load = loaders[slot].query(text, values).then(() => {
        for (const k of Object.keys(counts) as (keyof typeof counts)[]) loaded[k] += counts[k];
        report();
      });
      load.catch(() => undefined); // awaited later; avoid an unhandled rejection meanwhile
      inFlight[slot] = load;
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) totals[k] += counts[k];
    }
    await Promise.all(inFlight);
    await finishLoad(loaders[0]);
  } finally {
    await Promise.allSettled(inFlight);
    for (const client of loaders) {
      await client.query('RESET synchronous_commit').catch(() => undefined);
      client.release();
    }
  }
  const result = { ...totals, totalCustomers: options.customers, elapsedMs: Date.now() - started };
  options.onProgress?.(result);
  return result;
}

/** The demo shop's categories (their mother-and-baby names, under the keys they always had) and products. */
async function insertCatalog(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO categories (key, name, position)
     SELECT key, name, position FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(key, name, position)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position`,
    [demoCategories.map((c) => c.key), demoCategories.map((c) => c.name)],
  );
  const products = demoCatalog();
  await pool.query(
    `INSERT INTO products (id, sku, name, short_name, category, list_price, role)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[])
     ON CONFLICT (id) DO NOTHING`,
    [
      products.map((p) => p.id),
      products.map((p) => p.sku),
      products.map((p) => p.name),
      products.map((p) => p.shortName),
      products.map((p) => p.category),
      products.map((p) => p.listPrice),
      products.map((p) => p.role),
    ],
  );
}

/**
 * Explicit ids bypass the identity sequences: move them past the loaded rows. Then vacuum so the
 * visibility map lets aggregates use index-only scans, and refresh the planner's statistics.
 */
async function finishLoad(client: pg.PoolClient): Promise<void> {
  for (const table of ['customers', 'orders', 'products', 'reviews']) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest((SELECT max(id) FROM ${table}), 1))`,
    );
  }
  await client.query(`VACUUM (ANALYZE) ${shopTables.join(', ')}`);
}

/** Empties the shop, and with it every run, message and coupon that referred to its customers. */
export async function resetShop(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE ${shopTables.join(', ')} RESTART IDENTITY CASCADE`);
}
