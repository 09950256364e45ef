// `npm start` on Temporal's own server (the temporal lane): TEMPORAL_ADDRESS points the product at
// Temporal's dev server (go.temporal.io/server, SQLite in memory), with a real Postgres, a small
// demo shop and the worker's prebuilt workflow bundle (HUITOU_WORKFLOW_BUNDLE, as the Docker image
// runs it). Through the HTTP API as the shop's people use it: an audience journey runs to its end,
// a 催付 (payment reminder) journey is triggered by order events and ends when the order is paid
// (and an unpaid one gets its first reminder after a real one-minute wait), each visible as a
// workflow on the real server; Ctrl+C stops the product cleanly while the server keeps running.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { journeyTemplates } from '@huitou/schemas';
import type { AudienceRunResult, TriggeredCohortResult } from '@huitou/workflows';
import { cachedInterpreterBundle } from '@huitou/engine/temporal/workflow-bundle';
import type { TestServer } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { openTestDatabase } from './db/test-database.ts';
import { until } from './api/helpers.ts';
import { lane } from '../support/lanes.ts';
import { startReferenceServer } from '../support/temporal-lane.ts';
import { Product } from '../support/product-process.ts';

const DEMO_CUSTOMERS = 200;
const TASK_QUEUE = 'huitou-real-temporal';

/**
 * A small audience: the customers tagged `rt-audience`, one notification SMS each (no quiet hours
 * for those), then out.
 */
const notifyAudience = {
  name: 'real server: notify a small audience',
  settings: { holdoutPercent: 0, sms: { signature: '【测试店】' } },
  nodes: [
    {
      id: 'entry',
      type: 'entry.audience',
      position: { x: 0, y: 0 },
      config: { segment: { where: { kind: 'tags', op: 'has_any', tags: ['rt-audience'] }, exclude: [] } },
    },
    {
      id: 'notify',
      type: 'action.sms',
      position: { x: 1, y: 0 },
      config: { smsClass: 'notification', template: '{nickname}，您的会员积分已到账' },
    },
    { id: 'exit', type: 'exit', position: { x: 2, y: 0 }, config: {} },
  ],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'notify' },
    { source: 'notify', sourcePort: 'out', target: 'exit' },
  ],
};
const AUDIENCE = ['rt-a1', 'rt-a2', 'rt-a3', 'rt-a4', 'rt-a5'];

/**
 * The shipped 催付 template, changed only where real time demands it: no holdout (the buyers are
 * surely treated), the first wait for payment at 1 minute (its unit's minimum that still waits)
 * instead of 30, and the first reminder's "good hours" (09:00-23:00 in the template) widened to
 * the whole day so a run at night sends it too. Its reminders are notification SMS: quiet hours
 * (marketing only) do not defer them.
 */
function paymentReminder() {
  const template = JSON.parse(JSON.stringify(journeyTemplates.paymentReminder)) as {
    name: string;
    settings: Record<string, unknown>;
    nodes: { id: string; config: Record<string, unknown> }[];
  };
  template.name = 'real server: 催付';
  template.settings.holdoutPercent = 0;
  const node = (id: string) => {
    const found = template.nodes.find((n) => n.id === id);
    if (!found) throw new Error(`the payment reminder template has no node ${id}`);
    return found;
  };
  node('wait_paid_1').config.timeout = { amount: 1, unit: 'minutes' };
  node('good_hours_1').config.windows = [
    { from: '00:00', to: '12:00' },
    { from: '12:00', to: '00:00' },
  ];
  return template;
}

