// Routing after the accept (engine/src/events/router.ts and routeEvents): events reach their
// cohorts behind the answer; a customer's events stay in order even when a delivery fails (the later
// ones wait for the sweep instead of overtaking), while other customers' events go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { journeyTemplates } from '@huitou/schemas';
import type { TriggeredCohortResult } from '@huitou/workflows';
import { laneOf } from '../../../engine/src/events/cohort-deliveries.ts';
import { cohortOf } from '../../support/cohorts.ts';
import { rerouteUnprocessedEvents } from '../../../engine/src/events/reroute.ts';
import { routeEvents } from '../../../engine/src/events/route-event.ts';
import type { StoredEvent } from '../../../engine/src/events/route-event.ts';
import { createEventRouter } from '../../../engine/src/events/router.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';

describe(`event router (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let journeyId: string;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2, 3]);
    const template = JSON.parse(JSON.stringify(journeyTemplates.paymentReminder)) as {
      settings: Record<string, unknown>;
    };
    template.settings.holdoutPercent = 0;
    journeyId = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: template } })).body.id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
  });
  afterAll(async () => api?.close());

  const order = (customerId: number) =>
    insertOrder(api.db.pool, {
      customerId,
      at: new Date(env.now()),
      status: 'created',
      items: [{ category: 'food', amount: 100 }],
    });
  /** Stores an event the way POST /api/events does, without routing it. */
  const store = async (key: string, type: string, customerId: number, orderId: number): Promise<StoredEvent> => {
    const occurredAt = new Date(env.now());
    const { rows } = await api.db.pool.query<{ id: string }>(
      `INSERT INTO events (idempotency_key, type, customer_id, order_id, payload, occurred_at) VALUES ($1, $2, $3, $4, '{}', $5) RETURNING id`,
      [key, type, customerId, orderId, occurredAt],
    );
    return { id: Number(rows[0].id), idempotencyKey: key, type, customerId, orderId, occurredAt, payload: {} };
  };
  const processed = async (ids: number[]) =>
    (
      await api.db.pool.query<{ id: string }>(
        'SELECT id FROM events WHERE id = ANY($1::bigint[]) AND processed_at IS NOT NULL ORDER BY id',
        [ids],
      )
    ).rows.map((r) => Number(r.id));
  const result = async (orderId: number) => {
    const workflowId = await cohortOf(api.db.pool, journeyId, `order:${orderId}`);
    if (!workflowId) throw new Error(`no cohort holds order ${orderId}`);
    return env.client.workflow.getHandle<() => Promise<TriggeredCohortResult>>(workflowId).result();
  };

  it('routes what it is given behind the caller; once closed, nothing (the sweep does)', async () => {
    const orderId = await order(3);
    const router = createEventRouter(api.deps);
    const created = await store('r-created', 'order_created', 3, orderId);
    const paid = await store('r-paid', 'order_paid', 3, orderId);
    router.submit([created, paid]);
    await router.idle();
    expect(router.backlog).toBe(0);
    expect(await processed([created.id, paid.id])).toEqual([created.id, paid.id]);
    // The payment reached the run the creation started: it ends before the first reminder (which
    // would follow 30 minutes later: result() lets the skipping clock run).
    const run = await result(orderId);
    expect(run).toMatchObject({ admitted: 1, counts: { entry: { entered: 1 } } });
    expect(run.counts.remind_1).toBeUndefined();

    await router.close();
    const late = await store('r-late', 'order_closed', 3, orderId);
    router.submit([late]);
    await router.idle();
    expect(await processed([late.id])).toEqual([]);
    // What a closed router did not route, the sweep does.
    expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([late.id]);
  });

  it("after a failed delivery the customer's later events wait for the sweep; other customers' go on", async () => {
    const a = await order(1);
    // Two lanes, b in another than a, so its events travel in another cohort's signal.
    const lanes = 2;
    let b = await order(2);
    while (laneOf(`order:${b}`, lanes) === laneOf(`order:${a}`, lanes)) b = await order(2);
    // The real client, except that starting order a's cohort fails once (Temporal briefly unreachable).
    let failures = 0;
    const flaky = {
      workflow: {
        signalWithStart: (...args: Parameters<Client['workflow']['signalWithStart']>) => {
          const events = (args[1].signalArgs?.[0] ?? []) as { key: string }[];
          if (events.some((e) => e.key === `order:${a}`) && failures++ === 0)
            return Promise.reject(new Error('unavailable'));
          return env.client.workflow.signalWithStart(...args);
        },
        getHandle: (id: string) => env.client.workflow.getHandle(id),
      },
    } as unknown as Client;
    const events = [
      await store('a-created', 'order_created', 1, a),
      await store('b-created', 'order_created', 2, b),
      await store('a-paid', 'order_paid', 1, a),
    ];
    const config = { temporal: { ...api.deps.config.temporal, cohortLanes: lanes } };
    await expect(routeEvents({ ...api.deps, config, temporal: { client: flaky } }, events)).rejects.toThrow(
      'unavailable',
    );
    // a's payment did not overtake its failed creation (it would have found no run and been dropped).
    expect(await processed(events.map((e) => e.id))).toEqual([events[1].id]);

    // The sweep delivers a's events in order: the run starts and the payment ends it, no reminder.
    expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([events[0].id, events[2].id]);
    const run = await result(a);
    expect(run).toMatchObject({ admitted: 1, counts: { entry: { entered: 1 } } });
    expect(run.counts.remind_1).toBeUndefined();
  });
});
