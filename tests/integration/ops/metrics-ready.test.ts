// GET /metrics and GET /api/ready on the real API, the real journey worker and Temporal: the
// figures after an event and a journey's sends agree with the database, the optional bearer
// token is enforced, and readiness names the part that is down (a second app on a database
// that does not answer, and one without Temporal).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyActivities } from '@huitou/activities';
import { loadConfig } from '../../../engine/src/config.ts';
import { createApp } from '../../../engine/src/api/app.ts';
import type { ApiDeps } from '../../../engine/src/api/deps.ts';
import { createMetrics } from '../../../engine/src/observability/metrics.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from '../api/helpers.ts';
import { startTestApi, until } from '../api/helpers.ts';
import { createLaneTestEnv } from '../../support/temporal-lane.ts';
import { workflowBundle } from '../../workflows/support.ts';

/** An audience journey that texts everyone at once (a notification: quiet hours do not hold it). */
const textEveryone = {
  name: 'metrics',
  settings: { holdoutPercent: 0, sms: { signature: '【测试店】' } },
  nodes: [
    {
      id: 'entry',
      type: 'entry.audience',
      position: { x: 0, y: 0 },
      config: { segment: { where: { kind: 'all', of: [] }, exclude: [] } },
    },
    {
      id: 'tip',
      type: 'action.sms',
      position: { x: 1, y: 0 },
      config: { template: '您的订单已发货', smsClass: 'notification' },
    },
    { id: 'exit', type: 'exit', position: { x: 2, y: 0 }, config: {} },
  ],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'tip' },
    { source: 'tip', sourcePort: 'out', target: 'exit' },
  ],
};

type Samples = Map<string, number>;

