// Triggered cohorts: the shop's triggered templates run with entry events routed by the real router
// (routeEvents: one trigger_entries statement per batch, one signal per cohort) into cohort
// workflows, with exact counts: members, SMS, tasks, exits; a payment moves one member out of the
// 催付 wait while the others stay; a duplicate trigger key is not admitted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  birthdayCare,
  journeyEdge as edge,
  journeyNode as node,
  neutralReviewAlert,
  orderCare,
  paymentReminder,
} from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { cohortWorkflowId } from '@huitou/workflows';
import type { NodeCounts, TriggeredCohortResult } from '@huitou/workflows';
import { scanDateTriggers } from '../../engine/src/date-scan/date-triggers.ts';
import { signalRun } from '../../engine/src/runs/temporal.ts';
import { routeEvents } from '../../engine/src/events/route-event.ts';
import type { StoredEvent } from '../../engine/src/events/route-event.ts';
import type { EngineDeps } from '../../engine/src/deps.ts';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, ledger, publish, startHarness, untilShanghaiMorning } from './support.ts';
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
    await insertCustomers(h.db.pool, [1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 30, 31, 32, 40]);
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
  async function route(
    events: Array<{ type: string; customerId: number; orderId: number; rating?: 'positive' | 'neutral' }>,
  ): Promise<void> {
    const stored: StoredEvent[] = [];
    for (const e of events) {
      const key = `test-${(eventNo += 1)}`;
      const { rows } = await h.db.pool.query<{ id: string }>(
        `INSERT INTO events (idempotency_key, type, customer_id, order_id, occurred_at, rating) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [key, e.type, e.customerId, e.orderId, new Date(h.env.now()), e.rating ?? null],
      );
      stored.push({
        id: Number(rows[0].id),
        idempotencyKey: key,
        type: e.type,
        customerId: e.customerId,
        orderId: e.orderId,
        occurredAt: new Date(h.env.now()),
        payload: {},
        rating: e.rating ?? null,
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

  it('中评: a task per neutral review, each with its own order; other ratings do not enter', async () => {
    const journeyId = await publishTriggered(neutralReviewAlert);
    const [a, b, c] = [await order(10, 60), await order(11, 70), await order(12, 80)];
    await route([
      { type: 'review_posted', customerId: 10, orderId: a, rating: 'neutral' },
      { type: 'review_posted', customerId: 11, orderId: b, rating: 'positive' },
      { type: 'review_posted', customerId: 12, orderId: c, rating: 'neutral' },
    ]);
    const { counts } = await finish(journeyId);
    const tasks = await h.db.pool.query(
      "SELECT customer_id, order_id FROM staff_tasks WHERE kind = 'review_alert' ORDER BY customer_id",
    );
    expect(tasks.rows).toEqual([
      { customer_id: '10', order_id: String(a) },
      { customer_id: '12', order_id: String(c) },
    ]);
    expect(counts.exit).toMatchObject({ exited: 2 });
    expect(await members(journeyId)).toEqual([
      [10, `order:${a}`, 'completed'],
      [12, `order:${c}`, 'completed'],
    ]);
  }, 300_000);

  it('birthday: the daily scan admits the day into one cohort; a rescan admits nobody twice', async () => {
    const journeyId = await publishTriggered(birthdayCare);
    const morning = await untilShanghaiMorning(h.env);
    // Shanghai's date today, and the month-day three days on.
    const local = new Date(morning + 8 * HOUR);
    const date = local.toISOString().slice(0, 10);
    const inThreeDays = new Date(local.getTime() + 3 * DAY).toISOString().slice(5, 10);
    await insertCustomers(h.db.pool, [20, 21, 22]);
    await h.db.pool.query('UPDATE customers SET birthday = $2::date WHERE id = ANY($1)', [
      [20, 21],
      `1990-${inThreeDays}`,
    ]);
    await h.db.pool.query("UPDATE customers SET birthday = '1990-01-01' WHERE id = 22");
    for (const customerId of [20, 21, 22])
      await insertOrder(h.db.pool, {
        customerId,
        at: new Date(morning - 30 * DAY),
        items: [{ category: 'food', amount: 50 }],
      });
    const scans = await scanDateTriggers(deps, new Date(h.env.now()));
    expect(scans).toEqual([{ journeyId, date, found: 2, started: 2 }]);
    await h.db.pool.query('UPDATE date_scans SET scanned_date = NULL WHERE journey_id = $1', [journeyId]);
    expect(await scanDateTriggers(deps, new Date(h.env.now()))).toEqual([{ journeyId, date, found: 2, started: 0 }]);

    const handle = h.env.client.workflow.getHandle(cohortWorkflowId(journeyId, `date-${date}`));
    const result = (await handle.result()) as TriggeredCohortResult;
    expect(result).toMatchObject({ admitted: 2, rejected: 0 });
    expect(result.counts.eval).toMatchObject({ entered: 2, evaluations: 1 });
    expect(result.counts.exit).toMatchObject({ exited: 2 });
    const wishes = (await ledger(h.db.pool, result.runId)).map((m) => [m.customerId, m.node, m.status, m.triggerKey]);
    expect(wishes).toEqual([
      [20, 'wish', 'sent', `customer:20:${date}`],
      [21, 'wish', 'sent', `customer:21:${date}`],
    ]);
    const coupons = await h.db.pool.query('SELECT count(*)::int AS n FROM coupons WHERE run_id = $1', [result.runId]);
    expect(coupons.rows[0].n).toBe(2);
  }, 300_000);

  it('pause holds the cohort, resume lets it go on; a removed member gets nothing more', async () => {
    const graph: JourneyGraphInput = {
      name: 'hold',
      settings: { holdoutPercent: 0, countsTowardFrequencyCap: false, sms: { signature: '【测试店】' } },
      nodes: [
        node('entry', 'entry.event', { event: 'order_created', triggerKey: 'order_id' }, 0, 0),
        node('wait', 'wait.delay', { duration: { amount: 1, unit: 'hours' } }, 1, 0),
        node('note', 'action.sms', { smsClass: 'notification', template: '订单已收到' }, 2, 0),
        node('exit', 'exit', {}, 3, 0),
      ],
      edges: [edge('entry', 'wait'), edge('wait', 'note'), edge('note', 'exit')],
    };
    const journeyId = await publishTriggered(graph);
    const orders = [await order(30, 40), await order(31, 40), await order(32, 40)];
    await route(orders.map((orderId, i) => ({ type: 'order_created', customerId: 30 + i, orderId })));
    await h.env.sleep(10 * MINUTE);
    const { rows: runs } = await h.db.pool.query<{ id: string; workflow_id: string }>(
      'SELECT id, workflow_id FROM runs WHERE journey_id = $1',
      [journeyId],
    );
    // What DELETE /api/runs/:id/members/:customerId does: the member exits, removed.
    await h.db.pool.query(
      "UPDATE run_members SET exited_at = now(), exit_reason = 'removed' WHERE customer_id = 31 AND run_id = ANY($1::uuid[])",
      [runs.map((r) => r.id)],
    );
    // What POST /api/journeys/:id/pause does: the state in Postgres, then the signal.
    await h.db.pool.query("UPDATE runs SET state = 'paused' WHERE journey_id = $1", [journeyId]);
    for (const r of runs) await signalRun(h.env.client, r.workflow_id, 'pause');
    await h.env.sleep(3 * HOUR);
    const sent = async () => (await ledger(h.db.pool)).filter((m) => m.node === 'note' && m.customerId >= 30);
    expect(await sent()).toEqual([]);
    await h.db.pool.query("UPDATE runs SET state = 'running' WHERE journey_id = $1", [journeyId]);
    for (const r of runs) await signalRun(h.env.client, r.workflow_id, 'resume');
    const { counts } = await finish(journeyId);
    expect((await sent()).map((m) => [m.customerId, m.status])).toEqual([
      [30, 'sent'],
      [32, 'sent'],
    ]);
    expect(counts.wait).toMatchObject({ entered: 3 });
    expect(await members(journeyId)).toEqual([
      [30, `order:${orders[0]}`, 'completed'],
      [31, `order:${orders[1]}`, 'removed'],
      [32, `order:${orders[2]}`, 'completed'],
    ]);
  }, 300_000);

  it('two orders of one customer in one second: the second enters a cohort of its own and hears its own payment', async () => {
    // Only this journey takes entries (the earlier tests' journeys would admit customer 40 too).
    await h.db.pool.query("UPDATE journeys SET state = 'paused' WHERE state = 'published'");
    const journeyId = await publishTriggered(paymentReminder);
    const first = await order(40, 100);
    const second = await order(40, 300);
    await route([
      { type: 'order_created', customerId: 40, orderId: first },
      { type: 'order_created', customerId: 40, orderId: second },
    ]);
    await h.env.sleep(10 * MINUTE);
    // Routed to the cohort holding the key, which forwards it to the one it handed the entry to.
    await route([{ type: 'order_paid', customerId: 40, orderId: second }]);
    await finish(journeyId);
    // The handed-off cohort is not the router's: time passes until it has ended too.
    await h.env.sleep(3 * DAY);
    const byKey = (rows: unknown[][]) => rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(byKey(await members(journeyId))).toEqual(
      byKey([
        [40, `order:${first}`, 'completed'],
        [40, `order:${second}`, '已付款'],
      ]),
    );
    const runs = await h.db.pool.query(
      'SELECT DISTINCT m.run_id FROM run_members m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1',
      [journeyId],
    );
    expect(runs.rowCount).toBe(2);
    const sms = (await ledger(h.db.pool)).filter((m) => m.customerId === 40);
    expect(sms.map((m) => [m.node, m.status, m.triggerKey])).toEqual([
      ['remind_1', 'sent', `order:${first}`],
      ['remind_2', 'skipped', `order:${first}`],
    ]);
  });
});
