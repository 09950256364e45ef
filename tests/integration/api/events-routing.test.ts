// Order events posted to the API reach triggered journeys: order_created signal-with-starts the
// payment reminder's cohort of that second (the key claimed in trigger_entries), the first
// reminder lands in the ledger after the 30-minute wait (time-skipped), order_paid signals the
// cohort and ends the member's journey without a second reminder, and duplicates (same
// idempotency key, or an event routed again) start nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { journeyTemplates } from '@huitou/schemas';
import type { TriggeredCohortResult } from '@huitou/workflows';
import { triggeredWorkflowId } from '@huitou/workflows';
import { cohortOf, memberRuns } from '../../support/cohorts.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { routeEvent } from '../../../engine/src/events/route-event.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { MINUTE, ledger, runEndedAt, waitFor } from '../../workflows/support.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';

describe(`events routed to triggered journeys (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let journeyId: string;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2]);
    // The shipped template (its first reminder names {order.id}, resolved from the trigger key),
    // without its 10% holdout so the demo buyer is surely treated.
    const template = JSON.parse(JSON.stringify(journeyTemplates.paymentReminder)) as {
      settings: Record<string, unknown>;
      nodes: { id: string; config: Record<string, unknown> }[];
    };
    template.settings.holdoutPercent = 0;
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: template } });
    expect(created.status).toBe(201);
    journeyId = created.body.id;
    expect(
      (await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: { notes: 'v1' } }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => api?.close());

  const order = (customerId: number, amount: number) =>
    insertOrder(api.db.pool, {
      customerId,
      at: new Date(env.now()),
      status: 'created',
      items: [{ category: 'food', amount }],
    });
  /** Posts and waits for the routing that follows the answer. */
  const post = async (body: unknown) => {
    const res = await api.call('POST', '/api/events', { role: 'engineer', body });
    await api.routed();
    return res;
  };
  const event = (key: string, type: string, customerId: number, orderId: number) => ({
    idempotencyKey: key,
    type,
    customerId,
    orderId,
    occurredAt: new Date(env.now()).toISOString(),
  });
  const processed = async (key: string) =>
    (
      await api.db.pool.query<{ done: boolean }>(
        'SELECT processed_at IS NOT NULL AS done FROM events WHERE idempotency_key = $1',
        [key],
      )
    ).rows[0]?.done;
  const runsOf = () => memberRuns(api.db.pool, journeyId);

  it.runIf(onTimeSkippingLane())(
    'order_created starts the run, the first reminder is sent, order_paid ends it without a second; duplicates start nothing',
    async () => {
      const orderId = await order(1, 100);
      const res = await post(event('o1-created', 'order_created', 1, orderId));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 });
      const workflowId = await cohortOf(api.db.pool, journeyId, `order:${orderId}`);
      expect(workflowId).toMatch(new RegExp(`^huitou:${journeyId}:cohort:\\d+:\\d$`));
      const handle = env.client.workflow.getHandle<() => Promise<TriggeredCohortResult>>(workflowId as string);
      const description = await handle.describe();
      expect(description).toMatchObject({
        type: 'triggeredCohort',
        taskQueue: env.taskQueue,
        status: { name: 'RUNNING' },
      });
      expect(await processed('o1-created')).toBe(true);

      // The same event again (shop webhook retry): stored once, routed once, same execution.
      const again = await post(event('o1-created', 'order_created', 1, orderId));
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, events: [{ duplicate: true, id: null }] });
      const stored = await api.db.pool.query(
        'SELECT id, type, customer_id, order_id, occurred_at FROM events WHERE idempotency_key = $1',
        ['o1-created'],
      );
      expect(stored.rows).toHaveLength(1);
      // Routing an already processed event again delivers nothing.
      const row = stored.rows[0];
      expect(
        await routeEvent(api.deps, {
          id: Number(row.id),
          idempotencyKey: 'o1-created',
          type: row.type,
          customerId: 1,
          orderId,
          occurredAt: row.occurred_at,
          payload: {},
        }),
      ).toEqual({ journeys: [] });
      expect((await handle.describe()).runId).toBe(description.runId);

      // Time passes: the 30-minute wait for payment times out and (in good hours) the first reminder goes.
      const triggerKey = `order:${orderId}`;
      const sent = async () => (await ledger(api.db.pool)).filter((m) => m.triggerKey === triggerKey);
      const first = await waitFor(
        env,
        async () => {
          const rows = await sent();
          return rows.length > 0 && rows.every((m) => m.status !== 'pending') && rows;
        },
        { stepMs: 10 * MINUTE, maxMs: 2 * 24 * 60 * MINUTE },
      );
      expect(first.map((m) => [m.node, m.customerId, m.status, m.skipReason, m.inSink])).toEqual([
        ['remind_1', 1, 'sent', null, true],
      ]);
      expect(await runsOf()).toEqual([{ id: first[0].runId, trigger_key: triggerKey }]);

      // Paid: the run ends at once, no second reminder.
      const paidAt = env.now();
      expect((await post(event('o1-paid', 'order_paid', 1, orderId))).body).toMatchObject({ accepted: 1 });
      const result = await handle.result();
      expect((await runEndedAt(api.db.pool, result.runId)) - paidAt).toBeLessThan(MINUTE);
      expect(result).toMatchObject({ admitted: 1, runId: first[0].runId });
      expect(result.counts.wait_paid_2).toMatchObject({ entered: 1, ports: { event: 1 } });
      expect(result.counts.remind_2).toBeUndefined();
      expect(await sent()).toEqual(first);
      expect(await processed('o1-paid')).toBe(true);
      // Waiting at wait_paid_2, the payment takes its event port to exit_paid.
      const member = await api.db.pool.query(
        'SELECT customer_id, exit_reason, position FROM run_members WHERE run_id = $1',
        [result.runId],
      );
      expect(member.rows).toEqual([{ customer_id: '1', exit_reason: '已付款', position: 'exit_paid' }]);
    },
  );

  it('a later event for an order no run waits on starts nothing', async () => {
    const orderId = await order(2, 100);
    const res = await post({
      events: [event('o2-paid', 'order_paid', 2, orderId), event('o2-closed', 'order_closed', 2, orderId)],
    });
    expect(res.body).toMatchObject({ accepted: 2 });
    expect(await cohortOf(api.db.pool, journeyId, `order:${orderId}`)).toBeNull();
    await expect(
      env.client.workflow.getHandle(triggeredWorkflowId(journeyId, `order:${orderId}`)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await processed('o2-paid')).toBe(true);
    expect(await processed('o2-closed')).toBe(true);
    expect((await runsOf()).map((r) => r.trigger_key)).not.toContain(`order:${orderId}`);
  });
});
