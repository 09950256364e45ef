import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import { applyMigrations, readMigrationFiles } from '../../../engine/src/db/migrate.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const expectedTables = [
  'audit_log',
  'coupons',
  'customers',
  'evaluations',
  'events',
  'journey_versions',
  'journeys',
  'messages',
  'opt_outs',
  'order_items',
  'orders',
  'products',
  'reviews',
  'run_members',
  'runs',
  'schema_migrations',
  'suppressions',
];

describe(`migrations (${describeEngine('configured')})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates every table and records every file', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(expectedTables));
    const files = await readMigrationFiles();
    const recorded = await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
    expect(recorded.rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
  });

  it('is a no-op when run again', async () => {
    expect(await applyMigrations(db.pool)).toEqual([]);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitou-mig-'));
    try {
      const files = await readMigrationFiles();
      for (const f of files)
        await writeFile(join(dir, f.name), f.name === files[0].name ? `${f.sql}\n-- edited` : f.sql);
      await expect(applyMigrations(db.pool, { dir })).rejects.toThrow(/changed after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration entirely and does not record it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitou-mig-'));
    try {
      for (const f of await readMigrationFiles()) await writeFile(join(dir, f.name), f.sql);
      await writeFile(join(dir, '900_broken.sql'), 'CREATE TABLE half_done (x int);\nSELECT no_such_function();\n');
      await expect(applyMigrations(db.pool, { dir })).rejects.toThrow(/900_broken\.sql failed/);
      const table = await db.pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
      expect(table.rowCount).toBe(0);
      const recorded = await db.pool.query('SELECT 1 FROM schema_migrations WHERE version = 900');
      expect(recorded.rowCount).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects badly named migration files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitou-mig-'));
    try {
      await writeFile(join(dir, '1_short.sql'), 'SELECT 1;');
      await expect(readMigrationFiles(dir)).rejects.toThrow(/001_some_name/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('enforces the ledger, idempotency and immutability guarantees', async () => {
    const { pool } = db;
    await pool.query("INSERT INTO messages (message_key, class) VALUES ('run1:shard0:thanks:0:42', 'marketing')");
    await expect(
      pool.query("INSERT INTO messages (message_key, class) VALUES ('run1:shard0:thanks:0:42', 'marketing')"),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      pool.query("INSERT INTO messages (message_key, class, status) VALUES ('k2', 'marketing', 'skipped')"),
    ).rejects.toThrow(/check constraint/);
    await pool.query(
      "INSERT INTO events (idempotency_key, type, occurred_at) VALUES ('tmall:evt:1', 'order.paid', now())",
    );
    const again = await pool.query(
      "INSERT INTO events (idempotency_key, type, occurred_at) VALUES ('tmall:evt:1', 'order.paid', now()) ON CONFLICT (idempotency_key) DO NOTHING",
    );
    expect(again.rowCount).toBe(0);

    const journey = await pool.query<{ id: string }>(
      "INSERT INTO journeys (name, kind) VALUES ('11.11', 'audience') RETURNING id",
    );
    const version = await pool.query<{ id: string }>(
      "INSERT INTO journey_versions (journey_id, version, graph, plan) VALUES ($1, 1, '{}', '{}') RETURNING id",
      [journey.rows[0].id],
    );
    await expect(
      pool.query('UPDATE journey_versions SET plan = \'{"x":1}\' WHERE id = $1', [version.rows[0].id]),
    ).rejects.toThrow(/immutable/);
  });

  it('counts only paid, non-refunded orders as purchases', async () => {
    const { pool } = db;
    const c = await pool.query<{ id: string }>("INSERT INTO customers (nickname) VALUES ('小明') RETURNING id");
    const id = c.rows[0].id;
    await pool.query(
      `INSERT INTO orders (customer_id, status, amount, created_at, paid_at) VALUES
        ($1, 'completed', 100, '2026-01-01', '2026-01-01'),
        ($1, 'refunded', 200, '2026-01-02', '2026-01-02'),
        ($1, 'closed', 300, '2026-01-03', NULL),
        ($1, 'paid', 400, '2026-01-04', '2026-01-04')`,
      [id],
    );
    const { rows } = await pool.query<{ n: number; total: string }>(
      'SELECT count(*)::int AS n, sum(amount)::text AS total FROM purchases WHERE customer_id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ n: 2, total: '500.00' });
  });
});
