// The flagship acceptance test (issue 5): the 11.11 new-buyer journey over a generated shop, on the
// time-skipping dev server with the real activities. Every expected figure is computed here,
// independently of the product's segment code, from the generated rows and a deterministic set of
// repurchases the test inserts at known instants: who enters, the holdout, the category arms, SMS
// and coupons per node and cycle (with skip reasons), and the evaluation rows at each checkpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun } from '@huitou/workflows';
import { seedDemoShop } from '@huitou/engine/demo/seed';
import { insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, compile, ledger, publish, untilShanghaiMorning, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const SHOP = { customers: 3_000, seed: 1111, referenceDate: '2026-11-12' };
const CATEGORIES = ['food', 'kids_clothing', 'daily_goods', 'durables'] as const;
type Category = (typeof CATEGORIES)[number];
const HOLDOUT = 0.1;
const CYCLES = [1, 2, 3, 4, 5];

/**
 * Who comes back when (days after the journey starts), by the entrant's rank: A inside the 2-day
 * window (leaves before cycle 1), B inside cycle 1's 10-day window (leaves at cycle 2), C inside
 * cycle 3's window (leaves at cycle 4); the rest never.
 */
const comeback = (rank: number): { group: 'A' | 'B' | 'C'; day: number } | null =>
  rank % 6 === 0
    ? { group: 'A', day: 1 }
    : rank % 6 === 1
      ? { group: 'B', day: 35 }
      : rank % 6 === 2
        ? { group: 'C', day: 95 }
        : null;
/** The first cycle a member of each group is no longer in (they bought before it began). */
const leavesAt = { A: 1, B: 2, C: 4 } as const;

describe.runIf(onTimeSkippingLane())('flagship: 11.11 new buyers over a generated shop', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedDemoShop(h.db.pool, SHOP);
  }, 120_000);
  afterAll(async () => h?.close());

  it('runs the five-month journey with exact sends, coupons and evaluations', async () => {
    const pool = h.db.pool;
    // Who enters, in plain SQL: >= 299 paid on 11.11 (Shanghai day), nothing paid before, not opted out.
    const entrants = await pool.query<{ id: string; phone: string | null; category: Category | null }>(
      `WITH day AS (SELECT timestamptz '2026-11-11 00:00:00+08' AS a, timestamptz '2026-11-12 00:00:00+08' AS b)
       SELECT c.id, c.phone,
              (SELECT i.category FROM orders o JOIN order_items i ON i.order_id = o.id, day
               WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b AND o.status NOT IN ('created', 'closed', 'refunded')
               ORDER BY array_position(ARRAY['food', 'kids_clothing', 'daily_goods', 'durables'], i.category) LIMIT 1) AS category
       FROM customers c, day
       WHERE (SELECT coalesce(sum(o.amount), 0) FROM orders o WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b
                AND o.status NOT IN ('created', 'closed', 'refunded')) >= 299
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.paid_at < day.a AND o.status NOT IN ('created', 'closed', 'refunded'))
         AND NOT EXISTS (SELECT 1 FROM opt_outs x WHERE x.channel = 'sms' AND (x.customer_id = c.id OR x.recipient = c.phone))
       ORDER BY c.id`,
    );
    const plan = compile(journeyTemplates.newBuyer1111);
    const { journeyId, versionId, runId } = await publish(pool, plan, 'audience');
    const t0 = await untilShanghaiMorning(h.env); // 10:00 in Shanghai, outside quiet hours
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId: `flagship-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    const members = entrants.rows.map((r, rank) => ({
      id: Number(r.id),
      phone: r.phone,
      category: r.category,
      held: assignHoldout(runId as string, Number(r.id), HOLDOUT),
      back: comeback(rank),
    }));
    for (const day of [1, 35, 95]) {
      await h.env.sleep(t0 + day * DAY + HOUR - h.env.now());
      for (const m of members.filter((x) => x.back?.day === day)) {
        await insertOrder(pool, {
          customerId: m.id,
          at: new Date(h.env.now()),
          items: [{ category: 'food', amount: 100 + (m.id % 50) }],
        });
      }
    }
    const result = await handle.result();

    // Independent expectations.
    const held = members.filter((m) => m.held);
    const arms = (list: typeof members) => ({
      treatment: list.filter((m) => !m.held),
      holdout: list.filter((m) => m.held),
    });
    const ofCategory = (c: Category) => members.filter((m) => m.category === c);
    /** Members still in the journey in cycle k: not yet come back before it began. */
    const inCycle = (list: typeof members, k: number) => list.filter((m) => !m.back || leavesAt[m.back.group] > k);
    const ids = (list: typeof members) => list.map((m) => m.id);
    expect(members.length).toBeGreaterThan(50);
    expect(members.every((m) => m.category !== null)).toBe(true);
    expect(result).toMatchObject({ members: members.length, holdout: held.length, shards: 1 });
    expect(result.counts.split_category.ports).toEqual({
      ...Object.fromEntries(CATEGORIES.map((c) => [c, ofCategory(c).length])),
      else: 0,
    });

    // SMS per node and cycle, from the ledger: one row per treatment member, sent (and in the
    // local sink) or skipped with its reason; none for the holdout.
    const sms = await ledger(pool, runId);
    const smsOf = (node: string, cycle = 0) =>
      sms
        .filter((m) => m.node === node && m.cycle === cycle)
        .map((m) => [m.customerId, m.status, m.skipReason, m.inSink]);
    // The shop-wide cap (marketing SMS per period): thanks and care, then one per cycle, so the
    // cycles that would exceed it are skipped as frequency_cap.
    const cap = (await pool.query<{ marketing_cap: number }>('SELECT marketing_cap FROM shop_settings')).rows[0]
      .marketing_cap;
    const capped = (cycle: number) => 2 + Math.max(0, cycle - 1) >= cap;
    const expectedSms = (list: typeof members, cycle = 0) =>
      arms(list).treatment.map((m) =>
        !m.phone
          ? [m.id, 'skipped', 'no_phone', false]
          : capped(cycle)
            ? [m.id, 'skipped', 'frequency_cap', false]
            : [m.id, 'sent', null, true],
      );
    expect(CYCLES.some(capped)).toBe(true);
    for (const c of CATEGORIES) {
      expect(smsOf(`thanks_${c}`)).toEqual(expectedSms(ofCategory(c)));
      expect(smsOf(`care_${c}`)).toEqual(expectedSms(ofCategory(c)));
    }
    for (const k of CYCLES) {
      expect(sortById(smsOf('cycle_thanks', k))).toEqual(sortById(expectedSms(inCycle(members, k), k)));
    }
    expect(sms).toHaveLength(
      2 * arms(members).treatment.length + CYCLES.reduce((n, k) => n + arms(inCycle(members, k)).treatment.length, 0),
    );

    // Coupons per node and cycle: every treatment member of the node's cohort, once.
    const coupons = await pool.query<{ node_id: string; cycle_path: string; customer_id: string }>(
      'SELECT node_id, cycle_path, customer_id FROM coupons WHERE run_id = $1 ORDER BY node_id, cycle_path, customer_id',
      [runId],
    );
    const couponsOf = (node: string, path = '') =>
      coupons.rows.filter((r) => r.node_id === node && r.cycle_path === path).map((r) => Number(r.customer_id));
    for (const c of CATEGORIES) expect(couponsOf(`coupon_${c}`)).toEqual(ids(arms(ofCategory(c)).treatment));
    for (const k of CYCLES)
      expect(couponsOf('cycle_coupon', `monthly:${k}`)).toEqual(sortNumbers(ids(arms(inCycle(members, k)).treatment)));
    expect(coupons.rows).toHaveLength(
      arms(members).treatment.length + CYCLES.reduce((n, k) => n + arms(inCycle(members, k)).treatment.length, 0),
    );
    expect(result.counts.cycle_thanks.entered).toBe(CYCLES.reduce((n, k) => n + inCycle(members, k).length, 0));
    expect(result.counts.exit_done).toMatchObject({ entered: members.length, exited: members.length });

    // Evaluations: one row per checkpoint, cohort and cycle, with the figures of each arm.
    const amount = (m: (typeof members)[number]) => 100 + (m.id % 50);
    const figures = (list: typeof members, boughtIn: 'A' | 'B' | 'C' | null, sentPer: number) => {
      const buyers = list.filter((m) => boughtIn !== null && m.back?.group === boughtIn);
      return {
        targets: list.length,
        sent: list.filter((m) => !m.held && m.phone).length * sentPer,
        buyers: buyers.length,
        orders: buyers.length,
        sales: buyers.reduce((sum, m) => sum + amount(m), 0),
      };
    };
    const expectedEvaluations: unknown[] = [];
    const row = (
      node: string,
      cycle: number,
      cohort: string,
      list: typeof members,
      boughtIn: 'A' | 'B' | 'C' | null,
      sentPer: number,
    ) =>
      expectedEvaluations.push({
        node,
        cycle,
        cohort,
        treatment: figures(arms(list).treatment, boughtIn, sentPer),
        holdout: { ...figures(arms(list).holdout, boughtIn, sentPer), sent: 0 },
      });
    for (const c of CATEGORIES) {
      const cohort = `root/split_category.${c}`;
      row(`eval_${c}`, 0, cohort, ofCategory(c), 'A', 2);
      row('eval_30d', 0, cohort, ofCategory(c), 'A', 2);
      for (const k of CYCLES)
        row(
          'cycle_eval',
          k,
          `${cohort}${'/monthly.body'.repeat(k)}`,
          inCycle(ofCategory(c), k),
          k === 1 ? 'B' : k === 3 ? 'C' : null,
          capped(k) ? 0 : 1,
        );
    }
    const evaluations = await pool.query<{
      node_id: string;
      cycle: number;
      cohort: string;
      treatment: Record<string, number>;
      holdout: Record<string, number>;
    }>('SELECT node_id, cycle, cohort, treatment, holdout FROM evaluations WHERE run_id = $1', [runId]);
    const pick = (f: Record<string, number>) => ({
      targets: f.targets,
      sent: f.sent,
      buyers: f.buyers,
      orders: f.orders,
      sales: f.sales,
    });
    const key = (r: { node: string; cycle: number; cohort: string }) => `${r.node}|${r.cycle}|${r.cohort}`;
    const actual = evaluations.rows.map((r) => ({
      node: r.node_id,
      cycle: r.cycle,
      cohort: r.cohort,
      treatment: pick(r.treatment),
      holdout: pick(r.holdout),
    }));
    expect(actual.sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
      (expectedEvaluations as typeof actual).sort((x, y) => key(x).localeCompare(key(y))),
    );
  }, 120_000);
});

const sortNumbers = (list: number[]) => [...list].sort((a, b) => a - b);
const sortById = <T extends unknown[]>(rows: T[]) => [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));
