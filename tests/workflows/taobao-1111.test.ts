// Issue 15's acceptance over a real shop's data: a generated Taobao shop of its own categories and
// products (tests/support/taobao-shop.ts) is imported from its GBK order report and item report
// through the real import path, then the 11.11 template built from the shop's categories runs on
// the time-skipping server with the real activities. Every eligible thanks SMS goes out with
// `{item}` filled (no `missing_variable` anywhere), the split follows the shop's categories, and
// the 30-day evaluation counts exactly the buyers the test makes come back.
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer1111For } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun } from '@huitou/workflows';
import { runImport } from '../../engine/src/imports/run-import.ts';
import { ordersImport } from '../../engine/src/imports/orders.ts';
import { orderItemsImport } from '../../engine/src/imports/order-items.ts';
import type { EngineDeps } from '../../engine/src/deps.ts';
import { insertOrder } from '../integration/db/fixtures.ts';
import type { TaobaoShop } from '../support/taobao-shop.ts';
import { SHOP_CATEGORIES, SHOP_PRODUCTS, taobaoShop } from '../support/taobao-shop.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, compile, ledger, publish, startHarness, untilShanghaiMorning } from './support.ts';

const KEYS = SHOP_CATEGORIES.map((c) => c.key);

describe.runIf(onTimeSkippingLane())('the 11.11 template on an imported Taobao shop', () => {
  let h: Harness;
  let shop: TaobaoShop;
  beforeAll(async () => {
    h = await startHarness();
    shop = taobaoShop();
    const pool = h.db.pool;
    for (const [i, c] of SHOP_CATEGORIES.entries())
      await pool.query('INSERT INTO categories (key, name, position) VALUES ($1, $2, $3)', [c.key, c.name, i]);
    for (const p of SHOP_PRODUCTS)
      await pool.query(
        'INSERT INTO products (sku, name, category, role, list_price, short_name) VALUES ($1, $2, $3, $4, $5, $6)',
        [p.sku, p.name, p.category, p.role, p.price, p.shortName],
      );
    const deps = { pool, config: { temporal: {} }, log: () => {} } as unknown as EngineDeps;
    for (const [kind, file] of [
      [ordersImport, shop.orderReport],
      [orderItemsImport, shop.itemReport],
    ] as const) {
      const outcome = await runImport(deps, { actor: 'test' } as never, kind as never, {
        id: randomUUID(),
        body: Readable.from([file]),
        limitBytes: 64 * 1024 * 1024,
        charset: 'gb18030',
      });
      expect(outcome.state).toBe('succeeded');
    }
  }, 120_000);
  afterAll(async () => h?.close());

  it('thanks every eligible buyer with {item} filled, splits by the shop categories, counts who came back', async () => {
    const pool = h.db.pool;
    // Who enters, in plain SQL: >= 299 paid on 11.11 (Shanghai day), nothing paid before; the
    // branch is the first of the shop's categories (the template's order) among their 11.11 items.
    const entrants = await pool.query<{ id: string; nick: string; phone: string | null; category: string | null }>(
      `WITH day AS (SELECT timestamptz '2026-11-11 00:00:00+08' AS a, timestamptz '2026-11-12 00:00:00+08' AS b)
       SELECT c.id, c.external_id AS nick, c.phone,
              (SELECT i.category FROM purchases o JOIN order_items i ON i.order_id = o.id, day
               WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b AND i.category = ANY($1::text[])
               ORDER BY array_position($1::text[], i.category) LIMIT 1) AS category
       FROM customers c, day
       WHERE (SELECT coalesce(sum(o.amount), 0) FROM purchases o WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b) >= 299
         AND NOT EXISTS (SELECT 1 FROM purchases o WHERE o.customer_id = c.id AND o.paid_at < day.a)
       ORDER BY c.id`,
      [KEYS],
    );
    // The same from the fixture's own rows: an 11.11 order (>= 299 by construction) and no earlier
    // purchase (paid, not refunded); its designated new buyers, and the few whose earlier orders
    // were all unpaid or closed.
    const purchasedBefore = (b: TaobaoShop['buyers'][number]) =>
      b.orders.some((o) => o.paidAt !== null && o.createdAt < '2026-11-11' && !(o.status === '交易关闭' && o.refund));
    const expected = shop.buyers
      .filter((b) => b.orders.some((o) => o.createdAt.startsWith('2026-11-11')) && !purchasedBefore(b))
      .map((b) => b.nick);
    expect(entrants.rows.map((r) => r.nick).sort()).toEqual(expected.sort());
    expect(expected).toEqual(expect.arrayContaining(shop.facts.newElevenElevenBuyers));

    const plan = compile(newBuyer1111For(SHOP_CATEGORIES));
    const { journeyId, versionId, runId } = await publish(pool, plan, 'audience');
    const t0 = await untilShanghaiMorning(h.env);
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId: `taobao-1111-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    // The fixture's returners buy again five days after the thanks (inside the 30-day window).
    const returners = new Set(shop.facts.returners.map((r) => r.buyer));
    const back = entrants.rows.filter((r) => returners.has(r.nick));
    expect(back.length).toBeGreaterThan(50);
    await h.env.sleep(t0 + 5 * DAY + HOUR - h.env.now());
    for (const r of back)
      await insertOrder(pool, {
        customerId: Number(r.id),
        at: new Date(h.env.now()),
        items: [{ category: KEYS[0], amount: 99 }],
      });
    const result = await handle.result();

    const ofCategory = (key: string | null) => entrants.rows.filter((r) => r.category === key).length;
    expect(result.counts.split_category.ports).toEqual({
      ...Object.fromEntries(KEYS.map((k) => [k, ofCategory(k)])),
      else: ofCategory(null),
    });
    expect(KEYS.every((k) => ofCategory(k) > 0)).toBe(true);

    // Thanks: every treatment member of a branch, sent when SMS can reach them, else no_phone.
    const sms = await ledger(pool, runId);
    expect(sms.filter((m) => m.skipReason === 'missing_variable')).toEqual([]);
    const thanks = sms.filter((m) => m.node.startsWith('thanks_'));
    const treatment = entrants.rows.filter(
      (r) => r.category !== null && !assignHoldout(runId as string, Number(r.id), 0.1),
    );
    expect(thanks.map((m) => m.customerId).sort((a, b) => a - b)).toEqual(treatment.map((r) => Number(r.id)));
    for (const m of thanks) {
      const phone = entrants.rows.find((r) => Number(r.id) === m.customerId)?.phone ?? null;
      expect([m.status, m.skipReason]).toEqual(phone ? ['sent', null] : ['skipped', 'no_phone']);
    }
    expect(thanks.filter((m) => m.status === 'skipped').length).toBeGreaterThan(0); // masked phones
    const items = new Set(
      (await pool.query<{ n: string }>('SELECT coalesce(short_name, name) AS n FROM products')).rows.map((r) => r.n),
    );
    const bodies = await pool.query<{ body: string }>(
      `SELECT s.body FROM sms_sink s JOIN messages m ON m.message_key = s.message_key
       WHERE m.run_id = $1 AND m.node_id LIKE 'thanks\\_%'`,
      [runId],
    );
    expect(bodies.rows.length).toBe(thanks.filter((m) => m.status === 'sent').length);
    for (const { body } of bodies.rows) {
      const item = /感谢您在双11选购(.+?)！/.exec(body)?.[1];
      expect(items.has(item as string), body).toBe(true);
    }

    // The 30-day evaluation of the whole group (a row per branch cohort): its buyers, treatment and
    // holdout together, are the returners.
    const { rows } = await pool.query<{ treatment: { buyers: number }; holdout: { buyers: number } }>(
      `SELECT treatment, holdout FROM evaluations WHERE run_id = $1 AND node_id = 'eval_30d'`,
      [runId],
    );
    expect(rows).toHaveLength(KEYS.length);
    const inBranches = back.filter((r) => r.category !== null).length;
    expect(rows.reduce((n, r) => n + r.treatment.buyers + r.holdout.buyers, 0)).toBe(inBranches);
  }, 180_000);
});
