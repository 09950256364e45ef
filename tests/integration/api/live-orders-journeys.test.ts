// Acceptance (issue 15, live orders): a platform feed that arrives before any import drives the
// shipped templates on the real Temporal test server. Order events move one order created → paid →
// shipped → signed, and the order-care journey's SMS follow it, the shipped one carrying the
// tracking number the event brought; a 中评 starts the neutral-review alert and a 好评 does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import type { TriggeredCohortResult } from '@huitou/workflows';
import { cohortOf } from '../../support/cohorts.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { describeEngine } from '../db/test-database.ts';
import { MINUTE, waitFor } from '../../workflows/support.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';

describe(`live orders drive the order-care and review journeys (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  const journeys: Record<string, string> = {};

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await api.db.pool.query(
      "INSERT INTO products (sku, name, category, list_price, role) VALUES ('KID-COAT', '儿童羽绒服', 'kids_clothing', 299, 'profit')",
    );
    for (const template of ['orderCare', 'neutralReviewAlert']) {
      const created = await api.call('POST', '/api/journeys', {
        role: 'marketer',
        body: { draft: journeyTemplates[template] },
      });
      expect(created.status).toBe(201);
      journeys[template] = created.body.id;
      const published = await api.call('POST', `/api/journeys/${created.body.id}/publish`, {
        role: 'marketer',
        body: { notes: 'v1' },
      });
      expect(published.status, JSON.stringify(published.body)).toBe(201);
    }
  });
  afterAll(async () => api?.close());

  let keys = 0;
  const post = async (type: string, order: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: {
        idempotencyKey: `live-${(keys += 1)}`,
        type,
        customer: { externalId: 'tb_小美', nickname: '小美', phone: '13800138000' },
        order,
        occurredAt: new Date(env.now()).toISOString(),
        ...extra,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await api.routed();
  };
  const orderOf = async (externalId: string) =>
    (
      await api.db.pool.query<{
        id: string;
        status: string;
        tracking_no: string | null;
        paid_at: Date | null;
        signed_at: Date | null;
      }>('SELECT id, status, tracking_no, paid_at, signed_at FROM orders WHERE external_id = $1', [externalId])
    ).rows[0];
  /** The SMS the order-care run sent so far, in order: node and text. */
  const sms = async (orderId: string) =>
    (
      await api.db.pool.query<{ node_id: string; status: string; body: string }>(
        `SELECT m.node_id, m.status, s.body FROM messages m JOIN sms_sink s ON s.message_key = m.message_key
         WHERE m.trigger_key = $1 ORDER BY m.id`,
        [`order:${orderId}`],
      )
    ).rows;
  const sent = (orderId: string, node: string) =>
    waitFor(env, async () => (await sms(orderId)).find((m) => m.node_id === node), {
      stepMs: MINUTE,
      maxMs: 60 * MINUTE,
    });

  it.runIf(onTimeSkippingLane())(
    'order events move the order created → paid → shipped → signed and its SMS carry the tracking number',
    async () => {
      const order = {
        externalId: 'TB-8001',
        amount: 299,
        items: [{ sku: 'KID-COAT', title: '儿童羽绒服 加厚', quantity: 1, amount: 299 }],
      };
      await post('order_created', order);
      const created = await orderOf('TB-8001');
      expect(created.status).toBe('created');

      await post('order_paid', { externalId: 'TB-8001' });
      expect((await orderOf('TB-8001')).status).toBe('paid');
      expect(await sent(created.id, 'paid_thanks')).toMatchObject({ status: 'sent' });

      await post('order_shipped', { externalId: 'TB-8001', carrier: '顺丰速运', trackingNo: 'SF1402871939' });
      expect(await orderOf('TB-8001')).toMatchObject({ status: 'shipped', tracking_no: 'SF1402871939' });
      const shipped = await sent(created.id, 'shipped');
      expect(shipped).toMatchObject({ status: 'sent' });
      expect(shipped.body).toContain('快递单号SF1402871939');
      expect(shipped.body).toContain('儿童羽绒服');

      await post('order_arrived', { externalId: 'TB-8001' });
      await sent(created.id, 'arrived');
      await post('order_signed', { externalId: 'TB-8001' });
      await sent(created.id, 'signed');
      const signed = await orderOf('TB-8001');
      expect(signed.status).toBe('shipped');
      expect(signed.signed_at).not.toBeNull();
      expect((await sms(created.id)).map((m) => [m.node_id, m.status])).toEqual([
        ['paid_thanks', 'sent'],
        ['shipped', 'sent'],
        ['arrived', 'sent'],
        ['signed', 'sent'],
      ]);
      const run = env.client.workflow.getHandle<() => Promise<TriggeredCohortResult>>(
        (await cohortOf(api.db.pool, journeys.orderCare, `order:${created.id}`)) as string,
      );
      expect(await run.result()).toMatchObject({ admitted: 1 });
    },
  );

  it.runIf(onTimeSkippingLane())('a 中评 starts the neutral-review alert and a 好评 does not', async () => {
    const good = { externalId: 'TB-8002', amount: 59 };
    const neutral = { externalId: 'TB-8003', amount: 59 };
    await post('review_posted', good, { review: { externalId: 'RV-1', rating: 'positive', content: '很好' } });
    await post('review_posted', neutral, { review: { externalId: 'RV-2', rating: 'neutral', content: '一般' } });
    const goodId = (await orderOf('TB-8002')).id;
    const neutralId = (await orderOf('TB-8003')).id;
    expect(await cohortOf(api.db.pool, journeys.neutralReviewAlert, `order:${goodId}`)).toBeNull();
    const alert = env.client.workflow.getHandle<() => Promise<TriggeredCohortResult>>(
      (await cohortOf(api.db.pool, journeys.neutralReviewAlert, `order:${neutralId}`)) as string,
    );
    const result = await alert.result();
    expect(result).toMatchObject({ admitted: 1 });
    expect(result.counts.alert_owner).toMatchObject({ entered: 1 });
    const tasks = await api.db.pool.query('SELECT title, customer_id FROM staff_tasks ORDER BY task_key');
    expect(tasks.rows).toEqual([{ title: '收到中评，请联系买家了解情况', customer_id: expect.any(String) }]);
    // Both reviews are stored, and both events were routed (the 好评 to no journey).
    const reviews = await api.db.pool.query('SELECT external_id, sentiment FROM reviews ORDER BY external_id');
    expect(reviews.rows).toEqual([
      { external_id: 'RV-1', sentiment: 'positive' },
      { external_id: 'RV-2', sentiment: 'neutral' },
    ]);
    const unrouted = await api.db.pool.query('SELECT count(*)::int AS n FROM events WHERE processed_at IS NULL');
    expect(unrouted.rows).toEqual([{ n: 0 }]);
  });
});
