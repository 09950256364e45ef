// Live orders (engine/src/events/store-group.ts, order-effects.ts): events name buyers and orders by
// the platform's ids and create them; order events move the order forward, never back, whatever
// order they arrive in; review_posted stores its review; a purchase arriving by event counts as a
// response to the marketing SMS before it. Nothing of a rejected request is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIn } from '@huitou/schemas/http';
import type { Principal } from '../../../engine/src/api/auth.ts';
import { createEventIntake } from '../../../engine/src/events/intake.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const t = (minutes: number) => new Date(Date.parse('2026-11-11T00:05:00+08:00') + minutes * 60_000).toISOString();
let keys = 0;
const event = (type: string, minutes: number, extra: Record<string, unknown>) => ({
  idempotencyKey: `k${(keys += 1)}`,
  type,
  occurredAt: t(minutes),
  ...extra,
});

describe(`live orders from events (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3]);
    // The fixture picks its ids; customers the events create take the next ones.
    await api.db.pool.query("SELECT setval(pg_get_serial_sequence('customers', 'id'), 3)");
    await api.db.pool.query(
      "INSERT INTO products (sku, name, category, list_price, role) VALUES ('MILK-3', '婴儿奶粉3罐装', 'food', 199, 'traffic')",
    );
  });
  afterAll(async () => api?.close());

  const post = async (body: unknown, status = 202) => {
    const res = await api.call('POST', '/api/events', { role: 'engineer', body });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };
  const orderRow = async (externalId: string) =>
    (
      await api.db.pool.query<Record<string, unknown>>(
        `SELECT o.status, o.amount::float8 AS amount, o.item_count, o.carrier, o.tracking_no, c.external_id AS buyer,
                o.created_at, o.paid_at, o.shipped_at, o.signed_at, o.completed_at, o.closed_at, o.refunded_at
         FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.external_id = $1`,
        [externalId],
      )
    ).rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
    )[0];
  const buyer = { externalId: 'tb-buyer-1', phone: '13800138000', province: '浙江', city: '杭州' };

  it('keeps a masked phone from a feed unreachable (never in phone) until a mobile arrives', async () => {
    const masked = { externalId: 'tb-masked-1', phone: '138****5678' };
    const order = { externalId: 'TB-M1', amount: 59 };
    await post(event('order_created', 0, { customer: masked, order }));
    const phones = async () =>
      (
        await api.db.pool.query(
          "SELECT phone, unreachable_phone, phone_kind FROM customers WHERE external_id = 'tb-masked-1'",
        )
      ).rows;
    expect(await phones()).toEqual([{ phone: null, unreachable_phone: '138****5678', phone_kind: 'masked' }]);
    await post(event('order_paid', 1, { customer: { ...masked, phone: '13800135678' }, order }));
    expect(await phones()).toEqual([
      { phone: '+8613800135678', unreachable_phone: '138****5678', phone_kind: 'mobile' },
    ]);
    // A mask later does not hide the mobile on record.
    await post(event('order_shipped', 2, { customer: masked, order }));
    expect((await phones())[0]).toMatchObject({ phone: '+8613800135678', phone_kind: 'mobile' });
  });

  it('creates an unknown buyer and order from the feed and moves the order created → paid → shipped → signed', async () => {
    const order = {
      externalId: 'TB1001',
      amount: 199,
      items: [{ sku: 'MILK-3', title: '【官方】婴儿奶粉3罐装 新客专享', quantity: 1, amount: 199 }],
    };
    const created = await post(event('order_created', 0, { customer: buyer, order }));
    const customer = await api.db.pool.query(
      "SELECT id, nickname, phone, phone_kind, province, city FROM customers WHERE external_id = 'tb-buyer-1'",
    );
    expect(customer.rows).toEqual([
      {
        id: expect.any(String),
        nickname: 'tb-buyer-1',
        phone: '+8613800138000',
        phone_kind: 'mobile',
        province: '浙江',
        city: '杭州',
      },
    ]);
    const stored = await api.db.pool.query('SELECT customer_id, order_id, rating FROM events WHERE id = $1', [
      created.body.events[0].id,
    ]);
    expect(stored.rows[0].customer_id).toBe(customer.rows[0].id);
    expect(stored.rows[0].rating).toBeNull();
    expect(await orderRow('TB1001')).toMatchObject({
      status: 'created',
      amount: 199,
      item_count: 1,
      created_at: t(0),
      paid_at: null,
      buyer: 'tb-buyer-1',
    });
    const items = await api.db.pool.query(
      `SELECT i.line_no, i.category, i.title, i.quantity, i.amount::float8 AS amount, p.sku
       FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id
       WHERE o.external_id = 'TB1001' ORDER BY i.line_no`,
    );
    expect(items.rows).toEqual([
      { line_no: 1, category: 'food', title: order.items[0].title, quantity: 1, amount: 199, sku: 'MILK-3' },
    ]);

    const ref = { customer: { externalId: 'tb-buyer-1' }, order: { externalId: 'TB1001' } };
    await post(event('order_paid', 3, ref));
    expect(await orderRow('TB1001')).toMatchObject({ status: 'paid', paid_at: t(3) });
    await post(
      event('order_shipped', 600, {
        ...ref,
        order: { externalId: 'TB1001', carrier: '顺丰速运', trackingNo: 'SF1402871939' },
      }),
    );
    expect(await orderRow('TB1001')).toMatchObject({
      status: 'shipped',
      shipped_at: t(600),
      carrier: '顺丰速运',
      tracking_no: 'SF1402871939',
    });
    // A late order_paid from a second feed, with an earlier time: still shipped, paid_at the earliest.
    await post(event('order_paid', 2, ref));
    expect(await orderRow('TB1001')).toMatchObject({ status: 'shipped', paid_at: t(2) });
    await post(event('order_signed', 3000, ref));
    expect(await orderRow('TB1001')).toMatchObject({ status: 'shipped', signed_at: t(3000) });
    // The platform's own status says the buyer confirmed.
    await post(event('order_arrived', 3100, { ...ref, order: { externalId: 'TB1001', status: 'completed' } }));
    const done = await orderRow('TB1001');
    expect(done).toMatchObject({ status: 'completed', completed_at: t(3100), item_count: 1, amount: 199 });
    // The same events again (same keys): duplicates, nothing moves.
    const again = await post(event('order_created', 0, { customer: buyer, order }));
    expect(again.body.accepted).toBe(1);
    expect(await orderRow('TB1001')).toEqual(done);
  });

  it('ends in the same order whatever order the events arrive in', async () => {
    // Each event carries the order as the platform sends it (whichever comes first creates it).
    const steps = (id: string) => [
      event('order_created', 0, { customerId: 1, order: { externalId: id, amount: 88 } }),
      event('order_paid', 5, { customerId: 1, order: { externalId: id, amount: 88 } }),
      event('order_shipped', 60, {
        customerId: 1,
        order: { externalId: id, amount: 88, carrier: '中通快递', trackingNo: 'ZT7581600' },
      }),
    ];
    await post({ events: steps('TB-fwd') });
    await post({ events: steps('TB-rev').reverse() });
    for (const e of steps('TB-one').reverse()) await post(e);
    const expected = {
      status: 'shipped',
      amount: 88,
      created_at: t(0),
      paid_at: t(5),
      shipped_at: t(60),
      carrier: '中通快递',
      tracking_no: 'ZT7581600',
      buyer: null,
    };
    expect(await orderRow('TB-fwd')).toMatchObject(expected);
    expect(await orderRow('TB-rev')).toMatchObject(expected);
    expect(await orderRow('TB-one')).toMatchObject(expected);
  });

  it('a shipped order is paid at the latest when shipped, until its payment arrives', async () => {
    await post(event('order_shipped', 60, { customerId: 1, order: { externalId: 'TB-ship', amount: 10 } }));
    expect(await orderRow('TB-ship')).toMatchObject({ status: 'shipped', created_at: t(60), paid_at: t(60) });
    await post(event('order_paid', 5, { customerId: 1, order: { externalId: 'TB-ship', createdAt: t(1) } }));
    expect(await orderRow('TB-ship')).toMatchObject({ status: 'shipped', created_at: t(1), paid_at: t(5) });
  });

  it('closed and refunded are final: a late payment or close moves nothing back', async () => {
    const of = (id: string) => ({ customerId: 2, order: { externalId: id, amount: 50 } });
    await post({ events: [event('order_created', 0, of('TB-closed')), event('order_closed', 30, of('TB-closed'))] });
    await post(event('order_created', 0, of('TB-closed')));
    await post(event('order_paid', 10, of('TB-closed')));
    expect(await orderRow('TB-closed')).toMatchObject({ status: 'closed', closed_at: t(30), paid_at: t(10) });
    await post({ events: [event('order_paid', 1, of('TB-refund')), event('refund_completed', 900, of('TB-refund'))] });
    await post(event('order_closed', 1000, of('TB-refund')));
    expect(await orderRow('TB-refund')).toMatchObject({ status: 'refunded', refunded_at: t(900), closed_at: t(1000) });
  });

  it('refuses wrong references with the field, storing nothing of the request', async () => {
    const counts = async () =>
      (
        await api.db.pool.query<{ c: number; o: number; e: number }>(
          'SELECT (SELECT count(*)::int FROM customers) AS c, (SELECT count(*)::int FROM orders) AS o, (SELECT count(*)::int FROM events) AS e',
        )
      ).rows[0];
    const before = await counts();
    const refused = async (body: unknown, status: number, code: string, path: (string | number)[]) => {
      const res = await post(body, status);
      expect(res.body.error).toMatchObject({ code, path });
      expect(JSON.stringify(res.body)).not.toContain('13900139000');
    };
    const ghost = { externalId: 'ghost', phone: '13900139000' };
    await refused(
      {
        events: [
          event('order_created', 0, { customer: ghost, order: { externalId: 'TB-ghost', amount: 1 } }),
          event('order_paid', 1, { customer: ghost, order: { externalId: 'TB-nothing' } }),
        ],
      },
      422,
      'order_incomplete',
      ['body', 'events', 1, 'order', 'amount'],
    );
    await refused(
      event('order_paid', 0, { customerId: 1, customer: { externalId: 'tb-buyer-1' } }),
      422,
      'customer_mismatch',
      ['body', 'customer', 'externalId'],
    );
    await refused(
      event('order_paid', 0, { customer: ghost, order: { externalId: 'TB1001' } }),
      422,
      'order_customer_mismatch',
      ['body', 'order', 'externalId'],
    );
    await refused(
      {
        events: [
          event('order_created', 0, { customerId: 1, order: { externalId: 'TB-twice', amount: 5 } }),
          event('order_created', 0, { customerId: 2, order: { externalId: 'TB-twice', amount: 5 } }),
        ],
      },
      422,
      'order_customer_mismatch',
      ['body', 'events', 1, 'order', 'externalId'],
    );
    const tb1001 = await api.db.pool.query<{ id: string }>("SELECT id FROM orders WHERE external_id = 'TB1001'");
    await refused(
      event('order_paid', 0, { customerId: 2, orderId: Number(tb1001.rows[0].id), order: { externalId: 'TB-rev' } }),
      422,
      'order_mismatch',
      ['body', 'order', 'externalId'],
    );
    await refused(event('order_paid', 0, { order: { externalId: 'TB1001' } }), 400, 'invalid_request', [
      'body',
      'customerId',
    ]);
    await refused(event('order_paid', 0, { customerId: 1, review: { rating: 'neutral' } }), 400, 'invalid_request', [
      'body',
      'review',
    ]);
    await refused(event('order_paid', 0, { customer: { ...ghost, phone: 'call me' } }), 400, 'invalid_request', [
      'body',
      'customer',
      'phone',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('two requests of one turn creating one order for different buyers: the first gets it', async () => {
    const intake = createEventIntake(api.db.pool);
    const who: Principal = { keyId: '1', name: 'shop', role: 'engineer', actor: 'key:race' };
    const create = (customerId: number) =>
      EventIn.parse(event('order_created', 0, { customerId, order: { externalId: 'TB-race', amount: 9 } }));
    const [first, second] = await Promise.all([intake.store([create(1)], who), intake.store([create(2)], who)]);
    expect(first).toMatchObject({ ids: [expect.any(Number)] });
    expect(second).toEqual({ bad: { index: 0, code: 'order_customer_mismatch', path: ['order', 'externalId'] } });
    expect(await orderRow('TB-race')).toMatchObject({ status: 'created', amount: 9 });
  });

  it('review_posted stores the review and upserts it by its id; the event keeps its rating', async () => {
    const ref = { customer: { externalId: 'tb-buyer-1' }, order: { externalId: 'TB1001' } };
    const first = await post(
      event('review_posted', 4000, { ...ref, review: { externalId: 'R-1', rating: 'neutral', content: '物流有点慢' } }),
    );
    const reviews = async () =>
      (
        await api.db.pool.query(
          `SELECT r.external_id, r.rating, r.sentiment, r.content, o.external_id AS order_no, c.external_id AS buyer
           FROM reviews r JOIN customers c ON c.id = r.customer_id LEFT JOIN orders o ON o.id = r.order_id ORDER BY r.id`,
        )
      ).rows;
    expect(await reviews()).toEqual([
      {
        external_id: 'R-1',
        rating: 3,
        sentiment: 'neutral',
        content: '物流有点慢',
        order_no: 'TB1001',
        buyer: 'tb-buyer-1',
      },
    ]);
    // The buyer changes it to 好评 (追评): the same review, now positive; the first event keeps what it said.
    await post(event('review_posted', 5000, { ...ref, review: { externalId: 'R-1', rating: 'positive', score: 4 } }));
    await post(event('review_posted', 5000, { customerId: 2, review: { rating: 'negative' } }));
    expect(await reviews()).toEqual([
      {
        external_id: 'R-1',
        rating: 4,
        sentiment: 'positive',
        content: '物流有点慢',
        order_no: 'TB1001',
        buyer: 'tb-buyer-1',
      },
      { external_id: null, rating: 1, sentiment: 'negative', content: null, order_no: null, buyer: null },
    ]);
    const rating = await api.db.pool.query('SELECT rating FROM events WHERE id = $1', [first.body.events[0].id]);
    expect(rating.rows).toEqual([{ rating: 'neutral' }]);
  });

  it('a payment by event is the response to the marketing SMS sent three days before', async () => {
    const sentAt = new Date(Date.parse(t(0)) - 3 * 24 * 3600_000);
    await api.db.pool.query(
      `INSERT INTO messages (message_key, customer_id, class, status, sent_at) VALUES ('resp/1', 3, 'marketing', 'sent', $1)`,
      [sentAt],
    );
    await api.db.pool.query('UPDATE customers SET times_marketed = 1 WHERE id = 3');
    await post(event('order_created', -10, { customerId: 3, order: { externalId: 'TB-resp', amount: 30 } }));
    const responded = async () =>
      (await api.db.pool.query('SELECT times_responded, last_responded_at FROM customers WHERE id = 3')).rows[0];
    expect(await responded()).toEqual({ times_responded: 0, last_responded_at: null });
    await post(event('order_paid', 0, { customerId: 3, order: { externalId: 'TB-resp' } }));
    expect(await responded()).toEqual({ times_responded: 1, last_responded_at: new Date(t(0)) });
    await post(event('refund_completed', 100, { customerId: 3, order: { externalId: 'TB-resp' } }));
    expect(await responded()).toEqual({ times_responded: 0, last_responded_at: null });
  });
});
