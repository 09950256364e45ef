// Events, SMS receipts and opt-outs in; segment preview and run reports out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers, insertEmptyRun, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi } from './helpers.ts';

const at = '2026-11-11T10:00:00+08:00';
const count = async (api: TestApi, sql: string) =>
  (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0].n;

describe(`data in and reports (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let orderId: number;
  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3, 4]);
    orderId = await insertOrder(api.db.pool, {
      customerId: 1,
      at: new Date(at),
      status: 'created',
      items: [{ category: 'food', amount: 88 }],
    });
  });
  afterAll(async () => api?.close());

  it('stores single and batch events once per idempotency key', async () => {
    const one = { idempotencyKey: 'tb:1:created', type: 'order_created', customerId: 1, orderId, occurredAt: at };
    const first = await api.call('POST', '/api/events', { role: 'engineer', body: one });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const batch = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: {
        events: [
          one,
          { ...one, idempotencyKey: 'tb:1:paid', type: 'order_paid' },
          { ...one, idempotencyKey: 'tb:1:paid', type: 'order_paid' },
        ],
      },
    });
    expect(batch.body).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await count(api, 'events')).toBe(2);
    expect(await count(api, 'events WHERE processed_at IS NULL')).toBe(2);
  });

  it('rejects unknown types, customers and orders with the path, storing nothing of the batch', async () => {
    const ok = { idempotencyKey: 'x:1', type: 'order_paid', customerId: 2, occurredAt: at };
    const before = await count(api, 'events');
    const badType = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: { events: [ok, { ...ok, idempotencyKey: 'x:2', type: 'order_teleported' }] },
    });
    expect(badType.status).toBe(400);
    expect(badType.body.error.path).toEqual(['body', 'events', 1, 'type']);
    const single = await api.call('POST', '/api/events', { role: 'engineer', body: { ...ok, type: 'nope' } });
    expect(single.body.error.path).toEqual(['body', 'type']);
    const badCustomer = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: { events: [ok, { ...ok, idempotencyKey: 'x:3', customerId: 999 }] },
    });
    expect(badCustomer.status).toBe(422);
    expect(badCustomer.body.error).toMatchObject({
      code: 'unknown_customer',
      path: ['body', 'events', 1, 'customerId'],
    });
    const wrongOwner = await api.call('POST', '/api/events', { role: 'engineer', body: { ...ok, orderId } });
    expect(wrongOwner.body.error).toMatchObject({ code: 'order_customer_mismatch', path: ['body', 'orderId'] });
    const injected = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: { ...ok, idempotencyKey: `'); DELETE FROM events; --` },
    });
    expect(injected.status).toBe(202);
    expect(await count(api, 'events')).toBe(before + 1);
  });

  it('applies SMS delivery receipts to the ledger', async () => {
    await api.db.pool
      .query(`INSERT INTO messages (message_key, customer_id, class, recipient, body, status, provider, provider_message_id, segments)
                             VALUES ('m:1', 1, 'marketing', '+8619000000001', 'hi', 'sent', 'sink', 'p-1', 1)`);
    const res = await api.call('POST', '/api/sms/receipts', {
      role: 'engineer',
      body: { receipts: [{ provider: 'sink', providerMessageId: 'p-1', status: 'delivered', at }] },
    });
    expect(res.body).toEqual({ received: 1, updated: 1 });
    expect((await api.db.pool.query(`SELECT status FROM messages WHERE message_key = 'm:1'`)).rows[0].status).toBe(
      'delivered',
    );
    const missing = await api.call('POST', '/api/sms/receipts', {
      role: 'engineer',
      body: { receipts: [{ provider: 'sink', status: 'delivered', at }] },
    });
    expect(missing.body.error.path).toEqual(['body', 'receipts', 0, 'providerMessageId']);
  });

  it('an SMS reply of T or R opts the number out; other replies do not', async () => {
    expect(
      (
        await api.call('POST', '/api/opt-outs', {
          role: 'engineer',
          body: { phone: '+8619000000002', text: '好的谢谢' },
        })
      ).body.optedOut,
    ).toBe(false);
    const t = await api.call('POST', '/api/opt-outs', {
      role: 'engineer',
      body: { phone: '19000000002', text: ' t ' },
    });
    expect(t.body).toEqual({ optedOut: true, alreadyOptedOut: false, customerId: 2 });
    expect(
      (await api.call('POST', '/api/opt-outs', { role: 'engineer', body: { phone: '+8619000000002', text: 'R' } })).body
        .alreadyOptedOut,
    ).toBe(true);
    expect((await api.db.pool.query('SELECT recipient, customer_id FROM opt_outs')).rows).toEqual([
      { recipient: '+8619000000002', customer_id: '2' },
    ]);
    expect(
      (await api.call('POST', '/api/opt-outs', { role: 'engineer', body: { phone: `1'; DROP TABLE opt_outs; --` } }))
        .status,
    ).toBe(400);
    expect(await auditActions(api, '2')).toEqual(['optout.create', 'optout.create']);
  });

  it('previews a segment with masked phones; bad segments are 400s with the path, injection strings are values', async () => {
    const all = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: { where: { kind: 'all', of: [] }, exclude: [{ kind: 'opted_out' }] } },
    });
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(3);
    expect(all.body.sample.map((s: { phone: string }) => s.phone)).toEqual(expect.arrayContaining(['+86****0001']));
    const bad = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: { where: { kind: 'number', field: 'drop table', compare: {} } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path.slice(0, 3)).toEqual(['body', 'segment', 'where']);
    const evil = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: {
        segment: {
          where: {
            kind: 'text',
            field: 'nickname',
            compare: { op: 'contains', value: `' OR 1=1; DROP TABLE customers; --` },
          },
        },
      },
    });
    expect(evil.body).toEqual({ count: 0, sample: [] });
    expect(await count(api, 'customers')).toBe(4);
    expect(
      (
        await api.call('POST', '/api/segments/preview', {
          role: 'viewer',
          body: { segment: { where: { kind: 'all', of: [] } } },
        })
      ).status,
    ).toBe(403);
  });

  it('reports a run per checkpoint and group, summing shards and recomputing the lift; CSV export', async () => {
    const runId = await insertEmptyRun(api.db.pool);
    const arm = (targets: number, buyers: number, sales: number) =>
      JSON.stringify({
        targets,
        sent: targets,
        delivered: targets,
        billedSegments: targets,
        buyers,
        orders: buyers,
        sales,
        cost: targets * 0.05,
      });
    for (const [shard, t, h] of [
      [0, arm(1000, 100, 10000), arm(100, 2, 200)],
      [1, arm(1000, 80, 8000), arm(100, 2, 200)],
    ] as const) {
      await api.db.pool.query(
        `INSERT INTO evaluations (evaluation_key, run_id, checkpoint, node_id, cycle, shard, cohort, window_start, window_end, treatment, holdout)
         VALUES ($1, $2, 'day2', 'eval_day2', 0, $3, 'root', '2026-11-12T00:00:00Z', '2026-11-14T00:00:00Z', $4, $5)`,
        [`${runId}:day2:${shard}`, runId, shard, t, h],
      );
    }
    const report = await api.call('GET', `/api/runs/${runId}/report`, { role: 'viewer' });
    expect(report.status).toBe(200);
    expect(report.body.rows).toHaveLength(1);
    const row = report.body.rows[0];
    expect(row).toMatchObject({
      checkpoint: 'day2',
      group: 'root',
      shards: 2,
      treatment: { targets: 2000, buyers: 180 },
      holdout: { targets: 200, buyers: 4 },
    });
    expect(row.lift.lift).toBeCloseTo(0.09 - 0.02, 10);
    expect(row.lift.significant).toBe(true);
    const csv = await api.call('GET', `/api/runs/${runId}/report.csv?lang=en`, { role: 'viewer' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    // A UTF-8 byte order mark first, so Excel on a Chinese Windows does not read it as GBK.
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 4)).toEqual(['checkpoint', 'node_id', 'cycle', 'group']);
    expect(lines[1].startsWith('day2,eval_day2,0,root,')).toBe(true);
    expect((await api.call('GET', `/api/runs/${encodeURIComponent("1' OR '1'='1")}/report`)).status).toBe(404);
  });
});
