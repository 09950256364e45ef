import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import type { Peer } from './helpers.ts';
import { json, journeyOf, never, nodeCall, setJourneyState, shanghai } from './helpers.ts';
import { startPeer } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');

describe(`coupons, staff tasks, tags and webhooks (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;
  let journeyId: string;
  const shard = (n: number): CohortRef => ({ runId, shard: n, cohort: 'root' });
  const acts = () =>
    createSideEffectActivities({
      pool: db.pool,
      provider: localSinkProvider(db.pool),
      now: never,
      batchSize: 2,
      webhook: { timeoutMs: 300, attempts: 3, backoffMs: 10 },
    });
  const peers: Peer[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    await insertCustomers(db.pool, ids);
    // Shards 0 and 1 with 5 treatment members each; 11 and 12 held out.
    runId = await insertRun(
      db.pool,
      ids.map((customerId) => ({
        customerId,
        shard: customerId <= 5 || customerId === 11 ? 0 : 1,
        holdout: customerId >= 11,
      })),
    );
    journeyId = await journeyOf(db.pool, runId);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await db?.close();
  });

  it('coupons: stock shared by concurrent shards is never exceeded; the rest is skipped out_of_stock; retries change nothing', async () => {
    const coupon = {
      name: '双11回购券',
      amount: 20,
      threshold: 199,
      validity: { amount: 7, unit: 'days' as const },
      stock: 7,
    };
    const call = (n: number) =>
      nodeCall('action.coupon', coupon, { ref: shard(n), nodeId: 'coupon', now: NOON, journeyId });
    const [a, b] = await Promise.all([acts().issueCoupon(call(0)), acts().issueCoupon(call(1))]);
    expect(a.done + b.done).toBe(7);
    expect((a.skipped.out_of_stock ?? 0) + (b.skipped.out_of_stock ?? 0)).toBe(3);
    expect([a.treatment, a.holdout, b.treatment, b.holdout]).toEqual([5, 1, 5, 1]);
    const issued = await db.pool.query<{ n: number; codes: number; value: string; expires_days: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT code)::int AS codes, min(value) AS value, min(extract(epoch FROM expires_at - issued_at) / 86400)::int AS expires_days FROM coupons WHERE node_id = 'coupon'`,
    );
    expect(issued.rows[0]).toEqual({ n: 7, codes: 7, value: '20.00', expires_days: 7 });
    expect((await db.pool.query('SELECT issued, total FROM coupon_stock')).rows).toEqual([{ issued: 7, total: 7 }]);
    const again = await acts().issueCoupon(call(0));
    expect(again.done).toBe(0);
    expect(again.alreadyDone + (again.skipped.out_of_stock ?? 0)).toBe(5);
    expect(again.alreadyDone).toBe(a.done);
    const holdout = await db.pool.query('SELECT 1 FROM coupons WHERE customer_id IN (11, 12)');
    expect(holdout.rowCount).toBe(0);
  });

  it('coupons render into a later SMS of the same run', async () => {
    const sms = nodeCall(
      'action.sms',
      { template: '{coupon.amount}元券满{coupon.threshold}可用，{coupon.expires}到期' },
      { ref: shard(0), nodeId: 'coupon-sms', now: NOON },
    );
    const result = await acts().sendSms(sms);
    const holders = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM coupons WHERE node_id = 'coupon' AND customer_id <= 5`,
    );
    expect(result.done).toBe(holders.rows[0].n);
    expect(result.skipped.missing_variable ?? 0).toBe(5 - holders.rows[0].n);
    const body = await db.pool.query<{ body: string }>(
      `SELECT body FROM messages WHERE node_id = 'coupon-sms' AND status = 'sent' LIMIT 1`,
    );
    expect(body.rows[0].body).toBe('【回头小店】20元券满199可用，11月19日到期回T退订');
  });

  it('staff tasks: one per treatment member, exactly once', async () => {
    const call = nodeCall(
      'action.task',
      { assignee: 'customer_service', title: '致电大额未付款买家' },
      { ref: shard(1), nodeId: 'task', now: NOON },
    );
    expect(await acts().createStaffTask(call)).toEqual({
      treatment: 5,
      holdout: 1,
      done: 5,
      alreadyDone: 0,
      skipped: {},
    });
    expect(await acts().createStaffTask(call)).toEqual({
      treatment: 5,
      holdout: 1,
      done: 0,
      alreadyDone: 5,
      skipped: {},
    });
    const due = await db.pool.query<{ n: number; due: Date }>(
      `SELECT count(*)::int AS n, min(due_at) AS due FROM staff_tasks WHERE node_id = 'task'`,
    );
    expect(due.rows[0].n).toBe(5);
    expect(due.rows[0].due.getTime()).toBe(NOON + 86_400_000);
  });

  it('tags: added and removed once, holdout untouched; paused journeys are not tagged', async () => {
    await db.pool.query(`UPDATE customers SET tags = '{vip}' WHERE id IN (1, 11)`);
    const add = nodeCall(
      'action.tag',
      { op: 'add', tags: ['1111', 'vip'] },
      { ref: shard(0), nodeId: 'tag', now: NOON },
    );
    expect(await acts().tagCustomers(add)).toMatchObject({ done: 5, alreadyDone: 0 });
    expect(await acts().tagCustomers(add)).toMatchObject({ done: 0, alreadyDone: 5 });
    const tags = await db.pool.query<{ id: string; tags: string[] }>(
      'SELECT id, tags FROM customers WHERE id IN (1, 2, 11) ORDER BY id',
    );
    expect(tags.rows.map((r) => r.tags)).toEqual([['1111', 'vip'], ['1111', 'vip'], ['vip']]);
    const remove = nodeCall(
      'action.tag',
      { op: 'remove', tags: ['vip'] },
      { ref: shard(0), nodeId: 'untag', now: NOON },
    );
    await setJourneyState(db.pool, runId, 'paused');
    expect(await acts().tagCustomers(remove)).toMatchObject({ done: 0, skipped: { paused: 5 } });
    await setJourneyState(db.pool, runId, 'running');
    expect(await acts().tagCustomers(remove)).toMatchObject({ done: 5 });
    const after = await db.pool.query<{ tags: string[] }>('SELECT tags FROM customers WHERE id IN (1, 11) ORDER BY id');
    expect(after.rows.map((r) => r.tags)).toEqual([['1111'], ['vip']]);
  });

  it('webhooks: batches with a stable idempotency key, retried with backoff inside the attempt, members done once', async () => {
    const hook = await startPeer((_body, i, res) => (i === 1 ? json(res, 503, {}) : json(res, 200, { ok: true })));
    peers.push(hook);
    const call = nodeCall(
      'action.webhook',
      { url: 'https://crm.example.com/hook', batchSize: 2 },
      { ref: shard(1), nodeId: 'hook', now: NOON },
    );
    // The node only accepts https; the test peer is plain http on loopback.
    call.params = { ...call.params, url: hook.url };
    const result = await acts().callWebhook(call);
    expect(result).toEqual({ treatment: 5, holdout: 1, done: 5, alreadyDone: 0, skipped: {} });
    // Treatment 6-10 in posts of 2; the second post got a 503 and was retried with the same key.
    const posted = hook.requests.map((r) => (r.body as { customers: { id: number }[] }).customers.map((c) => c.id));
    expect(posted).toEqual([[6, 7], [8, 9], [8, 9], [10]]);
    expect(hook.requests[1].headers['idempotency-key']).toBe(hook.requests[2].headers['idempotency-key']);
    expect(await acts().callWebhook(call)).toMatchObject({ done: 0, alreadyDone: 5 });
  });

  it('webhooks: a 4xx is surfaced as non-retryable and marks nobody done', async () => {
    const hook = await startPeer((_b, _i, res) => json(res, 400, { error: 'schema' }));
    peers.push(hook);
    const call = nodeCall(
      'action.webhook',
      { url: 'https://crm.example.com/hook', batchSize: 10 },
      { ref: shard(0), nodeId: 'hook-400', now: NOON },
    );
    call.params = { ...call.params, url: hook.url };
    const error = await acts()
      .callWebhook(call)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect(hook.requests).toHaveLength(1);
    expect((await db.pool.query(`SELECT 1 FROM action_ledger WHERE node_id = 'hook-400'`)).rowCount).toBe(0);
  });
});
