import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../engine/src/db/connect.ts';

// Always PGlite, even when DATABASE_URL points at a real Postgres: the embedded default must work.
describe('embedded PGlite through its socket server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huitou-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a pg pool, keeps data in its folder, and migrates only once', async () => {
    const logs: string[] = [];
    const first = await openDatabase({ pgliteDataDir: dir, log: (m) => logs.push(m) });
    expect(first.kind).toBe('pglite');
    expect(first.connectionString).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(logs.filter((m) => m.startsWith('applied migration')).length).toBeGreaterThan(0);

    // More concurrent queries than one connection: the pool multiplexes over the socket server.
    const sums = await Promise.all(Array.from({ length: 12 }, (_, i) => first.pool.query<{ x: number }>('SELECT $1::int * 2 AS x', [i])));
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
      const { rows } = await second.pool.query<{ nickname: string }>("SELECT nickname FROM customers WHERE phone = '+8619900000001'");
      expect(rows).toEqual([{ nickname: '持久' }]);
    } finally {
      await second.close();
    }
  });
});
