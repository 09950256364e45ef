import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentInput } from '@huitou/schemas';
import { openDatabase } from '../../../engine/src/db/connect.ts';
import { cameBackSince, memberPurchaseFacts } from '../../../activities/src/db/purchase-facts.ts';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { previewSegment } from '../../../activities/src/segments/preview.ts';
import { snapshotAudience } from '../../../activities/src/segments/snapshot.ts';
import { insertEmptyRun } from './fixtures.ts';

// Always PGlite, even when DATABASE_URL points at a real Postgres: the embedded default must work.
describe('embedded PGlite through its socket server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huitou-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.socket`, { recursive: true, force: true });
  });

  it('serves a pg pool, keeps data in its folder, and migrates only once', async () => {
    const logs: string[] = [];
    const first = await openDatabase({ pgliteDataDir: dir, log: (m) => logs.push(m) });
    expect(first.kind).toBe('pglite');
    // A unix socket in a private folder next to the data (private-socket.ts), not a TCP port.
    expect(first.connectionString).toBe(`postgres://postgres@${encodeURIComponent(`${dir}.socket`)}/postgres`);
    expect(logs.filter((m) => m.startsWith('applied migration')).length).toBeGreaterThan(0);

    // More concurrent queries than one connection: the pool multiplexes over the socket server.
    const sums = await Promise.all(
      Array.from({ length: 12 }, (_, i) => first.pool.query<{ x: number }>('SELECT $1::int * 2 AS x', [i])),
    );
    expect(sums.map((r) => r.rows[0].x)).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));

    // A transaction on one client and plain queries on others both complete.
    const client = await first.pool.connect();
    await client.query('BEGIN');
    await client.query("INSERT INTO customers (nickname, phone) VALUES ('持久', '+8619900000001')");
    await client.query('COMMIT');
    client.release();
    await first.close();

    const reopenedLogs: string[] = [];
    const second = await openDatabase({ pgliteDataDir: dir, log: (m) => reopenedLogs.push(m) });
    try {
      expect(reopenedLogs.filter((m) => m.startsWith('applied migration'))).toEqual([]);
      const { rows } = await second.pool.query<{ nickname: string }>(
        "SELECT nickname FROM customers WHERE phone = '+8619900000001'",
      );
      expect(rows).toEqual([{ nickname: '持久' }]);
    } finally {
      await second.close();
    }
  });
});

describe('the data layer end to end on embedded PGlite', () => {
  it('seeds a shop, previews a segment, snapshots it and reads purchase facts through the socket', async () => {
    const db = await openDatabase({ pgliteDataDir: 'memory://' });
    try {
      const seeded = await seedDemoShop(db.pool, { customers: 300, seed: 5, concurrency: 2 });
      expect(seeded.customers).toBe(300);
      const newBuyers1111: SegmentInput = {
        where: {
          kind: 'date',
          field: 'first_paid_at',
          compare: { op: 'between', from: '2026-11-11', to: '2026-11-11' },
        },
        exclude: [{ kind: 'opted_out' }],
      };
      const ctx = { asOf: new Date('2026-11-20T00:00:00+08:00') };
      const preview = await previewSegment(db.pool, newBuyers1111, ctx, { sampleSize: 5 });
      // The same audience, counted by a hand-written query.
      const direct = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT customer_id, min(paid_at) AS first FROM purchases GROUP BY 1) f
         WHERE (f.first AT TIME ZONE 'Asia/Shanghai')::date = '2026-11-11'`,
      );
      expect(preview.count).toBe(direct.rows[0].n);
      expect(preview.count).toBeGreaterThan(5);
      expect(preview.sample).toHaveLength(5);

      const runId = await insertEmptyRun(db.pool);
      const snap = await snapshotAudience(db.pool, {
        runId,
        segment: newBuyers1111,
        context: ctx,
        holdoutRatio: 0.2,
        shardSize: 10,
      });
      expect(snap.members).toBe(preview.count);
      expect(snap.shards).toBe(Math.ceil(preview.count / 10));
      // Nobody in this audience can have bought after the history's end.
      expect(await cameBackSince(db.pool, { runId }, ctx.asOf)).toEqual([]);
      const facts = await memberPurchaseFacts(db.pool, { runId, shard: 0 });
      expect(facts.length).toBe(Math.min(10, preview.count));
      expect(facts.every((f) => f.orders >= 1)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
