import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { Queryable } from '../../../activities/src/db/member-set.ts';
import {
  boughtCategory,
  cameBackSince,
  memberPurchaseFacts,
  membersWhoPurchased,
  purchaseTotalsByArm,
} from '../../../activities/src/db/purchase-facts.ts';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { insertCustomers, insertOrder, insertRun } from './fixtures.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const DAY = 86_400_000;
const S = new Date('2026-11-13T00:00:00+08:00'); // "since"
const U = new Date('2026-11-20T00:00:00+08:00'); // "until" (exclusive)
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** Counts queries, to check that each fact is one query whatever the set. */
function counting(db: Queryable): Queryable & { count: number } {
  const wrapper = {
    count: 0,
    query: ((text: string, values?: unknown[]) => {
      wrapper.count++;
      return db.query(text, values);
    }) as Queryable['query'],
  };
  return wrapper;
}

describe(`purchase facts over member sets (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    const { pool } = db;
    await insertCustomers(pool, [1, 2, 3, 4, 5, 6, 7, 8]);
    await insertOrder(pool, { customerId: 1, at: S, items: [{ category: 'food', amount: 88 }] }); // exactly at since: counts
    await insertOrder(pool, { customerId: 2, at: at(S, -1), items: [{ category: 'daily_goods', amount: 40 }] }); // just before
    await insertOrder(pool, { customerId: 2, at: U, items: [{ category: 'durables', amount: 500 }] }); // exactly at until: excluded
    await insertOrder(pool, {
      customerId: 3,
      at: at(S, DAY),
      status: 'refunded',
      items: [{ category: 'food', amount: 70 }],
    });
    await insertOrder(pool, {
      customerId: 4,
      at: at(S, DAY),
      status: 'closed',
      items: [{ category: 'food', amount: 30 }],
    });
    await insertOrder(pool, {
      customerId: 5,
      at: at(S, 2 * DAY),
      status: 'paid',
      items: [
        { category: 'kids_clothing', amount: 120 },
        { category: 'daily_goods', amount: 30 },
      ],
    });
    await insertOrder(pool, { customerId: 7, at: at(S, DAY), items: [{ category: 'food', amount: 100 }] });
    await insertOrder(pool, {
      customerId: 7,
      at: at(S, 3 * DAY),
      status: 'shipped',
      items: [{ category: 'food', amount: 50 }],
    });
    await insertOrder(pool, { customerId: 8, at: at(S, -5 * DAY), items: [{ category: 'food', amount: 60 }] });
    runId = await insertRun(pool, [
      { customerId: 1, shard: 0, holdout: false, exited: true },
      { customerId: 2, shard: 0, holdout: true },
      { customerId: 3, shard: 0, holdout: false },
      { customerId: 4, shard: 0, holdout: false },
      { customerId: 5, shard: 1, holdout: false },
      { customerId: 6, shard: 1, holdout: true },
      { customerId: 7, shard: 1, holdout: true },
      { customerId: 8, shard: 1, holdout: false },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds who came back in [since, until), counting only paid, non-refunded orders', async () => {
    const q = counting(db.pool);
    expect(await cameBackSince(q, { runId }, S, U)).toEqual([1, 5, 7]);
    expect(await cameBackSince(q, { runId }, S)).toEqual([1, 2, 5, 7]);
    expect(await cameBackSince(q, { runId, shard: 0 }, S, U)).toEqual([1]);
    expect(await cameBackSince(q, { runId, holdout: true }, S, U)).toEqual([7]);
    expect(await cameBackSince(q, { runId, holdout: false, shard: 1 }, S, U)).toEqual([5]);
    expect(await cameBackSince(q, { runId, activeOnly: true }, S, U)).toEqual([5, 7]);
    expect(q.count).toBe(6);
  });

  it('finds who bought a category, ever or in a window', async () => {
    expect(await boughtCategory(db.pool, { runId }, 'food')).toEqual([1, 7, 8]);
    expect(await boughtCategory(db.pool, { runId }, ['kids_clothing', 'durables'])).toEqual([2, 5]);
    expect(await boughtCategory(db.pool, { runId }, 'durables', { since: S, until: U })).toEqual([]);
    expect(await boughtCategory(db.pool, { runId }, 'daily_goods', { until: S })).toEqual([2]);
    expect(await membersWhoPurchased(db.pool, { runId }, { since: S, until: U, categories: ['food'] })).toEqual([1, 7]);
  });

  it('accepts explicit customer ids (duplicates and unknown ids are harmless)', async () => {
    expect(await boughtCategory(db.pool, { customerIds: [5, 5, 6, 999] }, 'daily_goods')).toEqual([5]);
    expect(await cameBackSince(db.pool, { customerIds: [] }, S)).toEqual([]);
    expect(await cameBackSince(db.pool, { customerIds: [8, 7, 1] }, S, U)).toEqual([1, 7]);
  });

  it('rejects malformed ids before reaching SQL; an unknown category matches nothing', async () => {
    await expect(cameBackSince(db.pool, { runId: "x'; DROP TABLE customers; --" }, S)).rejects.toThrow(/not a run id/);
    await expect(cameBackSince(db.pool, { customerIds: [1.5] }, S)).rejects.toThrow(/not a customer id/);
    // Category keys are the shop's data: one deleted later (or never made) is a bound value that matches nothing.
    expect(await boughtCategory(db.pool, { runId }, "food' OR 1=1 --")).toEqual([]);
    expect(await boughtCategory(db.pool, { runId }, ['gone', 'food'])).toEqual(
      await boughtCategory(db.pool, { runId }, 'food'),
    );
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    expect(rows[0].n).toBe(8);
  });

  it('gives per-member totals for every member of the set', async () => {
    const facts = await memberPurchaseFacts(db.pool, { runId, shard: 1 }, { since: S, until: U });
    expect(facts).toEqual([
      {
        customerId: 5,
        orders: 1,
        amount: 150,
        firstPurchaseAt: at(S, 2 * DAY),
        lastPurchaseAt: at(S, 2 * DAY),
        categories: ['daily_goods', 'kids_clothing'],
      },
      { customerId: 6, orders: 0, amount: 0, firstPurchaseAt: null, lastPurchaseAt: null, categories: [] },
      {
        customerId: 7,
        orders: 2,
        amount: 150,
        firstPurchaseAt: at(S, DAY),
        lastPurchaseAt: at(S, 3 * DAY),
        categories: ['food'],
      },
      { customerId: 8, orders: 0, amount: 0, firstPurchaseAt: null, lastPurchaseAt: null, categories: [] },
    ]);
  });

  it('totals the treatment and the holdout side by side', async () => {
    expect(await purchaseTotalsByArm(db.pool, { runId }, { since: S, until: U })).toEqual({
      treatment: { members: 5, buyers: 2, orders: 2, sales: 238 },
      holdout: { members: 3, buyers: 1, orders: 2, sales: 150 },
    });
    expect(await purchaseTotalsByArm(db.pool, { runId, shard: 0 }, { since: S, categories: ['durables'] })).toEqual({
      treatment: { members: 3, buyers: 0, orders: 0, sales: 0 },
      holdout: { members: 1, buyers: 1, orders: 1, sales: 500 },
    });
  });
});

describe(`purchase facts on a demo shop, checked against a plain scan (${describeEngine('configured')})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoShop(db.pool, { customers: 800, seed: 3 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('agrees with the same facts computed in memory from all orders', async () => {
    const since = new Date('2026-11-12T00:00:00+08:00');
    const foodSince = new Date('2026-06-01T00:00:00+08:00');
    const { rows } = await db.pool.query<{
      customer_id: string;
      status: string;
      paid_at: Date | null;
      categories: string[];
    }>(
      'SELECT o.customer_id, o.status, o.paid_at, array_agg(i.category) AS categories FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id',
    );
    const cameBack = new Set<number>();
    const boughtFood = new Set<number>();
    for (const r of rows) {
      if (r.paid_at === null || r.status === 'refunded') continue;
      if (r.paid_at >= since) cameBack.add(Number(r.customer_id));
      if (r.paid_at >= foodSince && r.categories.includes('food')) boughtFood.add(Number(r.customer_id));
    }
    const everyone = { customerIds: Array.from({ length: 800 }, (_, i) => i + 1) };
    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    expect(await cameBackSince(db.pool, everyone, since)).toEqual(sorted(cameBack));
    expect(await boughtCategory(db.pool, everyone, 'food', { since: foodSince })).toEqual(sorted(boughtFood));
    expect(cameBack.size).toBeGreaterThan(10);
  });
});
