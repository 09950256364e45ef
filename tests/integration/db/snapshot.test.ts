import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { SnapshotOptions } from '../../../activities/src/segments/snapshot.ts';
import { snapshotAudience } from '../../../activities/src/segments/snapshot.ts';
import { insertEmptyRun } from './fixtures.ts';
import { AS_OF, ENTRY, loadSegmentFixture } from './segment-fixture.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

describe(`audience snapshot into run members (${describeEngine('configured')})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await loadSegmentFixture(db.pool);
  });
  afterAll(async () => {
    await db?.close();
  });

  const members = async (runId: string) =>
    (
      await db.pool.query<{ customer_id: string; holdout: boolean; shard: number; entered_at: Date }>(
        'SELECT customer_id, holdout, shard, entered_at FROM run_members WHERE run_id = $1 ORDER BY customer_id',
        [runId],
      )
    ).rows.map((r) => ({ id: Number(r.customer_id), holdout: r.holdout, shard: r.shard, enteredAt: r.entered_at }));

  it('freezes the segment with the deterministic holdout and consecutive shards, once', async () => {
    const runId = await insertEmptyRun(db.pool);
    const options: SnapshotOptions = {
      runId,
      segment: { where: { kind: 'all', of: [] }, exclude: [{ kind: 'opted_out' }] },
      context: { asOf: AS_OF, entryAt: ENTRY },
      holdoutRatio: 0.5,
      shardSize: 2,
    };
    expect(await snapshotAudience(db.pool, options)).toEqual({
      members: 5,
      holdout: [2, 3, 4, 5, 6].filter((id) => assignHoldout(runId, id, 0.5)).length,
      shards: 3,
      cohort: 'root',
      created: true,
    });
    expect(await members(runId)).toEqual(
      [2, 3, 4, 5, 6].map((id, i) => ({
        id,
        holdout: assignHoldout(runId, id, 0.5),
        shard: Math.floor(i / 2),
        enteredAt: ENTRY,
      })),
    );
    const run = await db.pool.query(
      'SELECT member_count, shard_count, holdout_ratio, shard_size, entered_at, segment FROM runs WHERE id = $1',
      [runId],
    );
    expect(run.rows[0]).toEqual({
      member_count: 5,
      shard_count: 3,
      holdout_ratio: 0.5,
      shard_size: 2,
      entered_at: ENTRY,
      segment: { where: { kind: 'all', of: [] }, exclude: [{ kind: 'opted_out' }] },
    });

    // A retried activity finds the snapshot and writes nothing.
    const again = await snapshotAudience(db.pool, { ...options, segment: { where: { kind: 'any', of: [] } } });
    expect(again).toEqual({ members: 5, holdout: expect.any(Number), shards: 3, cohort: 'root', created: false });
    expect((await members(runId)).length).toBe(5);
  });

  it('gives each run its own holdout, and none at ratio 0', async () => {
    const a = await insertEmptyRun(db.pool);
    const b = await insertEmptyRun(db.pool);
    const segment: SegmentInput = { where: { kind: 'all', of: [] } };
    await snapshotAudience(db.pool, { runId: a, segment, context: { asOf: AS_OF }, holdoutRatio: 0, shardSize: 100 });
    expect((await members(a)).filter((m) => m.holdout)).toEqual([]);
    await snapshotAudience(db.pool, { runId: b, segment, context: { asOf: AS_OF }, holdoutRatio: 0.3, shardSize: 100 });
    expect((await members(b)).map((m) => m.holdout)).toEqual([1, 2, 3, 4, 5, 6].map((id) => assignHoldout(b, id, 0.3)));
    expect((await members(b)).every((m) => m.shard === 0 && m.enteredAt.getTime() === AS_OF.getTime())).toBe(true);
  });

  it('rejects bad options and unknown runs, leaving nothing behind', async () => {
    const segment: SegmentInput = { where: { kind: 'all', of: [] } };
    const runId = await insertEmptyRun(db.pool);
    await expect(
      snapshotAudience(db.pool, { runId, segment, context: { asOf: AS_OF }, holdoutRatio: 1, shardSize: 10 }),
    ).rejects.toThrow(/ratio/);
    await expect(
      snapshotAudience(db.pool, { runId, segment, context: { asOf: AS_OF }, holdoutRatio: 0.1, shardSize: 0 }),
    ).rejects.toThrow(/shard size/);
    await expect(
      snapshotAudience(db.pool, {
        runId: '00000000-0000-0000-0000-000000000000',
        segment,
        context: { asOf: AS_OF },
        holdoutRatio: 0.1,
        shardSize: 10,
      }),
    ).rejects.toThrow(/no run/);
    expect(await members(runId)).toEqual([]);
  });
});
