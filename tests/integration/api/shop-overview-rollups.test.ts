// The shop overview from its precomputed tables (migration 089) equals the overview computed
// straight from the orders (tests/support/shop-overview-from-orders.ts), on a generated shop:
// after a CSV import, after live order events (created → paid, refunded, a new buyer), after a
// buyer moves and after an order is deleted, and in another time zone (a rebuild).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewPeriod } from '@huitou/schemas/http';
import { rebuildOverviewRollups, refreshOverviewRollups } from '../../../engine/src/reports/overview-rollups.ts';
import { shopOverview } from '../../../engine/src/reports/shop-overview.ts';
import { overviewFromOrders } from '../../support/shop-overview-from-orders.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const NOW = new Date('2026-04-01T12:00:00+08:00');
const CATEGORIES = ['food', 'kids_clothing', 'daily_goods', 'durables'];
const PLACES = [
  ['广东', '深圳'],
  ['广东', '广州'],
  ['浙江', '杭州'],
  ['', ''],
];
const STATUSES = ['completed', 'paid', 'completed', 'refunded', 'created', 'completed', 'shipped'];

/** A small deterministic generator (Park–Miller: the fixture is the same on every run). */
function numbers(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 48271) % 2147483647;
    return Math.floor((x / 2147483647) * n);
  };
}

/** 40 customers, 400 orders from 2025-10 to 2026-03, some near local midnight, some bought twice a day. */
function shopCsv(): { customers: string; orders: string } {
  const next = numbers(18);
  const customers = ['external_id,nickname,province,city'];
  for (let c = 1; c <= 40; c++) {
    const [province, city] = PLACES[c % PLACES.length];
    customers.push(`c-${c},buyer ${c},${province},${city}`);
  }
  const orders = ['external_id,customer_external_id,status,amount,created_at,paid_at,items'];
  for (let o = 1; o <= 400; o++) {
    // Low ids buy more often (a product of two draws), a few never.
    const customer = 1 + ((next(36) * next(36)) % 36);
    const day = new Date(Date.UTC(2025, 9, 1) + next(182) * 86_400_000).toISOString().slice(0, 10);
    const time = ['00:20', '07:59', '12:00', '23:50'][next(4)];
    const status = STATUSES[next(STATUSES.length)];
    const at = `${day}T${time}:00+08:00`;
    const lines = Array.from({ length: 1 + next(2) }, () => `${CATEGORIES[next(4)]}:1:${10 + next(90)}`);
    orders.push(
      `o-${o},c-${customer},${status},${20 + next(300)},${at},${status === 'created' ? '' : at},${lines.join(';')}`,
    );
  }
  return { customers: customers.join('\n') + '\n', orders: orders.join('\n') + '\n' };
}

const QUERIES: { period: OverviewPeriod; from: string; to: string }[] = [
  { period: 'day', from: '2026-01-02', to: '2026-04-01' },
  { period: 'week', from: '2025-10-01', to: '2026-03-31' },
  { period: 'month', from: '2025-11-15', to: '2026-02-10' },
  { period: 'month', from: '2025-09-01', to: '2026-04-30' },
];

