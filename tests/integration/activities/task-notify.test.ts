// The notification of a new staff task, per its kind: an SMS to the shop owner's number through the
// messages ledger, or a webhook POST through webhook_deliveries; once per task across retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { CohortRef } from '../../../activities/src/contract.ts';
import type { SmsProvider } from '../../../activities/src/side-effects/index.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertOrder, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import type { Peer } from './helpers.ts';
import { json, never, nodeCall, shanghai, startPeer } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
const OWNER = '+8613800138000';

describe(`staff task notifications (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;
  const shard = (n: number): CohortRef => ({ runId, shard: n, cohort: 'root' });
  const acts = (provider: SmsProvider = localSinkProvider(db.pool)) =>
    createSideEffectActivities({
      pool: db.pool,
      provider,
      now: never,
      batchSize: 2,
      webhook: { timeoutMs: 300, attempts: 3, backoffMs: 10 },
    });
  const peers: Peer[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    const ids = Array.from({ length: 8 }, (_, i) => i + 1);
    await insertCustomers(db.pool, ids);
    // Shard 0: customers 1-3 (3 held out); shard 1: 4-6; shard 2: 7-8.
    runId = await insertRun(
      db.pool,
      ids.map((customerId) => ({
        customerId,
        shard: customerId <= 3 ? 0 : customerId <= 6 ? 1 : 2,
        holdout: customerId === 3,
      })),
    );
    await db.pool.query(`UPDATE shop_settings SET owner_phone = $1`, [OWNER]);
    await db.pool.query(
      `INSERT INTO task_notifications (kind, channel) VALUES ('large_order_call', 'sms'), ('follow_up', 'none')`,
    );
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await db?.close();
  });

  const sinkRows = async () =>
    (
      await db.pool.query<{ message_key: string; recipient: string; body: string }>(
        `SELECT message_key, recipient, body FROM sms_sink WHERE message_key LIKE 'task:%' ORDER BY message_key`,
      )
    ).rows;

  it('sms: one text to the owner per new task, none to the customer, none again on a retry; the order is kept', async () => {
    const order = await insertOrder(db.pool, {
      customerId: 1,
      at: new Date(NOON),
      status: 'created',
      items: [{ category: 'food', amount: 2500 }],
    });
    const call = {
      ...nodeCall(
        'action.task',
        { assignee: 'customer_service', title: '大额订单未付款', kind: 'large_order_call' },
        { ref: shard(0), nodeId: 'call', now: NOON },
      ),
      triggerOrderId: order,
    };
    expect(await acts().createStaffTask(call)).toMatchObject({ done: 2, alreadyDone: 0 });
    expect(await acts().createStaffTask(call)).toMatchObject({ done: 0, alreadyDone: 2 });
    const tasks = await db.pool.query<{ id: string; customer_id: string; kind: string; order_id: string | null }>(
      `SELECT id, customer_id, kind, order_id FROM staff_tasks WHERE node_id = 'call' ORDER BY customer_id`,
    );
    // The trigger order is customer 1's: customer 2's task concerns no order of theirs.
    expect(tasks.rows.map((t) => [Number(t.customer_id), t.kind, t.order_id && Number(t.order_id)])).toEqual([
      [1, 'large_order_call', order],
      [2, 'large_order_call', null],
    ]);
    const sent = await sinkRows();
    expect(sent.map((s) => s.message_key)).toEqual(tasks.rows.map((t) => `task:${t.id}`).sort());
    expect(sent.every((s) => s.recipient === OWNER)).toBe(true);
    expect(sent[0].body).toBe('【回头小店】新任务【大额订单致电】大额订单未付款，请于11/13 12:00前处理');
    const ledger = await db.pool.query<{ status: string; customer_id: string | null; counts_toward_cap: boolean }>(
      `SELECT status, customer_id, counts_toward_cap FROM messages WHERE message_key LIKE 'task:%' ORDER BY message_key`,
    );
    expect(ledger.rows).toEqual([
      { status: 'sent', customer_id: null, counts_toward_cap: false },
      { status: 'sent', customer_id: null, counts_toward_cap: false },
    ]);
  });

  it('sms: an outcome lost in a timeout is retried through the idempotent provider, still one text per task', async () => {
    const sink = localSinkProvider(db.pool);
    let calls = 0;
    // Delivers, then answers as if the connection dropped: the activity fails and is retried.
    const flaky: SmsProvider = {
      ...sink,
      async send(batch) {
        calls += 1;
        const outcomes = await sink.send(batch);
        return calls === 1
          ? batch.map(() => ({ outcome: 'unknown', code: 'timeout', message: 'timed out' }))
          : outcomes;
      },
    };
    const call = nodeCall(
      'action.task',
      { assignee: 'customer_service', title: '回访', kind: 'large_order_call' },
      { ref: shard(1), nodeId: 'call-2', now: NOON },
    );
    const before = (await sinkRows()).length;
    await expect(acts(flaky).createStaffTask(call)).rejects.toThrow(/outcome unknown/);
    await acts(flaky).createStaffTask(call);
    await acts(flaky).createStaffTask(call);
    expect((await sinkRows()).length - before).toBe(3);
    const ledger = await db.pool.query<{ status: string; n: number }>(
      `SELECT m.status, count(*)::int AS n FROM messages m JOIN staff_tasks t ON m.message_key = 'task:' || t.id
       WHERE t.node_id = 'call-2' GROUP BY m.status`,
    );
    expect(ledger.rows).toEqual([{ status: 'sent', n: 3 }]);
  });

  it('kinds set to none, or without a setting, notify nobody; no owner number skips the text (recorded once)', async () => {
    const before = (await sinkRows()).length;
    for (const [nodeId, kind] of [
      ['follow', 'follow_up'],
      ['other', undefined],
    ] as const)
      await acts().createStaffTask(
        nodeCall(
          'action.task',
          { assignee: 'shop_owner', title: '看看', ...(kind ? { kind } : {}) },
          { ref: shard(2), nodeId, now: NOON },
        ),
      );
    expect((await sinkRows()).length).toBe(before);
    const kinds = await db.pool.query<{ kind: string }>(
      `SELECT DISTINCT kind FROM staff_tasks WHERE node_id IN ('follow', 'other') ORDER BY kind`,
    );
    expect(kinds.rows.map((r) => r.kind)).toEqual(['follow_up', 'other']);

    await db.pool.query(`UPDATE shop_settings SET owner_phone = NULL`);
    try {
      const call = nodeCall(
        'action.task',
        { assignee: 'shop_owner', title: '没号码', kind: 'large_order_call' },
        { ref: shard(2), nodeId: 'no-owner', now: NOON },
      );
      await acts().createStaffTask(call);
      await acts().createStaffTask(call);
      const rows = await db.pool.query<{ status: string; skip_reason: string; n: number }>(
        `SELECT m.status, m.skip_reason, count(*)::int AS n FROM messages m JOIN staff_tasks t ON m.message_key = 'task:' || t.id
         WHERE t.node_id = 'no-owner' GROUP BY 1, 2`,
      );
      expect(rows.rows).toEqual([{ status: 'skipped', skip_reason: 'no_phone', n: 2 }]);
      expect((await sinkRows()).length).toBe(before);
    } finally {
      await db.pool.query(`UPDATE shop_settings SET owner_phone = $1`, [OWNER]);
    }
  });

  it('webhook: a receiver down for a while gets each task once it is up, exactly once per key; no phone in the payload', async () => {
    const peer = await startPeer((_body, index, res) => json(res, index < 3 ? 503 : 200, {}));
    peers.push(peer);
    // The API takes https only; the test's receiver is plain http on 127.0.0.1.
    await db.pool.query(
      `INSERT INTO task_notifications (kind, channel, webhook_url) VALUES ('review_alert', 'webhook', $1)`,
      [peer.url],
    );
    const call = nodeCall(
      'action.task',
      { assignee: 'shop_owner', title: '收到中评', kind: 'review_alert' },
      { ref: shard(1), nodeId: 'alert', now: NOON, journeyId: '00000000-0000-4000-8000-00000000000a' },
    );
    await expect(acts().createStaffTask(call)).rejects.toThrow(/webhook failed after retries/);
    await acts().createStaffTask(call);
    await acts().createStaffTask(call);
    const tasks = await db.pool.query<{ id: string; customer_id: string }>(
      `SELECT id, customer_id FROM staff_tasks WHERE node_id = 'alert' ORDER BY id`,
    );
    expect(tasks.rows).toHaveLength(3);
    // Three refused attempts of the first task, then one accepted POST per task.
    expect(peer.requests).toHaveLength(6);
    const accepted = peer.requests.slice(3);
    expect(accepted.map((r) => r.headers['idempotency-key']).sort()).toEqual(
      tasks.rows.map((t) => `task:${t.id}`).sort(),
    );
    expect(peer.requests[0].headers['idempotency-key']).toBe(peer.requests[3].headers['idempotency-key']);
    expect(accepted[0].body).toEqual({
      event: 'task.created',
      task: {
        id: Number(tasks.rows[0].id),
        kind: 'review_alert',
        title: '收到中评',
        dueAt: new Date(NOON + 86_400_000).toISOString(),
        journeyId: '00000000-0000-4000-8000-00000000000a',
        runId,
        nodeId: 'alert',
        customerId: Number(tasks.rows[0].customer_id),
        orderId: null,
      },
    });
    const deliveries = await db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE node_id = 'alert' GROUP BY status`,
    );
    expect(deliveries.rows).toEqual([{ status: 'done', n: 3 }]);
  });
});
