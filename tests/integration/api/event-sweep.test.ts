// The re-route sweep: an event stored while Temporal was unavailable stays unprocessed; the sweep
// routes it once Temporal is there (the triggered run starts, processed_at is set), routes a
// processed event never again, leaves young and locked events alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { cohortOf } from '../../support/cohorts.ts';
import { rerouteUnprocessedEvents } from '../../../engine/src/events/reroute.ts';
import type { ApiServer } from '../../../engine/src/api/server.ts';
import { startApiServer } from '../../../engine/src/api/server.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';

describe(`event re-route sweep (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  /** The same API on the same database, with no Temporal: its events cannot be routed. */
  let offline: ApiServer;
  let journeyId: string;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    offline = await startApiServer(
      { ...api.deps, temporal: undefined },
      { port: 0, host: '127.0.0.1', scheduler: false },
    );
    await insertCustomers(api.db.pool, [1, 2]);
    const template = JSON.parse(JSON.stringify(journeyTemplates.paymentReminder)) as {
      settings: Record<string, unknown>;
    };
    template.settings.holdoutPercent = 0;
    journeyId = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: template } })).body.id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await offline?.close();
    await api?.close();
  });

  const postOffline = async (key: string, customerId: number, orderId: number) => {
    const res = await fetch(`${offline.url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.keys.engineer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        idempotencyKey: key,
        type: 'order_created',
        customerId,
        orderId,
        occurredAt: new Date(env.now()).toISOString(),
      }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { events: { id: number }[] }).events[0].id;
  };
  const processedAt = async (id: number) =>
    (await api.db.pool.query<{ processed_at: Date | null }>('SELECT processed_at FROM events WHERE id = $1', [id]))
      .rows[0].processed_at;

  it('routes an event stored while Temporal was unavailable, once; a processed event is not routed again', async () => {
    const orderId = await insertOrder(api.db.pool, {
      customerId: 1,
      at: new Date(env.now()),
      status: 'created',
      items: [{ category: 'food', amount: 100 }],
    });
    const id = await postOffline('sweep-1', 1, orderId);
    expect(await processedAt(id)).toBeNull();
    // Not routed: no cohort holds the order yet.
    expect(await cohortOf(api.db.pool, journeyId, `order:${orderId}`)).toBeNull();

    // Too young for the sweep (the request that stored it may still be routing it).
    expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 3_600_000 })).toEqual([]);
    expect(await rerouteUnprocessedEvents({ ...api.deps, temporal: undefined }, { minAgeMs: 0 })).toEqual([]);
    expect(await processedAt(id)).toBeNull();

    expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([id]);
    expect(await processedAt(id)).toBeInstanceOf(Date);
    const workflowId = (await cohortOf(api.db.pool, journeyId, `order:${orderId}`)) as string;
    const description = await env.client.workflow.getHandle(workflowId).describe();
    expect(description).toMatchObject({ type: 'triggeredCohort', status: { name: 'RUNNING' } });
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const signals = () => history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    expect(signals()).toBe(1);

    // Processed: the next passes find nothing, the run is the same and got no second signal.
    expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([]);
    const after = await env.client.workflow.getHandle(workflowId).describe();
    expect(after.runId).toBe(description.runId);
    const historyAfter = await env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(historyAfter.events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBe(1);
  });

  // On PGlite a second transaction waits for the first (docs/data.md § PGlite): the lock is Postgres's.
  it.skipIf(describeEngine('configured') === 'pglite')(
    'skips events another engine holds locked (FOR UPDATE SKIP LOCKED)',
    async () => {
      const orderId = await insertOrder(api.db.pool, {
        customerId: 2,
        at: new Date(env.now()),
        status: 'created',
        items: [{ category: 'food', amount: 80 }],
      });
      const id = await postOffline('sweep-2', 2, orderId);
      const other = await api.db.pool.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT id FROM events WHERE id = $1 FOR UPDATE', [id]);
        expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([]);
        await other.query('ROLLBACK');
      } finally {
        other.release();
      }
      expect(await rerouteUnprocessedEvents(api.deps, { minAgeMs: 0 })).toEqual([id]);
    },
  );
});