describe(`the overview from its precomputed tables (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    await api.db.pool.query(
      "INSERT INTO products (sku, name, category, list_price, role) VALUES ('KID-1', '童装', 'kids_clothing', 99, 'profit')",
    );
  });
  afterAll(async () => api?.close());

  const csv = async (path: string, body: string) => {
    const res = await api.call('POST', path, {
      role: 'engineer',
      raw: body,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.state).toBe('succeeded');
  };
  const post = async (body: unknown) => {
    const res = await api.call('POST', '/api/events', { role: 'engineer', body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  };
  let keys = 0;
  const event = (type: string, occurredAt: string, extra: Record<string, unknown>) => ({
    idempotencyKey: `rollup-${(keys += 1)}`,
    type,
    occurredAt,
    ...extra,
  });

  /** Every query, both ways, equal; returns the rollup-backed overviews (to see that something changed). */
  async function expectSameAsFromOrders(timeZone = 'Asia/Shanghai') {
    const seen = [];
    for (const q of QUERIES)
      for (const monetary of ['sum', 'aov'] as const) {
        const o = { ...q, timeZone, monetary, asOf: NOW };
        const { timings, ...fromRollups } = await shopOverview(api.db.pool, o);
        expect(Object.keys(timings)).toHaveLength(9);
        expect(fromRollups, JSON.stringify(q)).toEqual(await overviewFromOrders(api.db.pool, o));
        seen.push(fromRollups);
      }
    return seen;
  }

  it('equals the overview from the orders after an import', async () => {
    const { customers, orders } = shopCsv();
    await csv('/api/imports/customers', customers);
    await csv('/api/imports/orders', orders);
    const overviews = await expectSameAsFromOrders();
    // The fixture fills every figure (a comparison of empty figures would prove nothing).
    const [days, weeks] = overviews.filter((_, i) => i % 2 === 0);
    expect(days.trend.some((t) => t.buyers > 1)).toBe(true);
    expect(days.newReturning.some((t) => t.returningBuyers > 0)).toBe(true);
    expect(weeks.retention.firstTimeBuyers).toBeGreaterThan(0);
    expect(weeks.ltv.length).toBeGreaterThan(0);
    expect(weeks.repurchase.some((r) => (r.quarter ?? 0) > 0)).toBe(true);
    expect(days.cities.length).toBeGreaterThan(2);
  });

  it('recomputes only the buyers whose orders changed, then equals it after order events', async () => {
    expect(await refreshOverviewRollups(api.db.pool, 'Asia/Shanghai')).toBe(0);
    const before = await shopOverview(api.db.pool, {
      ...QUERIES[0],
      timeZone: 'Asia/Shanghai',
      monetary: 'sum',
      asOf: NOW,
    });
    const known = { externalId: 'c-3' };
    const newcomer = { externalId: 'tb-new-1', province: '江苏', city: '南京' };
    const order = (externalId: string, amount: number) => ({
      externalId,
      amount,
      items: [{ sku: 'KID-1', title: '童装', quantity: 1, amount }],
    });
    await post({
      events: [
        event('order_created', '2026-03-30T23:58:00+08:00', { customer: known, order: order('E-1', 88) }),
        event('order_paid', '2026-03-31T00:01:00+08:00', { customer: known, order: { externalId: 'E-1' } }),
        event('order_created', '2026-03-20T10:00:00+08:00', { customer: newcomer, order: order('E-2', 120) }),
        event('order_paid', '2026-03-20T10:05:00+08:00', { customer: newcomer, order: { externalId: 'E-2' } }),
        event('order_created', '2026-03-21T10:00:00+08:00', { customer: newcomer, order: order('E-3', 35) }),
      ],
    });
    // An imported purchase refunded, and one more paid a day later by the newcomer.
    const imported = await api.db.pool.query<{ external_id: string; customer: string }>(
      `SELECT o.external_id, c.external_id AS customer FROM orders o JOIN customers c ON c.id = o.customer_id
       WHERE o.status = 'completed' AND o.paid_at >= '2026-02-01' ORDER BY o.paid_at LIMIT 1`,
    );
    const refunded = imported.rows[0];
    await post({
      events: [
        event('refund_completed', '2026-03-31T09:00:00+08:00', {
          customer: { externalId: refunded.customer },
          order: { externalId: refunded.external_id },
        }),
        event('order_paid', '2026-03-22T10:00:00+08:00', { customer: newcomer, order: { externalId: 'E-3' } }),
      ],
    });
    const dirty = await refreshOverviewRollups(api.db.pool, 'Asia/Shanghai');
    expect(dirty).toBe(3);
    const [after] = await expectSameAsFromOrders();
    expect(after.trend).not.toEqual(before.trend);
    expect(after.provinces.map((p) => p.province)).toContain('江苏');
  });

  it('equals it after a buyer moves, an item changes category and an order goes', async () => {
    await csv('/api/imports/customers', 'external_id,nickname,province,city\nc-1,buyer 1,四川,成都\n');
    // Only the item changes (its order does not): the items' trigger alone marks the buyer.
    const item = await api.db.pool.query(
      `UPDATE order_items SET category = 'uncategorised'
       WHERE (order_id, line_no) = (SELECT i.order_id, i.line_no FROM order_items i JOIN purchases p ON p.id = i.order_id
                                    WHERE p.paid_at >= '2026-02-01' ORDER BY p.paid_at, i.line_no LIMIT 1)`,
    );
    expect(item.rowCount).toBe(1);
    expect(await api.db.pool.query('SELECT count(*)::int AS n FROM overview_dirty')).toMatchObject({
      rows: [{ n: 2 }],
    });
    // A re-imported order now under another buyer: the import marks the new one, the orders
    // trigger the one it left (migration 097).
    const moved = await api.db.pool.query<{ external_id: string; amount: string; at: Date; owner: string }>(
      `SELECT o.external_id, o.amount, o.paid_at AS at, c.external_id AS owner
       FROM purchases p JOIN orders o USING (id) JOIN customers c ON c.id = o.customer_id
       WHERE c.external_id <> 'c-39' ORDER BY o.paid_at DESC, o.id LIMIT 1`,
    );
    const m = moved.rows[0];
    await csv(
      '/api/imports/orders',
      `external_id,customer_external_id,status,amount,created_at,paid_at\n${m.external_id},c-39,completed,${m.amount},${m.at.toISOString()},${m.at.toISOString()}\n`,
    );
    const dirtyNow = await api.db.pool.query<{ external_id: string }>(
      'SELECT c.external_id FROM overview_dirty d JOIN customers c ON c.id = d.customer_id',
    );
    expect(dirtyNow.rows.map((r) => r.external_id)).toEqual(expect.arrayContaining([m.owner, 'c-39']));
    await api.db.pool.query(
      `WITH o AS (SELECT id FROM orders WHERE external_id = 'o-7')
       , i AS (DELETE FROM order_items WHERE order_id IN (SELECT id FROM o))
       DELETE FROM orders WHERE id IN (SELECT id FROM o)`,
    );
    const [after] = await expectSameAsFromOrders();
    expect(after.provinces.map((p) => p.province)).toContain('四川');
  });

  it('rebuilds in another time zone, and equals it there', async () => {
    await expectSameAsFromOrders('UTC');
    const state = await api.db.pool.query('SELECT time_zone FROM overview_rollup_state');
    expect(state.rows).toEqual([{ time_zone: 'UTC' }]);
    await rebuildOverviewRollups(api.db.pool, 'Asia/Shanghai');
    expect(await refreshOverviewRollups(api.db.pool, 'Asia/Shanghai')).toBe(0);
    await expectSameAsFromOrders();
  });
});
