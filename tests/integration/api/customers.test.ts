// The customers lookup and a customer's page through the API: search by id, external id, nickname
// and phone digits (paged), phones masked unless the role may see them, 404s that never repeat the
// path, and the page's orders, messages (sent and skipped with the real send path's reasons) and journeys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertOrder, insertRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { DAY, never, nodeCall, shanghai } from '../activities/helpers.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const MORNING = shanghai('2026-11-12T10:00:00');
const NOW = new Date(MORNING + 2 * 3_600_000);
const PAGED = Array.from({ length: 15 }, (_, i) => 100 + i);

describe(`the customers API (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let runId: string;
  const pool = () => api.db.pool;

  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    await insertCustomers(pool(), [1, 2, 3, ...PAGED]);
    await pool().query(`UPDATE customers SET nickname = '王小明', external_id = 'tb-wang-01' WHERE id = 1`);
    await pool().query(`UPDATE customers SET nickname = '李小红' WHERE id = 2`);
    await pool().query(`UPDATE customers SET nickname = '张三' WHERE id = 3`);
    await pool().query(`UPDATE customers SET nickname = '分页客' || id WHERE id >= 100`);
    // Customer 1 bought twice (10 and 3 days ago) and has an unpaid order today.
    await insertOrder(pool(), {
      customerId: 1,
      at: new Date(MORNING - 10 * DAY),
      items: [{ category: 'food', amount: 59 }],
    });
    await insertOrder(pool(), {
      customerId: 1,
      at: new Date(MORNING - 3 * DAY),
      items: [
        { category: 'kids_clothing', amount: 129 },
        { category: 'food', amount: 20 },
      ],
    });
    await insertOrder(pool(), {
      customerId: 1,
      at: new Date(MORNING),
      status: 'created',
      items: [{ category: 'food', amount: 9 }],
    });
    runId = await insertRun(
      pool(),
      [1, 2, 3].map((customerId) => ({ customerId, shard: 0, holdout: false })),
    );
    // 2 replied TD; 3 is suppressed after a complaint: the real send path skips them with those reasons.
    await pool().query(`INSERT INTO opt_outs (recipient, source) SELECT phone, 'reply' FROM customers WHERE id = 2`);
    await pool().query(`INSERT INTO suppressions (customer_id, reason) VALUES (3, 'complaint')`);
    const acts = createSideEffectActivities({ pool: pool(), provider: localSinkProvider(pool()), now: never });
    await acts.sendSms(
      nodeCall(
        'action.sms',
        { smsClass: 'marketing', template: '{nickname}，双11回购券已到账' },
        { ref: { runId, shard: 0, cohort: 'root' }, nodeId: 'thanks', now: MORNING },
      ),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  const search = async (q: string, role: 'admin' | 'marketer' | 'ops' = 'marketer', extra = '') =>
    api.call('GET', `/api/customers?q=${encodeURIComponent(q)}${extra}`, { role });
  const ids = (body: { customers: { id: number }[] }) => body.customers.map((c) => c.id);

  it('finds a customer by id, external id, part of the nickname and phone digits', async () => {
    expect(ids((await search('1')).body)[0]).toBe(1);
    expect(ids((await search('tb-wang-01')).body)).toEqual([1]);
    expect(ids((await search('小明')).body)).toEqual([1]);
    expect(ids((await search('小')).body).sort()).toEqual([1, 2]);
    // insertCustomers gives customer 3 the number +8619000000003.
    expect(ids((await search('0000003', 'admin')).body)).toEqual([3]);
    const byExternal = (await search('tb-wang-01')).body.customers[0];
    expect(byExternal).toMatchObject({ id: 1, externalId: 'tb-wang-01', nickname: '王小明', orders: 3 });
    expect((await search('nobody-has-this')).body).toEqual({ customers: [], next: null });
  });

  it('masks phones unless the role may see them, and only customer readers may look', async () => {
    expect((await search('张三', 'marketer')).body.customers[0].phone).toBe('+86****0003');
    expect((await search('张三', 'ops')).body.customers[0].phone).toBe('+8619000000003');
    expect((await api.call('GET', '/api/customers/3', { role: 'marketer' })).body.phone).toBe('+86****0003');
    expect((await api.call('GET', '/api/customers/3', { role: 'admin' })).body.phone).toBe('+8619000000003');
    for (const role of ['viewer', 'engineer'] as const) {
      expect((await api.call('GET', '/api/customers?q=张三', { role })).status).toBe(403);
      expect((await api.call('GET', '/api/customers/3/messages', { role })).status).toBe(403);
    }
  });

  it('pages through the matches, each once', async () => {
    const first = await search('分页客', 'marketer', '&limit=10');
    expect(first.body.customers).toHaveLength(10);
    expect(first.body.next).toBe(10);
    const second = await search('分页客', 'marketer', `&limit=10&offset=${first.body.next}`);
    expect(second.body.next).toBeNull();
    expect([...ids(first.body), ...ids(second.body)].sort((a, b) => a - b)).toEqual(PAGED);
    // The simulator's picker asks without a limit: 10 at most.
    expect((await search('分页客')).body.customers).toHaveLength(10);
    const bad = await search('分页客', 'marketer', '&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['query', 'limit']);
  });

  it('answers 404 at params.id for an unknown or malformed id, never repeating the path', async () => {
    for (const path of [
      '/api/customers/999999',
      '/api/customers/abc',
      '/api/customers/999999/orders',
      '/api/customers/0/journeys',
    ]) {
      const res = await api.call('GET', path, { role: 'ops' });
      expect(res.status, path).toBe(404);
      expect(res.body.error.path).toEqual(['params', 'id']);
    }
    const phoneLike = await api.call('GET', '/api/customers/13812345678/messages', { role: 'ops' });
    expect(phoneLike.status).toBe(404);
    expect(phoneLike.text).not.toContain('13812345678');
  });

  it("shows a customer's profile: purchases, lifecycle, opt-out and suppressions", async () => {
    const one = (await api.call('GET', '/api/customers/1', { role: 'marketer' })).body;
    expect(one).toMatchObject({
      id: 1,
      externalId: 'tb-wang-01',
      nickname: '王小明',
      rfm: { purchases: 2, totalSpend: 208, daysSinceLastPurchase: 3, lifecycle: 'B' },
      optOut: { optedOut: false, suppressions: [] },
      marketing: { timesMarketed: 1 },
    });
    const two = (await api.call('GET', '/api/customers/2', { role: 'marketer' })).body;
    expect(two.rfm).toEqual({
      purchases: 0,
      totalSpend: 0,
      lastPurchaseAt: null,
      daysSinceLastPurchase: null,
      lifecycle: 'D',
    });
    expect(two.optOut).toMatchObject({ optedOut: true, source: 'reply' });
    const three = (await api.call('GET', '/api/customers/3', { role: 'marketer' })).body;
    expect(three.optOut).toMatchObject({ optedOut: false, suppressions: [{ reason: 'complaint', until: null }] });
  });

  it("lists a customer's orders newest first with their items, a page at a time", async () => {
    const all = (await api.call('GET', '/api/customers/1/orders', { role: 'ops' })).body;
    expect(all.next).toBeNull();
    expect(all.orders.map((o: { status: string; amount: number }) => [o.status, o.amount])).toEqual([
      ['created', 9],
      ['completed', 149],
      ['completed', 59],
    ]);
    expect(all.orders[1].items.map((i: { category: string }) => i.category)).toEqual(['kids_clothing', 'food']);
    const page = (await api.call('GET', '/api/customers/1/orders?limit=2&offset=1', { role: 'ops' })).body;
    expect(page.orders.map((o: { id: number }) => o.id)).toEqual(all.orders.slice(1).map((o: { id: number }) => o.id));
    expect(page.next).toBeNull();
    expect((await api.call('GET', '/api/customers/2/orders', { role: 'ops' })).body).toEqual({
      orders: [],
      next: null,
    });
  });

  it('lists messages sent and skipped, with the reason the send path gave', async () => {
    const message = async (id: number) =>
      (await api.call('GET', `/api/customers/${id}/messages`, { role: 'marketer' })).body.messages;
    const [sent] = await message(1);
    expect(sent).toMatchObject({
      runId,
      journeyName: 'fixture',
      nodeId: 'thanks',
      smsClass: 'marketing',
      skipReason: null,
    });
    expect(['sent', 'delivered']).toContain(sent.status);
    expect(sent.body).toContain('王小明');
    expect(await message(2)).toMatchObject([{ status: 'skipped', skipReason: 'opted_out', nodeId: 'thanks' }]);
    expect(await message(3)).toMatchObject([{ status: 'skipped', skipReason: 'suppressed' }]);
  });

  it('lists the runs the customer is or was in', async () => {
    const { body } = await api.call('GET', '/api/customers/1/journeys', { role: 'ops' });
    expect(body).toMatchObject({
      journeys: [{ runId, journeyName: 'fixture', runKind: 'audience', holdout: false, exitedAt: null }],
      next: null,
    });
    expect((await api.call('GET', '/api/customers/100/journeys', { role: 'ops' })).body).toEqual({
      journeys: [],
      next: null,
    });
  });
});