describe.runIf(lane() === 'temporal')(
  "npm start on Temporal's own server (TEMPORAL_ADDRESS, Postgres, prebuilt workflow bundle)",
  () => {
    let server: TestServer | undefined;
    let db: Database | undefined;
    let product: Product | undefined;
    let connection: Connection | undefined;
    let temporal: Client;
    const workDir = mkdtempSync(join(tmpdir(), 'huitou-real-temporal-'));
    const bundlePath = join(workDir, 'workflow-bundle.js');
    let api = '';
    const keys = { admin: '', marketer: '', engineer: '' };

    beforeAll(async () => {
      // The worker's bundle built ahead as production builds it (engine/Dockerfile), then used from its own file.
      copyFileSync((await cachedInterpreterBundle()).codePath, bundlePath);
      server = await startReferenceServer('temporal');
      db = await openTestDatabase();
      connection = await Connection.connect({ address: server.address });
      temporal = new Client({ connection, namespace: 'default' });
    });
    afterAll(async () => {
      product?.kill();
      await product?.exited;
      await connection?.close();
      await server?.shutdown();
      await db?.close();
      rmSync(workDir, { recursive: true, force: true });
    });

    type Role = keyof typeof keys;
    const call = async (role: Role, method: string, path: string, body?: unknown, contentType = 'application/json') => {
      const res = await fetch(api + path, {
        method,
        headers: {
          authorization: `Bearer ${keys[role]}`,
          ...(body !== undefined ? { 'content-type': contentType } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        text,
        body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
      };
    };
    const messagesOf = async (runId: string) => {
      const res = await call('marketer', 'GET', `/api/runs/${runId}/messages`);
      expect(res.status, res.text).toBe(200);
      return res.body as {
        total: Record<string, number>;
        skipReasons: Record<string, number>;
        nodes: { nodeId: string; sent: number; skipped: number }[];
      };
    };
    const membersOf = async (runId: string) => {
      const res = await call('marketer', 'GET', `/api/runs/${runId}/members?limit=100`);
      expect(res.status, res.text).toBe(200);
      return res.body.members as {
        customerId: number;
        position: string | null;
        exitedAt: string | null;
        exitReason: string | null;
        holdout: boolean;
      }[];
    };
    const publish = async (draft: unknown) => {
      const created = await call('marketer', 'POST', '/api/journeys', { draft });
      expect(created.status, created.text).toBe(201);
      const published = await call('marketer', 'POST', `/api/journeys/${created.body.id}/publish`, {
        notes: 'real server',
      });
      expect(published.status, published.text).toBe(201);
      return created.body.id as string;
    };
    const importCsv = async (kind: 'customers' | 'orders', csv: string) => {
      const res = await call('engineer', 'POST', `/api/imports/${kind}`, csv, 'text/csv');
      expect([res.status, res.body?.state], res.text).toEqual([200, 'succeeded']);
      return res.body;
    };

    it('starts on the real server with Postgres and the prebuilt bundle; prints the admin key; seeds the demo shop', async () => {
      product = new Product({
        TEMPORAL_ADDRESS: server!.address,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        DATABASE_URL: db!.connectionString,
        PORT: '0',
        HUITOU_DATA_DIR: join(workDir, 'data'),
        HUITOU_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS),
        HUITOU_WORKFLOW_BUNDLE: bundlePath,
      });
      await product.line(/running; press Ctrl\+C to stop/);
      api = (await product.line(/builder: (http:\/\/\S+)\/$/))[1];
      keys.admin = (await product.line(/admin API key \(shown once, keep it\): (\S+)$/))[1];
      await product.line(new RegExp(`demo shop: ${DEMO_CUSTOMERS} customers`));
      await product.line(/database: Postgres \(DATABASE_URL\)$/);
      expect((await product.line(/\[huitou\] Temporal: (.*)$/))[1]).toBe(`${server!.address} (namespace default)`);
      await product.line(new RegExp(`worker: polling ${TASK_QUEUE}$`));
      // The prebuilt bundle is used as is: the worker bundles nothing at start.
      expect(product.lines.filter((l) => /bundling workflows/.test(l))).toEqual([]);
      expect(product.lines.filter((l) => /embedded dev server|cannot start/.test(l))).toEqual([]);

      // The admin hands out keys: the marketer builds journeys, the engineer's shop integration feeds data.
      for (const role of ['marketer', 'engineer'] as const) {
        const created = await call('admin', 'POST', '/api/keys', { name: `real-temporal ${role}`, role });
        expect(created.status, created.text).toBe(201);
        keys[role] = created.body.key;
      }
      expect((await call('marketer', 'GET', '/api/me')).status).toBe(200);
      const demo = await call('marketer', 'POST', '/api/segments/preview', {
        segment: { where: { kind: 'all', of: [] }, exclude: [] },
        sampleSize: 0,
      });
      expect(demo.body.count).toBe(DEMO_CUSTOMERS);

      // The customers this suite works with, as the shop's integration sends them.
      const audience = AUDIENCE.map((id, i) => `${id},会员${i + 1},1990000000${i},rt-audience`);
      const buyers = ['rt-buyer-1,买家一,19900000101,rt-buyer', 'rt-buyer-2,买家二,19900000102,rt-buyer'];
      expect(
        await importCsv('customers', ['external_id,nickname,phone,tags', ...audience, ...buyers].join('\n')),
      ).toMatchObject({ inserted: AUDIENCE.length + 2 });
    });

    it('an audience journey runs to its end on the real server: one notification per member, run completed, workflow completed', async () => {
      expect(api).not.toBe('');
      const preview = await call('marketer', 'POST', '/api/segments/preview', {
        segment: notifyAudience.nodes[0].config.segment,
        sampleSize: 0,
      });
      expect(preview.body.count).toBe(AUDIENCE.length);
      const journeyId = await publish(notifyAudience);
      const started = await call('marketer', 'POST', `/api/journeys/${journeyId}/runs`, {});
      expect(started.status, started.text).toBe(201);
      const runId = started.body.id as string;
      expect(started.body).toMatchObject({ state: 'running', workflowId: `run:${runId}` });

      const run = await until(
        'the audience run to complete',
        async () => {
          const detail = await call('marketer', 'GET', `/api/runs/${runId}`);
          return ['completed', 'failed', 'stopped'].includes(detail.body?.state) && detail.body;
        },
        120_000,
      );
      expect(run).toMatchObject({ state: 'completed', memberCount: AUDIENCE.length, controls: [] });
      expect(run.endedAt).not.toBeNull();
      expect(run.positions).toEqual([
        { position: 'exit', members: AUDIENCE.length, active: 0, exited: AUDIENCE.length, holdout: 0 },
      ]);

      // The ledger: exactly one message per member, all sent.
      const messages = await messagesOf(runId);
      expect(messages.total).toMatchObject({ sent: AUDIENCE.length, failed: 0, pending: 0, skipped: 0 });
      expect(messages.nodes).toEqual([
        expect.objectContaining({ nodeId: 'notify', sent: AUDIENCE.length, skipped: 0 }),
      ]);
      const ledger = await db!.pool.query<{ external_id: string; n: number; statuses: string[]; bodies: string[] }>(
        `SELECT c.external_id, count(*)::int AS n, array_agg(m.status) AS statuses, array_agg(m.body) AS bodies
       FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.run_id = $1 GROUP BY c.external_id ORDER BY c.external_id`,
        [runId],
      );
      expect(ledger.rows.map((r) => [r.external_id, r.n, r.statuses])).toEqual(AUDIENCE.map((id) => [id, 1, ['sent']]));
      expect(ledger.rows[0].bodies[0]).toContain('会员1，您的会员积分已到账');

      // On the real server: the run's workflow, completed, on the product's task queue.
      const handle = temporal.workflow.getHandle<() => Promise<AudienceRunResult>>(`run:${runId}`);
      expect(await handle.describe()).toMatchObject({
        type: 'audienceRun',
        taskQueue: TASK_QUEUE,
        status: { name: 'COMPLETED' },
      });
      const result = await handle.result();
      expect(result).toMatchObject({ members: AUDIENCE.length, holdout: 0 });
      expect(result.counts.notify).toMatchObject({ entered: AUDIENCE.length });
      expect(result.counts.exit).toMatchObject({ exited: AUDIENCE.length });
    });

    it('a triggered 催付 journey: order_created starts a run on the real server; paid at once ends it with no reminder; unpaid gets its first reminder after the 1-minute wait', async () => {
      expect(api).not.toBe('');
      const journeyId = await publish(paymentReminder());
      const createdAt = new Date().toISOString();
      await importCsv(
        'orders',
        [
          'external_id,customer_external_id,status,amount,created_at,items',
          `rt-order-paid,rt-buyer-1,created,128.00,${createdAt},food:1:128.00`,
          `rt-order-unpaid,rt-buyer-2,created,256.00,${createdAt},food:2:256.00`,
        ].join('\n'),
      );
      // The shop's integration knows the engine's ids of its orders and buyers.
      const { rows } = await db!.pool.query<{ external_id: string; id: string; customer_id: string }>(
        `SELECT external_id, id, customer_id FROM orders WHERE external_id IN ('rt-order-paid', 'rt-order-unpaid')`,
      );
      const order = (externalId: string) => {
        const row = rows.find((r) => r.external_id === externalId);
        if (!row) throw new Error(`no order ${externalId}`);
        return { orderId: Number(row.id), customerId: Number(row.customer_id), triggerKey: `order:${row.id}` };
      };
      const paid = order('rt-order-paid');
      const unpaid = order('rt-order-unpaid');
      const event = (key: string, type: string, o: { orderId: number; customerId: number }) => ({
        idempotencyKey: key,
        type,
        customerId: o.customerId,
        orderId: o.orderId,
        occurredAt: new Date().toISOString(),
      });
      const post = async (events: unknown[]) => {
        const res = await call('engineer', 'POST', '/api/events', { events });
        expect(res.status, res.text).toBe(202);
        expect(res.body).toMatchObject({ accepted: events.length, duplicates: 0 });
      };
      // The cohort run that admitted the order (trigger_entries), and its workflow.
      const runOf = (triggerKey: string) =>
        until(
          `the cohort run of ${triggerKey}`,
          async () => {
            const { rows } = await db!.pool.query<{ run_id: string; workflow_id: string }>(
              'SELECT run_id, workflow_id FROM trigger_entries WHERE journey_id = $1 AND trigger_key = $2 AND admitted',
              [journeyId, triggerKey],
            );
            return rows[0] && { id: rows[0].run_id, workflowId: rows[0].workflow_id };
          },
          60_000,
        );
      const ended = (runId: string) =>
        until(
          `the triggered run ${runId} to end`,
          async () => {
            const res = await call('marketer', 'GET', `/api/runs/${runId}`);
            return res.body?.endedAt && res.body;
          },
          60_000,
        );

      // Both orders are created, a second apart (so each has a cohort of its own); the first is paid right away.
      await post([event('rt-paid-created', 'order_created', paid)]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await post([event('rt-unpaid-created', 'order_created', unpaid)]);
      const paidRun = await runOf(paid.triggerKey);
      const unpaidRun = await runOf(unpaid.triggerKey);
      expect(unpaidRun.workflowId).not.toBe(paidRun.workflowId);
      const paidWorkflow = temporal.workflow.getHandle<() => Promise<TriggeredCohortResult>>(paidRun.workflowId);
      const unpaidWorkflow = temporal.workflow.getHandle<() => Promise<TriggeredCohortResult>>(unpaidRun.workflowId);
      expect(await paidWorkflow.describe()).toMatchObject({
        type: 'triggeredCohort',
        taskQueue: TASK_QUEUE,
        status: { name: 'RUNNING' },
      });
      await post([event('rt-paid-paid', 'order_paid', paid)]);

      // Paid while waiting for payment: out by the wait's event port, reason 已付款, and no reminder.
      const paidResult = await paidWorkflow.result();
      expect(paidResult).toMatchObject({ admitted: 1, runId: paidRun.id });
      expect(paidResult.counts.wait_paid_1).toMatchObject({ entered: 1, ports: { event: 1 } });
      expect(paidResult.counts.remind_1).toBeUndefined();
      expect(paidResult.counts.exit_paid).toMatchObject({ exited: 1 });
      expect((await paidWorkflow.describe()).status.name).toBe('COMPLETED');
      expect(await ended(paidRun.id)).toMatchObject({
        state: 'completed',
        triggerKey: expect.stringMatching(/^cohort:/),
      });
      expect(await membersOf(paidRun.id)).toEqual([
        expect.objectContaining({
          customerId: paid.customerId,
          position: 'exit_paid',
          exitReason: '已付款',
          holdout: false,
        }),
      ]);
      expect((await messagesOf(paidRun.id)).total).toMatchObject({ sent: 0, pending: 0, skipped: 0, failed: 0 });

      // Unpaid: the real one-minute timer fires on the server and the first reminder goes out.
      expect(await unpaidWorkflow.describe()).toMatchObject({ type: 'triggeredCohort', status: { name: 'RUNNING' } });
      const reminded = await until(
        'the first reminder of the unpaid order',
        async () => {
          const m = await messagesOf(unpaidRun.id);
          return m.total.sent + m.total.skipped + m.total.failed > 0 && m;
        },
        150_000,
      );
      expect(reminded.total).toMatchObject({ sent: 1, skipped: 0, failed: 0 });
      expect(reminded.nodes).toEqual([expect.objectContaining({ nodeId: 'remind_1', sent: 1 })]);
      const sms = await db!.pool.query<{ body: string; trigger_key: string; customer_id: string }>(
        'SELECT body, trigger_key, customer_id FROM messages WHERE run_id = $1',
        [unpaidRun.id],
      );
      // {order.id} is the shop's order number (the marketplace's external id), not the engine's.
      expect(sms.rows).toEqual([
        {
          body: '【回头小店】亲，您的订单rt-order-unpaid还未付款，商品已为您预留，付款后尽快发货哦~',
          trigger_key: unpaid.triggerKey,
          customer_id: String(unpaid.customerId),
        },
      ]);

      // Then paid: out at the second wait's event port, no second reminder.
      await until(
        "the unpaid order's member waiting at wait_paid_2",
        async () => (await membersOf(unpaidRun.id))[0]?.position === 'wait_paid_2',
        60_000,
      );
      await post([event('rt-unpaid-paid', 'order_paid', unpaid)]);
      const unpaidResult = await unpaidWorkflow.result();
      expect(unpaidResult).toMatchObject({ admitted: 1, runId: unpaidRun.id });
      expect(unpaidResult.counts.wait_paid_1).toMatchObject({ entered: 1, ports: { timeout: 1 } });
      expect(unpaidResult.counts.wait_paid_2).toMatchObject({ entered: 1, ports: { event: 1 } });
      expect(unpaidResult.counts.remind_2).toBeUndefined();
      expect(await ended(unpaidRun.id)).toMatchObject({ state: 'completed' });
      expect(await membersOf(unpaidRun.id)).toEqual([
        expect.objectContaining({ customerId: unpaid.customerId, position: 'exit_paid', exitReason: '已付款' }),
      ]);
      expect((await messagesOf(unpaidRun.id)).total).toMatchObject({ sent: 1, pending: 0 });

      // Every event was routed (none left for the sweep).
      const events = await db!.pool.query<{ idempotency_key: string; done: boolean }>(
        'SELECT idempotency_key, processed_at IS NOT NULL AS done FROM events WHERE idempotency_key LIKE $1 ORDER BY idempotency_key',
        ['rt-%'],
      );
      expect(events.rows).toEqual(
        ['rt-paid-created', 'rt-paid-paid', 'rt-unpaid-created', 'rt-unpaid-paid'].map((k) => ({
          idempotency_key: k,
          done: true,
        })),
      );
    });

    it('Ctrl+C stops the product cleanly (exit code 0); the real server keeps running', async () => {
      expect(product).toBeDefined();
      expect(await product!.interrupt()).toBe(0);
      const shutdown = product!.lines.findIndex((l) => l.includes('SIGINT received, shutting down'));
      expect(shutdown).toBeGreaterThan(-1);
      expect(product!.lines.slice(shutdown).filter((l) => l.startsWith('[huitou]'))).toEqual([
        '[huitou] SIGINT received, shutting down',
        '[huitou] stopped',
      ]);

      // The server outlives the product: it answers, and still has the product's workflows.
      const info = await connection!.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const statuses: string[] = [];
      for await (const w of temporal.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}'` }))
        statuses.push(w.status.name);
      expect(statuses.length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((s) => s !== 'COMPLETED')).toEqual([]);
    });
  },
);
