import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignHoldout, holdoutBucket, holdoutSeed } from '@huitou/schemas/holdout';
import type { Database } from '../../../engine/src/db/connect.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

describe(`holdout hash: SQL agrees with @huitou/schemas (${describeEngine('configured')})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  const runIds = ['00000000-0000-0000-0000-000000000000', '6f1c2a3e-9b7d-4c1e-8f00-123456789abc', 'run-11.11'];
  const ids = [
    ...Array.from({ length: 3000 }, (_, i) => i + 1),
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 32 + 5,
    2 ** 40 + 123,
    Number.MAX_SAFE_INTEGER,
  ];

  it('gives the same bucket for every (run, customer)', async () => {
    for (const runId of runIds) {
      const seed = holdoutSeed(runId);
      const { rows } = await db.pool.query<{ b: number }>(
        'SELECT huitou_holdout_bucket($1::bigint, id) AS b FROM unnest($2::bigint[]) WITH ORDINALITY AS u(id, n) ORDER BY n',
        [seed, ids],
      );
      expect(rows.map((r) => r.b)).toEqual(ids.map((id) => holdoutBucket(seed, id)));
    }
  });

  it('holds out close to the requested share, differently per run', async () => {
    const share = (runId: string) => ids.slice(0, 3000).filter((id) => assignHoldout(runId, id, 0.1)).length / 3000;
    for (const runId of runIds) expect(Math.abs(share(runId) - 0.1)).toBeLessThan(0.02);
    const a = ids.slice(0, 3000).filter((id) => assignHoldout(runIds[0], id, 0.1));
    const b = ids.slice(0, 3000).filter((id) => assignHoldout(runIds[1], id, 0.1));
    expect(a).not.toEqual(b);
  });
});
