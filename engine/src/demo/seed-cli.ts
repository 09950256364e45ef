// `npm run seed -- --customers N [--seed S] [--reference-date YYYY-MM-DD] [--batch-size B] [--concurrency C] [--reset]`
// (--help lists them.)
// Fills the configured database (DATABASE_URL, or the embedded PGlite under HUITOU_DATA_DIR) with the demo shop.
import { parseArgs } from 'node:util';
import { configOrReport, exitOnHelp } from '../cli.ts';
import { databaseConfigFrom, openDatabase } from '../db/connect.ts';
import { ProgressBar } from './progress-bar.ts';
import { DEFAULT_REFERENCE_DATE, DEFAULT_SEED, resetShop, seedDemoShop } from './seed.ts';

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

exitOnHelp({
  command: 'npm run seed -- --customers N',
  summary:
    'Fills the configured database (DATABASE_URL, or the embedded PGlite under HUITOU_DATA_DIR) with the deterministic demo shop. Refused when HUITOU_SMS_PROVIDER is a real provider: demo customers have made-up phone numbers.',
  options: [
    '--customers N          customers to create (default 10000)',
    '--seed S               the random seed (same seed, same shop)',
    '--reference-date D     the last day of the order history, YYYY-MM-DD',
    '--batch-size B         rows per insert (default 2000)',
    '--concurrency C        parallel loaders (default 2 on Postgres, 1 on PGlite)',
    '--reset                empty the shop first (customers, orders and the runs and messages that refer to them)',
  ],
});

async function main(): Promise<void> {
  const config = configOrReport();
  if (!config) {
    process.exitCode = 1;
    return;
  }
  // Fake customers must never be texted for real (the engine's first-start seed is off there too).
  if (config.sms.kind !== 'local') {
    throw new Error(
      `refusing to seed demo customers: HUITOU_SMS_PROVIDER is ${config.sms.kind}, and a real provider would text their made-up numbers`,
    );
  }
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      seed: { type: 'string' },
      'reference-date': { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const customers = positiveInt('customers', values.customers, 10_000);
  const seed = positiveInt('seed', values.seed, DEFAULT_SEED);
  const batchSize = positiveInt('batch-size', values['batch-size'], 2000);
  const requestedConcurrency =
    values.concurrency === undefined ? undefined : positiveInt('concurrency', values.concurrency, 2);
  const referenceDate = values['reference-date'] ?? DEFAULT_REFERENCE_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(referenceDate) || Number.isNaN(Date.parse(referenceDate))) {
    throw new Error(`--reference-date must be YYYY-MM-DD, got ${JSON.stringify(referenceDate)}`);
  }

  const db = await openDatabase(databaseConfigFrom(config));
  try {
    if (values.reset) {
      console.error('[seed] emptying the shop (customers, orders, and the runs and messages that refer to them)');
      await resetShop(db.pool);
    }
    console.error(`[seed] ${customers} customers, seed ${seed}, history ending ${referenceDate}, into ${db.kind}`);
    const bar = new ProgressBar(customers);
    const result = await seedDemoShop(db.pool, {
      customers,
      seed,
      referenceDate,
      batchSize,
      // PGlite has a single backend: parallel loaders would only queue behind each other.
      concurrency: requestedConcurrency ?? (db.kind === 'pglite' ? 1 : 2),
      onProgress: (p) => {
        const rate = Math.round(p.orders / Math.max(0.001, p.elapsedMs / 1000));
        bar.update(p.customers, `${p.customers}/${p.totalCustomers} customers, ${p.orders} orders (${rate} orders/s)`);
      },
    });
    bar.finish();
    const secs = result.elapsedMs / 1000;
    const rows = result.customers + result.orders + result.items + result.reviews;
    console.error(
      `[seed] done in ${secs.toFixed(1)} s: ${result.customers} customers, ${result.orders} orders, ${result.items} items, ${result.reviews} reviews (${Math.round(rows / secs)} rows/s)`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[seed] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
