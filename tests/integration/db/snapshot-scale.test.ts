import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignHoldout } from '@huitou/schemas/holdout';
import type { Database } from '../../../engine/src/db/connect.ts';
import { snapshotAudience } from '../../../activities/src/segments/snapshot.ts';
import { insertEmptyRun } from './fixtures.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const CUSTOMERS = 200_000;
const SHARD_SIZE = 5000;
/** Far below what holding 200k members in this process would take (tens of MB). */
const HEAP_BOUND_BYTES = 16 * 1024 * 1024;

describe(`snapshot of ${CUSTOMERS} customers (${describeEngine('configured')})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.pool.query(
      `INSERT INTO customers (id, nickname, phone) SELECT g, 'c' || g, '+86190' || lpad(g::text, 8, '0') FROM generate_series(1, ${CUSTOMERS}) g`,
    );
    // Every third customer bought once, so the segment needs the purchase aggregates too.
    await db.pool.query(
      `INSERT INTO orders (customer_id, status, amount, created_at, paid_at)
       SELECT g, 'completed', g % 500, timestamptz '2026-10-01' + g * interval '1 second', timestamptz '2026-10-01' + g * interval '1 second'
       FROM generate_series(1, ${CUSTOMERS}, 3) g`,
    );
    await db.pool.query('ANALYZE customers, orders');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('streams inside the database: heap stays flat, shards are full, holdout is the hash', async () => {
    const runId = await insertEmptyRun(db.pool);
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 2);
    const result = await snapshotAudience(db.pool, {
      runId,
      segment: {
        where: {
          kind: 'any',
          of: [
            { kind: 'boolean', field: 'has_phone', value: true },
            { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } },
          ],
        },
      },
      context: { asOf: new Date('2026-11-20T00:00:00+08:00') },
      holdoutRatio: 0.1,
      shardSize: SHARD_SIZE,
    });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(peak - baseline).toBeLessThan(HEAP_BOUND_BYTES);

    expect(result.members).toBe(CUSTOMERS);
    expect(result.shards).toBe(CUSTOMERS / SHARD_SIZE);
    expect(Math.abs(result.holdout / CUSTOMERS - 0.1)).toBeLessThan(0.005);
    const shards = await db.pool.query<{ shard: number; n: number; lo: string; hi: string }>(
      'SELECT shard, count(*)::int AS n, min(customer_id) AS lo, max(customer_id) AS hi FROM run_members WHERE run_id = $1 GROUP BY 1 ORDER BY 1',
      [runId],
    );
    shards.rows.forEach((s, i) => {
      expect(s).toEqual({ shard: i, n: SHARD_SIZE, lo: String(i * SHARD_SIZE + 1), hi: String((i + 1) * SHARD_SIZE) });
    });
    const sample = await db.pool.query<{ customer_id: string; holdout: boolean }>(
      'SELECT customer_id, holdout FROM run_members WHERE run_id = $1 AND customer_id % 97 = 0',
      [runId],
    );
    for (const r of sample.rows) expect(r.holdout).toBe(assignHoldout(runId, Number(r.customer_id), 0.1));
    console.log(`[snapshot] ${CUSTOMERS} members, heap growth ${((peak - baseline) / 1048576).toFixed(1)} MB`);
  });
});
