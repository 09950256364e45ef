// POST /api/journeys/:id/test-send and the colleagues' numbers (PUT/GET /api/test-phones): the 催付
// journey's messages rendered for one real customer go through the SMS provider (the local sink
// here) to colleagues, recorded as test sends apart from the message ledger: no report counts them,
// no frequency cap stops them, no earlier send deduplicates them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const COLLEAGUES = ['13800138000', '+86 139 0013 9000'];
const E164 = ['+8613800138000', '+8613900139000'];

/** The 催付 template with its first reminder a capped marketing text (a cap of 0 would stop it for real). */
const capped: JourneyGraphInput = {
  ...journeyTemplates.paymentReminder,
  settings: { ...journeyTemplates.paymentReminder.settings, countsTowardFrequencyCap: true },
  nodes: journeyTemplates.paymentReminder.nodes.map((n) =>
    n.id === 'remind_1' && n.type === 'action.sms' ? { ...n, config: { ...n.config, smsClass: 'marketing' } } : n,
  ),
};

describe(`test sends (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let journeyId: string;
  let customer: { id: number; nickname: string; orderId: string };

  beforeAll(async () => {
    api = await startTestApi();
    await seedDemoShop(api.db.pool, { customers: 200 });
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: capped } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    journeyId = created.body.id;
    // A customer the 催付 reminds: their latest order (the one a one-customer simulation triggers with)
    // is of 20 to 2,000 and they left no negative review.
    const { rows } = await api.db.pool.query<{ id: string; nickname: string; order_id: string }>(
      `SELECT c.id, c.nickname, o.id AS order_id FROM customers c
       JOIN LATERAL (SELECT id, amount FROM orders WHERE customer_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) o ON true
       WHERE o.amount >= 20 AND o.amount < 2000
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.customer_id = c.id AND r.sentiment = 'negative')
       ORDER BY c.id LIMIT 1`,
    );
    customer = { id: Number(rows[0].id), nickname: rows[0].nickname, orderId: rows[0].order_id };
  });
  afterAll(async () => api?.close());

  const count = async (table: string) =>
    (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  const report = async () =>
    (await api.call('GET', `/api/journeys/${journeyId}/report?period=week`, { role: 'marketer' })).body;

  it("keeps colleagues' numbers in the settings: mobiles only, a bad one is a 422 naming its index", async () => {
    const bad = await api.call('PUT', '/api/test-phones', {
      role: 'marketer',
      body: { phones: [COLLEAGUES[0], '010-12345678'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'invalid_phone', path: ['body', 'phones', 1] });

    const put = await api.call('PUT', '/api/test-phones', { role: 'marketer', body: { phones: COLLEAGUES } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ phones: E164 });
    expect((await api.call('GET', '/api/test-phones', { role: 'marketer' })).body).toEqual({ phones: E164 });
    expect((await api.call('GET', '/api/test-phones', { role: 'viewer' })).status).toBe(403);
  });

  it('sends the rendered messages to the colleagues, marked test, outside reports, caps and dedup', async () => {
    // A cap of 0: every capped marketing text of a real run would be skipped.
    await api.db.pool.query('UPDATE shop_settings SET marketing_cap = 0');
    const before = { messages: await count('messages'), report: await report() };
    const send = () =>
      api.call('POST', `/api/journeys/${journeyId}/test-send`, {
        role: 'marketer',
        body: { customerId: customer.id },
      });
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Both reminders (nobody pays in a test send), each to both colleagues, in the journey's order.
    expect(res.body.sent.map((s: { nodeId: string; to: string }) => [s.nodeId, s.to])).toEqual([
      ['remind_1', E164[0]],
      ['remind_1', E164[1]],
      ['remind_2', E164[0]],
      ['remind_2', E164[1]],
    ]);
    expect(res.body.sent.every((s: { status: string }) => s.status === 'sent')).toBe(true);
    const [first, , second] = res.body.sent as { body: string }[];
    expect(first.body).toContain(customer.orderId);
    expect(second.body).toContain(customer.nickname);

    // Through the provider (the local sink), under test keys; recorded as test sends only.
    const sink = await api.db.pool.query<{ recipient: string; body: string }>(
      "SELECT recipient, body FROM sms_sink WHERE message_key LIKE 'test:' || $1 || ':%' ORDER BY message_key",
      [res.body.batchId],
    );
    expect(sink.rows.map((r) => r.recipient).sort()).toEqual([...E164, ...E164].sort());
    const rows = await api.db.pool.query<{ customer_id: string; status: string }>(
      'SELECT customer_id, status FROM test_sends WHERE batch_id = $1 ORDER BY id',
      [res.body.batchId],
    );
    expect(rows.rows.map((r) => [Number(r.customer_id), r.status])).toEqual(
      Array.from({ length: 4 }, () => [customer.id, 'sent']),
    );
    expect(await count('messages')).toBe(before.messages);
    expect(await report()).toEqual(before.report);

    // Again: sent again (no dedup against earlier sends); with an Idempotency-Key, a retry answers the first.
    const again = await send();
    expect(again.body.sent).toHaveLength(4);
    expect(again.body.batchId).not.toBe(res.body.batchId);
    const keyed = (numbers: string[]) =>
      api.call('POST', `/api/journeys/${journeyId}/test-send`, {
        role: 'marketer',
        headers: { 'idempotency-key': 'test-send-1' },
        body: { customerId: customer.id, numbers },
      });
    const once = await keyed(['13700137000']);
    const twice = await keyed(['13700137000']);
    expect(once.status).toBe(200);
    expect(twice.body).toEqual(once.body);
    expect(once.body.sent.map((s: { to: string }) => s.to)).toEqual(['+8613700137000', '+8613700137000']);
    expect(await count('test_sends')).toBe(10);
    await api.db.pool.query('UPDATE shop_settings SET marketing_cap = 6');
  });

  it('refuses bad numbers, unknown customers and other roles with structured errors', async () => {
    const bad = await api.call('POST', `/api/journeys/${journeyId}/test-send`, {
      role: 'marketer',
      body: { customerId: customer.id, numbers: ['13800138000', '12345'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'invalid_phone', path: ['body', 'numbers', 1] });

    const nobody = await api.call('POST', `/api/journeys/${journeyId}/test-send`, {
      role: 'marketer',
      body: { customerId: 99_999_999 },
    });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error).toMatchObject({ code: 'not_found', path: ['body', 'customerId'] });

    await api.call('PUT', '/api/test-phones', { role: 'marketer', body: { phones: [] } });
    const none = await api.call('POST', `/api/journeys/${journeyId}/test-send`, {
      role: 'marketer',
      body: { customerId: customer.id },
    });
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'no_test_phones', path: ['body', 'numbers'] });

    const viewer = await api.call('POST', `/api/journeys/${journeyId}/test-send`, {
      role: 'viewer',
      body: { customerId: customer.id },
    });
    expect(viewer.status).toBe(403);
  });

  it('finds customers by nickname or phone digits, phones masked unless the role may see them', async () => {
    const { rows } = await api.db.pool.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [
      customer.id,
    ]);
    const byName = await api.call('GET', `/api/customers?q=${encodeURIComponent(customer.nickname)}`, {
      role: 'marketer',
    });
    expect(byName.status).toBe(200);
    const found = byName.body.customers.find((c: { id: number }) => c.id === customer.id);
    expect(found).toMatchObject({ nickname: customer.nickname });
    if (rows[0].phone) {
      expect(found.phone).not.toBe(rows[0].phone);
      expect(found.phone).toContain(rows[0].phone.slice(-4));
      const byPhone = await api.call('GET', `/api/customers?q=${rows[0].phone.slice(-8)}`, { role: 'admin' });
      expect(byPhone.body.customers.map((c: { id: number; phone: string }) => [c.id, c.phone])).toContainEqual([
        customer.id,
        rows[0].phone,
      ]);
    }
    const empty = await api.call('GET', '/api/customers?q=', { role: 'marketer' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.path).toEqual(['query', 'q']);
  });
});
