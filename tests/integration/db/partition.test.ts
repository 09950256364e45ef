import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignHoldout, holdoutBucket, holdoutSeed } from '@huitou/schemas/holdout';
import type { Database } from '../../../engine/src/db/connect.ts';
import { cameBackSince } from '../../../activities/src/db/purchase-facts.ts';
import { partitionBySegment, partitionRandom } from '../../../activities/src/segments/partition.ts';
import { snapshotAudience } from '../../../activities/src/segments/snapshot.ts';
import { insertEmptyRun } from './fixtures.ts';
import { AS_OF, ENTRY, loadSegmentFixture } from './segment-fixture.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

describe(`splits move cohort members (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;
  const ctx = { asOf: AS_OF, entryAt: ENTRY };

  beforeAll(async () => {
    db = await openTestDatabase();
    await loadSegmentFixture(db.pool);
    runId = await insertEmptyRun(db.pool);
    const snap = await snapshotAudience(db.pool, {
      runId,
      segment: { where: { kind: 'all', of: [] } },
      context: ctx,
      holdoutRatio: 0.4,
      shardSize: 10,
    });
    expect(snap).toMatchObject({ members: 6, shards: 1, cohort: 'root' });
  });
  afterAll(async () => {
    await db?.close();
  });

  const arms = (ids: number[]) => ({
    treatment: ids.filter((id) => !assignHoldout(runId, id, 0.4)).length,
    holdout: ids.filter((id) => assignHoldout(runId, id, 0.4)).length,
  });
  const cohortIds = async (cohort: string) =>
    (
      await db.pool.query<{ id: string }>(
        'SELECT customer_id AS id FROM run_members WHERE run_id = $1 AND cohort = $2 ORDER BY 1',
        [runId, cohort],
      )
    ).rows.map((r) => Number(r.id));

  it('sends each member to the first matching branch, else to the otherwise cohort, once', async () => {
    const split = {
      branches: [
        { when: { kind: 'gender', values: ['female'] }, target: 'root/female' },
        { when: { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } }, target: 'root/buyer' },
      ],
      otherwiseTarget: 'root/else',
      context: ctx,
    };
    const expected = { 'root/female': arms([1, 4, 6]), 'root/buyer': arms([2, 3, 5]), 'root/else': arms([]) };
    expect(await partitionBySegment(db.pool, { runId, shard: 0, cohort: 'root' }, split)).toEqual(expected);
    expect(await cohortIds('root/female')).toEqual([1, 4, 6]);
    // A retried activity: nothing left in root, same counts.
    expect(await partitionBySegment(db.pool, { runId, shard: 0, cohort: 'root' }, split)).toEqual(expected);
    expect(await cameBackSince(db.pool, { runId, cohort: 'root/female' }, ENTRY)).toEqual([1]);
  });

  it('evaluates conditions for the cohort only, but RFM quantiles over the whole shop', async () => {
    // Shop-wide medians: 9 days, 1 order, 390 yuan, so 1 and 4 are important value. Over the
    // cohort's own buyers (1 and 4) the recency median would be 7 days and 4 would drop out.
    const counts = await partitionBySegment(
      db.pool,
      { runId, shard: 0, cohort: 'root/female' },
      {
        branches: [
          {
            when: {
              kind: 'rfm',
              groups: ['important_value'],
              scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
            },
            target: 'f/iv',
          },
        ],
        otherwiseTarget: 'f/rest',
        context: ctx,
      },
    );
    expect(counts).toEqual({ 'f/iv': arms([1, 4]), 'f/rest': arms([6]) });
  });

  it('splits at random by the salted holdout hash', async () => {
    const salt = 'node-ab';
    const arm = (id: number) =>
      Math.floor(holdoutBucket(holdoutSeed(`${runId}:${salt}`), id) * 10_000) < 5000 ? 'b/a' : 'b/b';
    const counts = await partitionRandom(
      db.pool,
      { runId, shard: 0, cohort: 'root/buyer' },
      {
        salt,
        buckets: 10_000,
        arms: [
          { fromBucket: 0, toBucket: 5000, target: 'b/a' },
          { fromBucket: 5000, toBucket: 10_000, target: 'b/b' },
        ],
      },
    );
    expect(counts).toEqual({
      'b/a': arms([2, 3, 5].filter((id) => arm(id) === 'b/a')),
      'b/b': arms([2, 3, 5].filter((id) => arm(id) === 'b/b')),
    });
    expect([...(await cohortIds('b/a')), ...(await cohortIds('b/b'))].sort()).toEqual([2, 3, 5]);
  });

  it('rejects conditions the segment schema does not allow', async () => {
    await expect(
      partitionBySegment(
        db.pool,
        { runId, shard: 0, cohort: 'f/rest' },
        {
          branches: [{ when: { kind: 'sql', text: 'true; DROP TABLE customers' }, target: 'x' }],
          otherwiseTarget: 'y',
          context: ctx,
        },
      ),
    ).rejects.toThrow();
    expect(await cohortIds('f/rest')).toEqual([6]);
  });
});