/** Prometheus text → `name{a="x",b="y"}` (labels sorted) → value; HELP/TYPE lines skipped. */
function parseExposition(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels = (match[3] ?? '')
      .split(/,(?=\w+=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    samples.set(labels ? `${match[1]}{${labels}}` : match[1], Number(match[4]));
  }
  return samples;
}

/** Every sample of one metric, by its sorted label string. */
const series = (samples: Samples, name: string) =>
  new Map([...samples].filter(([key]) => key === name || key.startsWith(`${name}{`)));

async function listen(deps: ApiDeps): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe(`metrics and readiness (${describeEngine('configured')})`, () => {
  let api: TestApi;

  beforeAll(async () => {
    const bundle = await workflowBundle();
    api = await startTestApi({}, async (db) => {
      const env = await createLaneTestEnv({
        worker: { workflowBundle: bundle, activities: createJourneyActivities({ pool: db.pool }) },
      });
      return {
        deps: {
          temporal: { client: env.client },
          config: loadConfig({ TEMPORAL_TASK_QUEUE: env.taskQueue }),
          // Fresh database figures at every scrape (the product reuses them for 5 s).
          metrics: createMetrics(db.pool, { readEveryMs: 0 }),
        },
        close: () => env.shutdown(),
      };
    });
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  const scrape = async () => {
    const res = await fetch(`${api.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parseExposition(await res.text());
  };

  it('counts an accepted and routed event, and reports the sends, runs and members the database holds', async () => {
    const before = await scrape();
    expect(before.get('huitou_events_accepted_total')).toBe(0);
    expect(before.get('huitou_messages{}')).toBeUndefined();

    const event = {
      idempotencyKey: 'metrics:1',
      type: 'order_paid',
      customerId: 1,
      occurredAt: new Date().toISOString(),
    };
    const posted = await api.call('POST', '/api/events', { role: 'engineer', body: event });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    await api.routed();

    const journey = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: textEveryone } });
    expect(journey.status, JSON.stringify(journey.body)).toBe(201);
    const published = await api.call('POST', `/api/journeys/${journey.body.id}/publish`, {
      role: 'marketer',
      body: {},
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const run = await api.call('POST', `/api/journeys/${journey.body.id}/runs`, { role: 'marketer', body: {} });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    await until(
      'the three texts recorded',
      async () =>
        (
          await api.db.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM messages WHERE status NOT IN ('pending', 'sending')",
          )
        ).rows[0].n === 3,
      60_000,
    );
    // Scraped once the run has ended: its members and state then hold still while they are compared.
    await until(
      'the run ended',
      async () => (await api.db.pool.query('SELECT 1 FROM runs WHERE ended_at IS NULL')).rowCount === 0,
      60_000,
    );

    const after = await scrape();
    expect(after.get('huitou_events_accepted_total')).toBe(1);
    expect(after.get('huitou_events_routed_total')).toBe(1);
    expect(after.get('huitou_event_routing_lag_seconds_count')).toBe(1);
    expect(after.get('huitou_events_unrouted')).toBe(0);

    // Messages by outcome, provider and code: exactly what the ledger holds.
    const { rows: ledger } = await api.db.pool.query<{ status: string; provider: string; code: string; n: number }>(
      `SELECT status, coalesce(provider, '') AS provider, coalesce(error_code, '') AS code, count(*)::int AS n
         FROM messages GROUP BY 1, 2, 3`,
    );
    const expected = new Map(
      ledger.map((r) => [`huitou_messages{code="${r.code}",provider="${r.provider}",status="${r.status}"}`, r.n]),
    );
    expect(series(after, 'huitou_messages')).toEqual(expected);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBe(3);

    const { rows: runs } = await api.db.pool.query<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM runs GROUP BY state',
    );
    expect(series(after, 'huitou_runs')).toEqual(new Map(runs.map((r) => [`huitou_runs{state="${r.state}"}`, r.n])));
    const { rows: active } = await api.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM run_members m JOIN runs r ON r.id = m.run_id
        WHERE r.ended_at IS NULL AND m.exited_at IS NULL`,
    );
    expect(after.get('huitou_active_run_members')).toBe(active[0].n);
    expect(after.get('huitou_scheduler_lag_seconds')).toBe(0);
    // The process's own figures come along (event loop, memory).
    expect(after.has('huitou_process_resident_memory_bytes')).toBe(true);
  });

  it('wants the bearer token when one is configured', async () => {
    const guarded = await listen({ ...api.deps, metricsToken: 'scrape-secret' });
    try {
      const none = await fetch(`${guarded.url}/metrics`);
      expect(none.status).toBe(401);
      expect((await none.json()).error).toMatchObject({ code: 'unauthorized', path: ['headers', 'authorization'] });
      const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-secreT' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('huitou_events_accepted_total');
    } finally {
      await guarded.close();
    }
  });

  it('is ready when Postgres and Temporal answer', async () => {
    const res = await api.call('GET', '/api/ready', { role: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ready: true, checks: { postgres: { ok: true }, temporal: { ok: true } } });
    expect(res.body.checks.postgres.error).toBeUndefined();
  });

  it('answers 503 naming Postgres when its database does not answer', async () => {
    // Nothing listens on port 1: the connection is refused.
    const deadPool = new pg.Pool({ connectionString: 'postgres://huitou:secret@127.0.0.1:1/nowhere', max: 1 });
    const broken = await listen({ ...api.deps, pool: deadPool });
    try {
      const res = await fetch(`${broken.url}/api/ready`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({
        ready: false,
        checks: { postgres: { ok: false, error: 'ECONNREFUSED' }, temporal: { ok: true } },
      });
      // Unauthenticated callers learn which part failed, never the connection string.
      expect(JSON.stringify(body)).not.toMatch(/secret|nowhere|huitou/);
    } finally {
      await broken.close();
      await deadPool.end();
    }
  });

  it('answers 503 naming Temporal when the engine has no connection to it', async () => {
    const alone = await listen({ ...api.deps, temporal: undefined });
    try {
      const res = await fetch(`${alone.url}/api/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        ready: false,
        checks: { postgres: { ok: true }, temporal: { ok: false, error: 'not connected' } },
      });
    } finally {
      await alone.close();
    }
  });

  it('serves Swagger UI on the OpenAPI document from the installed package, and keeps the plain reference', async () => {
    const page = await fetch(`${api.url}/api/docs/try-it`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/docs/try-it/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${api.url}/api/docs/try-it/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect(await (await fetch(`${api.url}/api/docs/try-it/init.js`)).text()).toContain("url: '/api/openapi.json'");
    const reference = await fetch(`${api.url}/api/docs`);
    expect(await reference.text()).toContain('href="/api/docs/try-it"');
  });
});
