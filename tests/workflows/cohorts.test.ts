// Triggered cohorts: the shop's triggered templates run with entry events routed by the real router
// (routeEvents: one trigger_entries statement per batch, one signal per cohort) into cohort
// workflows, with exact counts: members, SMS, tasks, exits; a payment moves one member out of the
// 催付 wait while the others stay; a duplicate trigger key is not admitted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderCare, paymentReminder } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import type { NodeCounts, TriggeredCohortResult } from '@huitou/workflows';
import { routeEvents } from '../../engine/src/events/route-event.ts';
import type { StoredEvent } from '../../engine/src/events/route-event.ts';
import type { EngineDeps } from '../../engine/src/deps.ts';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, ledger, publish, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

/** Holdout 0: which members are held out hashes the run id, which is random. */
const noHoldout = (graph: JourneyGraphInput): JourneyGraphInput => ({
  ...graph,
  settings: { ...graph.settings, holdoutPercent: 0 },
});

describe.runIf(onTimeSkippingLane())('triggered cohorts', () => {
  let h: Harness;
  let deps: EngineDeps;
  let eventNo = 0;

  beforeAll(async () => {
    h = await startHarness();
    deps = {
      pool: h.db.pool,
      temporal: { client: h.env.client },
      config: { temporal: { taskQueue: h.env.taskQueue } as EngineDeps['config']['temporal'] },
      log: () => undefined,
      now: () => new Date(h.env.now()),
    };
    await insertCustomers(h.db.pool, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  afterAll(async () => h?.close());

  /** A published triggered journey (the router admits entries only into published ones). */
  async function publishTriggered(graph: JourneyGraphInput): Promise<string> {
    const { journeyId } = await publish(h.db.pool, compile(noHoldout(graph)), 'triggered');
    await h.db.pool.query("UPDATE journeys SET state = 'published' WHERE id = $1", [journeyId]);
    return journeyId;
  }

  async function order(customerId: number, amount: number): Promise<number> {
    return insertOrder(h.db.pool, {
      customerId,
      at: new Date(h.env.now()),
      status: 'created',
      items: [{ category: 'food', amount }],
    });
  }

  /** What POST /api/events stores, then the router: one routed batch. */
  async function route(events: Array<{ type: string; customerId: number; orderId: number }>): Promise<void> {
    const stored: StoredEvent[] = [];
    for (const e of events) {
      const key = `test-${(eventNo += 1)}`;
      const { rows } = await h.db.pool.query<{ id: string }>(
        `INSERT INTO events (idempotency_key, type, customer_id, order_id, occurred_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [key, e.type, e.customerId, e.orderId, new Date(h.env.now())],
      );
      stored.push({
        id: Number(rows[0].id),
        idempotencyKey: key,
        type: e.type,
        customerId: e.customerId,
        orderId: e.orderId,
        occurredAt: new Date(h.env.now()),
        payload: {},
      });
    }
    await routeEvents(deps, stored);
  }

  /** The journey's cohort workflows (trigger_entries), run to their end; their counts summed. */
  async function finish(journeyId: string): Promise<{ results: TriggeredCohortResult[]; counts: NodeCounts }> {
    const { rows } = await h.db.pool.query<{ workflow_id: string }>(
      'SELECT DISTINCT workflow_id FROM trigger_entries WHERE journey_id = $1 ORDER BY workflow_id',
      [journeyId],
    );
    const results = await Promise.all(
      rows.map((r) => h.env.client.workflow.getHandle(r.workflow_id).result() as Promise<TriggeredCohortResult>),
    );
    const counts: NodeCounts = {};
    for (const r of results)
      for (const [node, c] of Object.entries(r.counts)) {
        const into = (counts[node] ??= { entered: 0, waiting: 0, exited: 0, ports: {}, evaluations: 0 });
        into.entered += c.entered;
        into.exited += c.exited;
        for (const [port, n] of Object.entries(c.ports)) into.ports[port] = (into.ports[port] ?? 0) + n;
      }
    return { results, counts };
  }

  async function members(journeyId: string) {
    const { rows } = await h.db.pool.query<{ customer_id: string; trigger_key: string; exit_reason: string | null }>(
      `SELECT m.customer_id, m.trigger_key, m.exit_reason FROM run_members m JOIN runs r ON r.id = m.run_id
       WHERE r.journey_id = $1 ORDER BY m.customer_id`,
      [journeyId],
    );
    return rows.map((r) => [Number(r.customer_id), r.trigger_key, r.exit_reason]);
  }

  it('催付: one cohort per second; a payment moves just its member out of the wait; a duplicate is not admitted', async () => {
    const journeyId = await publishTriggered(paymentReminder);
    const small = await order(1, 100);
    const medium = await order(2, 300);
    const cheap = await order(3, 50);
    const large = await order(4, 3000);
    const tiny = await order(5, 10);
    const created = [
      { customerId: 1, orderId: small },
      { customerId: 2, orderId: medium },
      { customerId: 3, orderId: cheap },
      { customerId: 4, orderId: large },
      { customerId: 5, orderId: tiny },
    ].map((e) => ({ ...e, type: 'order_created' }));
    await route(created);
    // The same order again (a webhook retry under a new idempotency key): not admitted twice.
    await route([created[1]]);
    await h.env.sleep(10 * MINUTE);
    await route([{ type: 'order_paid', customerId: 1, orderId: small }]);
    const { results, counts } = await finish(journeyId);

    expect(results.reduce((n, r) => n + r.admitted, 0)).toBe(4);
    expect(await members(journeyId)).toEqual([
      [1, `order:${small}`, '已付款'],
      [2, `order:${medium}`, 'completed'],
      [3, `order:${cheap}`, 'completed'],
      [4, `order:${large}`, '转人工'],
    ]);
    const sms = await ledger(h.db.pool);
    // remind_2 names {order.item}: the fixture's items have no title, so it is skipped (as for one member).
    expect(sms.map((m) => [m.customerId, m.node, m.status, m.skipReason, m.triggerKey])).toEqual([
      [2, 'remind_1', 'sent', null, `order:${medium}`],
      [2, 'remind_2', 'skipped', 'missing_variable', `order:${medium}`],
      [3, 'remind_1', 'sent', null, `order:${cheap}`],
      [3, 'remind_2', 'skipped', 'missing_variable', `order:${cheap}`],
    ]);
    // Each reminder names the member's own order.
    const bodies = await h.db.pool.query<{ customer_id: string; body: string }>(
      "SELECT customer_id, body FROM messages WHERE node_id = 'remind_1' ORDER BY customer_id",
    );
    expect(bodies.rows.map((r) => r.body.includes(String(Number(r.customer_id) === 2 ? medium : cheap)))).toEqual([
      true,
      true,
    ]);
    const tasks = await h.db.pool.query('SELECT customer_id, order_id, kind FROM staff_tasks ORDER BY id');
    expect(tasks.rows).toEqual([{ customer_id: '4', order_id: String(large), kind: 'large_order_call' }]);
    expect(counts.wait_paid_1).toMatchObject({ entered: 3, ports: { event: 1, timeout: 2 } });
    expect(counts.exit_paid).toMatchObject({ exited: 1 });
    expect(counts.exit_handed_over).toMatchObject({ exited: 1 });
    expect(counts.exit_timeout).toMatchObject({ exited: 2 });
    const entries = await h.db.pool.query(
      'SELECT count(*) FILTER (WHERE admitted)::int AS yes, count(*) FILTER (WHERE NOT admitted)::int AS no FROM trigger_entries WHERE journey_id = $1',
      [journeyId],
    );
    expect(entries.rows[0]).toEqual({ yes: 4, no: 1 });
  }, 300_000);

  it('order care: each member moves on its own shipping events', async () => {
    const journeyId = await publishTriggered(orderCare);
    const a = await order(6, 80);
    const b = await order(7, 90);
    await h.db.pool.query("UPDATE orders SET status = 'paid', paid_at = created_at WHERE id = ANY($1)", [[a, b]]);
    await route([
      { type: 'order_paid', customerId: 6, orderId: a },
      { type: 'order_paid', customerId: 7, orderId: b },
    ]);
    await h.env.sleep(HOUR);
    await route([{ type: 'order_shipped', customerId: 6, orderId: a }]);
    await h.env.sleep(HOUR);
    await route([{ type: 'order_arrived', customerId: 6, orderId: a }]);
    await route([{ type: 'order_signed', customerId: 6, orderId: a }]);
    const { counts } = await finish(journeyId);
    const sms = (await ledger(h.db.pool)).filter((m) => m.customerId === 6 || m.customerId === 7);
    expect(sms.map((m) => [m.customerId, m.node])).toEqual([
      [6, 'paid_thanks'],
      [6, 'shipped'],
      [6, 'arrived'],
      [6, 'signed'],
      [7, 'paid_thanks'],
      [7, 'delay_apology'],
    ]);
    expect(counts.wait_shipped).toMatchObject({ entered: 2, ports: { event: 1, timeout: 1 } });
    expect(counts.exit_done).toMatchObject({ exited: 1 });
    expect(counts.exit_lost).toMatchObject({ exited: 1 });
    expect(h.env.now()).toBeGreaterThan(DAY);
  }, 300_000);
});
