// Coupons buyers can use: the SMS carries the code, an order paid with it (from an import or an
// order event) redeems the buyer's coupon, and the run's figures charge its face value to cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { armFigures } from '../../../activities/src/evaluation/figures.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { journeyOf, never, nodeCall, shanghai } from '../activities/helpers.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');

describe(`coupon codes and redemption (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let ref: CohortRef;
  let codes: Map<number, string>;
  const acts = () =>
    createSideEffectActivities({
      pool: api.db.pool,
      provider: localSinkProvider(api.db.pool),
      now: never,
      batchSize: 10,
    });
  const redeemed = async () =>
    (
      await api.db.pool.query<{ customer_id: string; order: string | null }>(
        `SELECT k.customer_id, o.external_id AS order FROM coupons k LEFT JOIN orders o ON o.id = k.redeemed_order_id ORDER BY k.customer_id`,
      )
    ).rows.map((r) => [Number(r.customer_id), r.order]);

  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3, 4]);
    await api.db.pool.query(`UPDATE customers SET external_id = 'tb-' || id`);
    const runId = await insertRun(
      api.db.pool,
      [1, 2, 3, 4].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 4 })),
    );
    ref = { runId, shard: 0, cohort: 'root' };
    const journeyId = await journeyOf(api.db.pool, runId);
    const coupon = {
      name: '回购券',
      amount: 20,
      threshold: 199,
      validity: { amount: 7, unit: 'days' as const },
      stock: null,
    };
    expect(
      await acts().issueCoupon(nodeCall('action.coupon', coupon, { ref, nodeId: 'coupon', now: NOON, journeyId })),
    ).toMatchObject({ done: 3 });
    const { rows } = await api.db.pool.query<{ customer_id: string; code: string }>(
      'SELECT customer_id, code FROM coupons',
    );
    codes = new Map(rows.map((r) => [Number(r.customer_id), r.code]));
  });
  afterAll(async () => api?.close());

  it('the SMS carries each buyer their own code and value', async () => {
    const sms = nodeCall(
      'action.sms',
      { smsClass: 'notification', template: '{coupon.value}元券已到账，下单时输入券码{coupon.code}' },
      { ref, nodeId: 'sms', now: NOON },
    );
    expect(await acts().sendSms(sms)).toMatchObject({ done: 3 });
    const { rows } = await api.db.pool.query<{ recipient: string; body: string }>(
      'SELECT recipient, body FROM sms_sink',
    );
    const bodies = new Map(rows.map((r) => [Number(r.recipient.slice(-2)), r.body]));
    for (const id of [1, 2, 3]) expect(bodies.get(id)).toContain(`20元券已到账，下单时输入券码${codes.get(id)}`);
  });

  it("an imported order paid with the code redeems the buyer's coupon; another buyer's code redeems nothing", async () => {
    const file =
      'external_id,customer_external_id,status,amount,created_at,paid_at,coupon_code\n' +
      `o-1,tb-1,paid,259.00,2026-11-13T10:00:00+08:00,2026-11-13T10:01:00+08:00,${codes.get(1)}\n` +
      `o-3,tb-3,paid,300.00,2026-11-13T11:00:00+08:00,2026-11-13T11:01:00+08:00,${codes.get(2)}\n`;
    const res = await api.call('POST', '/api/imports/orders', {
      role: 'engineer',
      raw: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status, res.text).toBe(200);
    expect(await redeemed()).toEqual([
      [1, 'o-1'],
      [2, null],
      [3, null],
    ]);
    // Re-importing the same file changes nothing.
    expect(
      (
        await api.call('POST', '/api/imports/orders', {
          role: 'engineer',
          raw: file,
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(200);
    expect((await redeemed())[0]).toEqual([1, 'o-1']);
  });

  it('an order event redeems when the order is paid, not when it is only created', async () => {
    const event = (type: string, key: string, extra: Record<string, unknown>) => ({
      idempotencyKey: key,
      type,
      customer: { externalId: 'tb-2' },
      order: { externalId: 'o-2', amount: 219, couponCode: codes.get(2), ...extra },
      occurredAt: '2026-11-14T09:00:00+08:00',
    });
    expect(
      (await api.call('POST', '/api/events', { role: 'engineer', body: event('order_created', 'e1', {}) })).status,
    ).toBe(202);
    await api.routed();
    expect((await redeemed())[1]).toEqual([2, null]);
    expect(
      (await api.call('POST', '/api/events', { role: 'engineer', body: event('order_paid', 'e2', {}) })).status,
    ).toBe(202);
    await api.routed();
    expect(await redeemed()).toEqual([
      [1, 'o-1'],
      [2, 'o-2'],
      [3, null],
    ]);
  });

  it("the run's figures charge the redeemed coupons' face value to cost", async () => {
    const figures = () =>
      armFigures(api.db.pool, {
        ref,
        from: new Date(NOON),
        to: new Date(NOON + 10 * 86_400_000),
        cyclePath: '',
        goal: { kind: 'purchase' },
      });
    const withCoupons = (await figures()).treatment;
    expect(withCoupons.buyers).toBe(3);
    // The same run had nobody used a coupon: only the SMS cost is left.
    await api.db.pool.query('UPDATE coupons SET redeemed_order_id = NULL, redeemed_at = NULL');
    const smsOnly = (await figures()).treatment;
    expect(withCoupons.cost - smsOnly.cost).toBeCloseTo(40, 4);
  });

  it("a referral coupon: friends' paid orders with its code are attributed to the member who forwarded it", async () => {
    const journeyId = await journeyOf(api.db.pool, ref.runId);
    const referral = {
      name: '分享券',
      amount: 10,
      threshold: 0,
      validity: { amount: 30, unit: 'days' as const },
      stock: null,
      use: 'referral' as const,
    };
    expect(
      await acts().issueCoupon(nodeCall('action.coupon', referral, { ref, nodeId: 'referral', now: NOON, journeyId })),
    ).toMatchObject({ done: 3 });
    const { rows } = await api.db.pool.query<{ code: string }>(
      `SELECT code FROM coupons WHERE node_id = 'referral' AND customer_id = 1 AND referral`,
    );
    const code = rows[0]?.code as string;
    // Customer 4 (not a member) and customer 3 both buy with customer 1's code; 3 twice (one order unpaid).
    const file =
      'external_id,customer_external_id,status,amount,created_at,paid_at,coupon_code\n' +
      `r-1,tb-4,paid,120.00,2026-11-15T10:00:00+08:00,2026-11-15T10:01:00+08:00,${code}\n` +
      `r-2,tb-3,paid,80.00,2026-11-16T10:00:00+08:00,2026-11-16T10:01:00+08:00,${code}\n` +
      `r-3,tb-3,created,99.00,2026-11-17T10:00:00+08:00,,${code}\n`;
    const imported = await api.call('POST', '/api/imports/orders', {
      role: 'engineer',
      raw: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status, imported.text).toBe(200);
    const res = await api.call('GET', `/api/coupons/referrals?runId=${ref.runId}`, { role: 'viewer' });
    expect(res.body.referrers).toEqual([
      {
        customerId: 1,
        nickname: 'c1',
        code,
        runId: ref.runId,
        orders: 2,
        friends: 2,
        sales: 200,
        lastAt: '2026-11-16T02:01:00.000Z',
      },
    ]);
    // The referrer's own coupon is not redeemed by friends' orders.
    const own = await api.db.pool.query(`SELECT 1 FROM coupons WHERE code = $1 AND redeemed_order_id IS NOT NULL`, [
      code,
    ]);
    expect(own.rowCount).toBe(0);
  });
});
