// Always PGlite: the socket server multiplexes many pg connections onto PGlite's one backend, and
// one connection's transaction must never swallow (or leak) another connection's statements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import { openTestDatabase } from './test-database.ts';

describe('PGlite: concurrent transactions and plain statements on pooled connections', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase('pglite', { migrate: false, poolSize: 8 });
    await db.pool.query('CREATE TABLE conc_probe (tag text NOT NULL, n int NOT NULL)');
  });
  afterAll(async () => db?.close());

  it('keeps plain inserts committed and rolled-back transactions invisible', async () => {
    const ROUNDS = 40;
    const transactions = Array.from({ length: 4 }, (_, worker) =>
      (async () => {
        for (let i = 0; i < ROUNDS; i++) {
          const client = await db.pool.connect();
          const commit = (i + worker) % 2 === 0;
          try {
            await client.query('BEGIN');
            await client.query('INSERT INTO conc_probe (tag, n) VALUES ($1, $2)', [
              commit ? 'tx-commit' : 'tx-rollback',
              i,
            ]);
            await client.query('SELECT pg_sleep(0)');
            await client.query('INSERT INTO conc_probe (tag, n) VALUES ($1, $2)', [
              commit ? 'tx-commit' : 'tx-rollback',
              i,
            ]);
            await client.query(commit ? 'COMMIT' : 'ROLLBACK');
          } finally {
            client.release();
          }
        }
      })(),
    );
    const plain = Array.from({ length: 4 }, () =>
      (async () => {
        for (let i = 0; i < ROUNDS; i++)
          await db.pool.query('INSERT INTO conc_probe (tag, n) VALUES ($1, $2)', ['plain', i]);
      })(),
    );
    // A failing statement inside a transaction must not disturb the other connections either.
    const failing = (async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO conc_probe (tag, n) VALUES ($1, $2)', ['tx-failed', i]);
          await client.query('SELECT 1 / $1::int', [0]).catch(() => undefined);
          await client.query('ROLLBACK');
        } finally {
          client.release();
        }
      }
    })();
    await Promise.all([...transactions, ...plain, failing]);

    const { rows } = await db.pool.query<{ tag: string; n: number }>(
      'SELECT tag, count(*)::int AS n FROM conc_probe GROUP BY tag ORDER BY tag',
    );
    const counts = Object.fromEntries(rows.map((r) => [r.tag, r.n]));
    expect(counts).toEqual({ plain: 4 * ROUNDS, 'tx-commit': 4 * ROUNDS });
  });
});
