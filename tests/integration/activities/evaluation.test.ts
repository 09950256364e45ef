import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { CheckpointCall, CohortRef } from '../../../activities/src/contract.ts';
import { compareProportions, createEvaluationActivities } from '../../../activities/src/evaluation/index.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { insertEmptyRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import { DAY, nodeCall, settings, shanghai } from './helpers.ts';

const A = shanghai('2026-11-12T10:00:00'); // the anchor (coupon) pass
const H = 3_600_000;

describe(`evaluateCheckpoint (${describeEngine('configured')})`, () => {
  let db: Database;
  let ref: CohortRef;
  let o1: number;
  let o9: number;
  const checkpoint = (
    over: {
      attributeFrom?: 'anchor' | 'entry';
      cycles?: CheckpointCall['cycles'];
      goal?: { kind: 'purchase'; minAmount?: number } | { kind: 'trigger_order_paid' };
      triggerKey?: string;
    } = {},
  ): CheckpointCall => ({
    ...nodeCall(
      'eval.checkpoint',
      {
        name: 'day2',
        anchors: ['coupon'],
        offset: { amount: 2, unit: 'days' },
        attributeFrom: over.attributeFrom ?? 'anchor',
      },
      {
        ref,
        nodeId: 'eval2',
        now: A + 2 * DAY,
        cycles: over.cycles,
        settings: settings({ goal: over.goal ?? { kind: 'purchase' } }),
        ...(over.triggerKey === undefined ? {} : { triggerKey: over.triggerKey }),
      },
    ),
    enteredAt: A - DAY,
    anchoredAt: A,
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    const { pool } = db;
    await insertCustomers(pool, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const runId = await insertEmptyRun(pool);
    ref = { runId, shard: 0, cohort: 'root' };
    // 1-6 treatment in the cohort, 7 in a cohort split off it (counts), 8 in an unrelated cohort
    // (does not), 9-10 holdout.
    await pool.query(
      `INSERT INTO run_members (run_id, customer_id, shard, holdout, cohort)
       SELECT $1, c, 0, c >= 9, CASE WHEN c = 7 THEN 'root/a' WHEN c = 8 THEN 'other' ELSE 'root' END FROM generate_series(1, 10) AS c`,
      [runId],
    );
    o1 = await insertOrder(pool, {
      customerId: 1,
      at: new Date(A + H),
      items: [{ category: 'food', amount: 100 }],
    });
    await insertOrder(pool, {
      customerId: 1,
      at: new Date(A + 3 * H),
      items: [{ category: 'daily_goods', amount: 50 }],
    });
    await insertOrder(pool, { customerId: 2, at: new Date(A - H), items: [{ category: 'food', amount: 80 }] }); // before the anchor, after entry
    await insertOrder(pool, { customerId: 3, at: new Date(A + 2 * DAY), items: [{ category: 'food', amount: 90 }] }); // window end is exclusive
    await insertOrder(pool, {
      customerId: 4,
      at: new Date(A + H),
      status: 'refunded',
      items: [{ category: 'food', amount: 200 }],
    });
    await insertOrder(pool, { customerId: 7, at: new Date(A + DAY), items: [{ category: 'food', amount: 60 }] });
    await insertOrder(pool, { customerId: 8, at: new Date(A + H), items: [{ category: 'food', amount: 500 }] });
    o9 = await insertOrder(pool, { customerId: 9, at: new Date(A + 5 * H), items: [{ category: 'food', amount: 70 }] });
    await pool.query(
      `INSERT INTO messages (message_key, run_id, node_id, customer_id, class, status, skip_reason, cycle_path, segments, billed_segments, unit_price, cost) VALUES
        ('k1', $1, 'thanks', 1, 'marketing', 'delivered', NULL, '', 2, 2, 0.05, 0.1),
        ('k2', $1, 'thanks', 2, 'marketing', 'sent', NULL, '', 1, NULL, 0.05, 0.05),
        ('k3', $1, 'thanks', 3, 'marketing', 'undelivered', NULL, '', 1, 0, 0.05, 0.05),
        ('k4', $1, 'thanks', 4, 'marketing', 'skipped', 'opted_out', '', NULL, NULL, NULL, NULL),
        ('k5', $1, 'thanks', 5, 'marketing', 'unknown', NULL, '', 1, NULL, 0.05, 0.05),
        ('k6', $1, 'care', 6, 'marketing', 'sent', NULL, 'L:1', 1, NULL, 0.05, 0.05),
        ('k7', $1, 'care', 7, 'marketing', 'delivered', NULL, 'L:2,M:1', 1, NULL, 0.05, 0.05),
        ('k8', $1, 'care', 8, 'marketing', 'delivered', NULL, '', 1, NULL, 0.05, 0.05)`,
      [runId],
    );
    await pool.query(
      `INSERT INTO coupons (issue_key, code, template, customer_id, run_id, node_id, value, redeemed_order_id) VALUES
        ('c1', 'C1', '券', 1, $1, 'coupon', 10, $2), ('c7', 'C7', '券', 7, $1, 'coupon', 5, NULL)`,
      [runId, o1],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  const evaluate = (call: CheckpointCall) => createEvaluationActivities({ pool: db.pool }).evaluateCheckpoint(call);

  it('figures per arm for the cohort (and its splits) in the attribution window', async () => {
    expect(await evaluate(checkpoint())).toEqual({
      treatment: {
        targets: 7,
        sent: 5,
        delivered: 2,
        billedSegments: 3,
        buyers: 2,
        orders: 3,
        sales: 210,
        cost: 10.25,
        // 1's coupon, paid with in the window (its face value is in cost); 7's, not used.
        couponsIssued: 2,
        couponsRedeemed: 1,
        couponValue: 10,
      },
      holdout: {
        targets: 2,
        sent: 0,
        delivered: 0,
        billedSegments: 0,
        buyers: 1,
        orders: 1,
        sales: 70,
        cost: 0,
        couponsIssued: 0,
        couponsRedeemed: 0,
        couponValue: 0,
      },
    });
  });

  it('stores one row per checkpoint key with the lift, its interval and p-value; re-running overwrites', async () => {
    await evaluate(checkpoint());
    const { rows } = await db.pool.query(`SELECT * FROM evaluations WHERE run_id = $1`, [ref.runId]);
    expect(rows).toHaveLength(1);
    const expected = compareProportions(2, 7, 1, 2);
    expect(rows[0]).toMatchObject({
      checkpoint: 'day2',
      node_id: 'eval2',
      cycle: 0,
      shard: 0,
      cohort: 'root',
      significant: false,
    });
    expect(rows[0].lift).toBeCloseTo(2 / 7 - 1 / 2, 12);
    expect(rows[0].lift_ci_low).toBeCloseTo(expected?.ciLow ?? NaN, 12);
    expect(rows[0].p_value).toBeCloseTo(expected?.pValue ?? NaN, 12);
    expect(rows[0].window_start.getTime()).toBe(A);
    expect(rows[0].window_end.getTime()).toBe(A + 2 * DAY);
    expect(rows[0].treatment).toMatchObject({ buyers: 2, metrics: { responseRate: 2 / 7, averageOrderValue: 70 } });
  });

  it('a cycle checkpoint counts only that cycle’s stimulation', async () => {
    const result = await evaluate(checkpoint({ cycles: [{ loop: 'L', cycle: 2, startedAt: A - H }] }));
    expect(result.treatment).toEqual({
      targets: 7,
      sent: 1,
      delivered: 1,
      billedSegments: 1,
      buyers: 2,
      orders: 3,
      sales: 210,
      cost: 0.05,
      // The coupons were issued outside the cycle.
      couponsIssued: 0,
      couponsRedeemed: 0,
      couponValue: 0,
    });
    expect((await db.pool.query(`SELECT 1 FROM evaluations WHERE run_id = $1`, [ref.runId])).rowCount).toBe(2);
  });

  it('attribution from entry, and the journey goal, change who counts as a buyer', async () => {
    const entry = await evaluate(checkpoint({ attributeFrom: 'entry' }));
    expect(entry.treatment).toMatchObject({ buyers: 3, orders: 4, sales: 290 });
    const big = await evaluate(checkpoint({ goal: { kind: 'purchase', minAmount: 90 } }));
    expect(big.treatment).toMatchObject({ buyers: 1, orders: 1, sales: 100, cost: 10.25 });
    expect(big.holdout).toMatchObject({ buyers: 0, orders: 0, sales: 0 });
  });

  it('the trigger_order_paid goal counts the member’s own trigger order: a cohort’s per member, an old run’s key', async () => {
    // Customer 1 entered a cohort on order o1 (its later order is not the trigger); customer 9 is
    // judged by the one-member run's key `order:<o9>`, as runs from before cohorts were.
    await db.pool.query('UPDATE run_members SET trigger_order_id = $2 WHERE run_id = $1 AND customer_id = 1', [
      ref.runId,
      o1,
    ]);
    try {
      const paid = await evaluate(checkpoint({ goal: { kind: 'trigger_order_paid' }, triggerKey: `order:${o9}` }));
      expect(paid.treatment).toMatchObject({ targets: 7, buyers: 1, orders: 1, sales: 100 });
      expect(paid.holdout).toMatchObject({ targets: 2, buyers: 1, orders: 1, sales: 70 });
    } finally {
      await db.pool.query('UPDATE run_members SET trigger_order_id = NULL WHERE run_id = $1', [ref.runId]);
    }
  });
});
