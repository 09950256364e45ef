// Triggered journeys: signal-with-start on a deterministic id (duplicates collapse into one run),
// wait-for-event takes `event` the moment the order is paid, and a paid order ends a payment
// reminder at once wherever its buyer is (goal trigger_order_paid).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import type { TriggerEvent } from '@huitou/activities/contract';
import { eventSignal, triggeredRun, triggeredWorkflowId, triggerKeyOf } from '@huitou/workflows';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, ledger, publish, runEndedAt, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const reminder: JourneyGraphInput = {
  name: 'pay reminder',
  settings: {
    holdoutPercent: 0,
    goal: { kind: 'trigger_order_paid' },
    countsTowardFrequencyCap: false,
    sms: { signature: '【测试店】' },
  },
  nodes: [
    node(
      'entry',
      'entry.event',
      {
        event: 'order_created',
        triggerKey: 'order_id',
        filter: { where: { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 20 } }, exclude: [] },
      },
      0,
      0,
    ),
    node('wait_paid', 'wait.event', { event: 'order_paid', timeout: { amount: 30, unit: 'minutes' } }, 1, 0),
    node('remind', 'action.sms', { smsClass: 'notification', template: '您的订单还未付款' }, 2, 0),
    node('wait_day', 'wait.delay', { duration: { amount: 1, unit: 'days' } }, 3, 0),
    node('remind2', 'action.sms', { smsClass: 'notification', template: '订单即将关闭' }, 4, 0),
    node('exit_paid', 'exit', { reason: 'paid' }, 2, 1),
    node('exit_done', 'exit', {}, 5, 0),
  ],
  edges: [
    edge('entry', 'wait_paid'),
    edge('wait_paid', 'exit_paid', 'event'),
    edge('wait_paid', 'remind', 'timeout'),
    edge('remind', 'wait_day'),
    edge('wait_day', 'remind2'),
    edge('remind2', 'exit_done'),
  ],
};

describe('triggered runs', () => {
  let h: Harness;
  let ids: { journeyId: string; versionId: string };
  const plan = compile(reminder);
  const entryParams = plan.nodes.entry.type === 'entry.event' ? plan.nodes.entry.params : null;

  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, [1, 2, 3]);
    ids = await publish(h.db.pool, plan, 'triggered');
  });
  afterAll(async () => h?.close());

  async function order(customerId: number, amount: number): Promise<TriggerEvent> {
    const orderId = await insertOrder(h.db.pool, {
      customerId,
      at: new Date(h.env.now()),
      status: 'created',
      items: [{ category: 'food', amount }],
    });
    return { type: 'order_created', orderId, customerId, at: h.env.now() };
  }

  /** What the order-event intake does: signal-with-start on the journey + trigger key id. */
  async function deliver(event: TriggerEvent) {
    if (!entryParams) throw new Error('not an event entry');
    const triggerKey = triggerKeyOf(entryParams, event);
    return h.env.client.workflow.signalWithStart(triggeredRun, {
      taskQueue: h.env.taskQueue,
      workflowId: triggeredWorkflowId(ids.journeyId, triggerKey),
      args: [{ journeyId: ids.journeyId, versionId: ids.versionId, plan, triggerKey }],
      signal: eventSignal,
      signalArgs: [event],
    });
  }

  it.runIf(onTimeSkippingLane())(
    'takes the event port the moment the order is paid; a duplicate trigger joins the same run',
    async () => {
      const created = await order(1, 100);
      const handle = await deliver(created);
      await deliver(created);
      await h.env.sleep(10 * MINUTE);
      const start = h.env.now();
      await deliver({ ...created, type: 'order_paid', at: start });
      const result = await handle.result();
      expect(result.admitted).toBe(true);
      expect(result.counts.wait_paid).toMatchObject({ entered: 1, ports: { event: 1 } });
      expect(result.counts.exit_paid).toMatchObject({ exited: 1 });
      expect((await runEndedAt(h.db.pool, result.runId)) - start).toBeLessThan(MINUTE);
      expect(await ledger(h.db.pool, result.runId)).toEqual([]);
      const runs = await h.db.pool.query('SELECT id, state FROM runs WHERE journey_id = $1 AND trigger_key = $2', [
        ids.journeyId,
        `order:${created.orderId}`,
      ]);
      expect(runs.rows).toEqual([{ id: result.runId, state: 'completed' }]);
      const member = await h.db.pool.query(
        'SELECT customer_id, exit_reason, position FROM run_members WHERE run_id = $1',
        [result.runId],
      );
      expect(member.rows).toEqual([{ customer_id: '1', exit_reason: 'paid', position: 'exit_paid' }]);
    },
  );

  it.runIf(onTimeSkippingLane())(
    'reminds after the timeout, and a payment during the next wait ends the run at once',
    async () => {
      const created = await order(2, 300);
      const handle = await deliver(created);
      await h.env.sleep(2 * HOUR);
      const triggerKey = `order:${created.orderId}`;
      const sent = async () => (await ledger(h.db.pool)).filter((m) => m.triggerKey === triggerKey);
      const reminders = await sent();
      expect(reminders.map((m) => [m.node, m.customerId, m.status, m.smsClass, m.inSink])).toEqual([
        ['remind', 2, 'sent', 'notification', true],
      ]);
      expect(reminders[0].at - created.at).toBeGreaterThanOrEqual(30 * MINUTE);
      expect(reminders[0].key).toBe(`${reminders[0].runId}/t:${triggerKey}/remind//2`);

      const paidAt = h.env.now();
      await deliver({ ...created, type: 'order_paid', at: paidAt });
      const result = await handle.result();
      expect((await runEndedAt(h.db.pool, result.runId)) - paidAt).toBeLessThan(MINUTE);
      expect(await sent()).toEqual(reminders);
      expect(result.counts.wait_paid).toMatchObject({ ports: { timeout: 1 } });
      expect(result.counts.wait_day).toMatchObject({ entered: 1, exited: 1, waiting: 0 });
      expect(result.counts.remind2).toBeUndefined();
      const member = await h.db.pool.query('SELECT exit_reason, position FROM run_members WHERE run_id = $1', [
        result.runId,
      ]);
      expect(member.rows).toEqual([{ exit_reason: 'converted', position: 'wait_day' }]);
    },
  );

  it.runIf(onTimeSkippingLane())('sends both reminders when the order is never paid', async () => {
    const created = await order(3, 50);
    const result = await (await deliver(created)).result();
    const sms = await ledger(h.db.pool, result.runId);
    expect(sms.map((m) => [m.node, m.customerId, m.status, m.triggerKey, m.inSink])).toEqual([
      ['remind', 3, 'sent', `order:${created.orderId}`, true],
      ['remind2', 3, 'sent', `order:${created.orderId}`, true],
    ]);
    expect(sms[1].at - sms[0].at).toBeGreaterThanOrEqual(DAY);
    expect(result.counts.exit_done).toMatchObject({ exited: 1 });
    expect(h.env.now() - created.at).toBeGreaterThanOrEqual(DAY + 30 * MINUTE);
  });

  it('does not admit orders the entry filter rejects', async () => {
    const before = (await ledger(h.db.pool)).length;
    const result = await (await deliver(await order(3, 10))).result();
    expect(result).toMatchObject({ admitted: false, counts: { entry: { entered: 1, exited: 1 } } });
    expect(await ledger(h.db.pool)).toHaveLength(before);
  });
});
