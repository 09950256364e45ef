// Reliability (issue 5): the product's worker process (`npm run worker`'s engine/src/worker.ts) is
// killed with SIGKILL again and again while a 10,000-member run sends, and restarted: in the end
// every member has exactly one message per send node, in the ledger and at the local sink. And a
// provider failing 20% of its calls (5xx before or after accepting, timeouts, rate limits): every
// message reaches the gateway exactly once in the end.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { createJourneyActivities } from '@huitou/activities';
import { httpSmsProvider } from '@huitou/activities/side-effects';
import { audienceRun } from '@huitou/workflows';
import { createLaneTestEnv, onTimeSkippingLane, runsOnLane } from '../support/temporal-lane.ts';
import { startWorkerProcess } from '../support/worker-process.ts';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { compile, ledger, publish, workflowBundle } from './support.ts';

/** Two notification SMS in a row for everyone (no holdout, no quiet hours, no cap). */
const twoSends: JourneyGraphInput = {
  name: 'two sends',
  settings: { holdoutPercent: 0, quietHours: null, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('first', 'action.sms', { smsClass: 'notification', template: '您的订单已发货' }, 1, 0),
    node('second', 'action.sms', { smsClass: 'notification', template: '您的包裹已到达' }, 2, 0),
    node('exit', 'exit', {}, 3, 0),
  ],
  edges: [edge('entry', 'first'), edge('first', 'second'), edge('second', 'exit')],
};
const SEND_NODES = ['first', 'second'];

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const ids = (n: number) => range(1, n);

async function startRun(pool: Database['pool'], env: TestEnv, workflowId: string, shardSize?: number) {
  const plan = compile(twoSends);
  const { journeyId, versionId, runId } = await publish(pool, plan, 'audience');
  const handle = await env.client.workflow.start(audienceRun, {
    taskQueue: env.taskQueue,
    workflowId,
    args: [{ runId: runId as string, journeyId, versionId, plan, ...(shardSize ? { shardSize } : {}) }],
  });
  return { runId: runId as string, handle };
}

/** One message per (node, customer): the ledger sent them all, each exactly once. */
async function expectExactlyOnce(pool: Database['pool'], runId: string, customers: number[]) {
  const rows = await ledger(pool, runId);
  expect(rows).toHaveLength(customers.length * SEND_NODES.length);
  for (const n of SEND_NODES) {
    const sent = rows.filter((r) => r.node === n);
    expect(sent.map((r) => r.customerId).sort((a, b) => a - b)).toEqual(customers);
    expect(sent.filter((r) => r.status !== 'sent')).toEqual([]);
  }
  return rows;
}

// Temporal's test server has no schedule-to-start timeout on sticky queues: a workflow task handed
// to the killed worker's sticky queue would wait there forever (Temporal's server moves it back to
// the normal queue after stickyQueueScheduleToStartTimeout, as the embedded one never needs to).
describe.runIf(
  runsOnLane({ 'java-test-server': "Temporal's test server never times out a task on a dead worker's sticky queue" }),
)('reliability: a worker killed mid-send', () => {
  let db: Database;
  let env: TestEnv;
  let gw: Gateway;
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await env?.shutdown();
    await gw?.close();
    await db?.close();
  });

  /** The product's worker process, ready once it polls. */
  async function startWorker(bundle: string): Promise<ChildProcess> {
    const child = await startWorkerProcess({
      env,
      db,
      bundle,
      // The product's HTTP provider, to a gateway that deduplicates by key (so a batch a killed
      // worker left in flight may be offered again) and counts what reached phones.
      settings: { HUITOU_SMS_PROVIDER: 'http', HUITOU_SMS_URL: gw.url, HUITOU_SMS_IDEMPOTENT: 'true' },
    });
    workers.push(child);
    return child;
  }

  it('SIGKILLed three times during the sends of 10,000 members: one message per member and node, none lost', async () => {
    db = await openTestDatabase();
    env = await createLaneTestEnv();
    gw = await gateway({ failureRate: 0, seed: 1 });
    const customers = ids(10_000);
    await insertCustomers(db.pool, customers);
    const { codePath } = await workflowBundle();
    let worker = await startWorker(codePath);
    const { runId, handle } = await startRun(db.pool, env, `reliability-kill-${Date.now()}`);
    const result = handle.result();

    const ledgerRows = async () =>
      Number(
        (await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE run_id = $1', [runId])).rows[0].n,
      );
    const total = customers.length * SEND_NODES.length;
    const killsAt = [0.1, 0.45, 0.8].map((f) => Math.round(f * total));
    const killedAfter: number[] = [];
    for (const threshold of killsAt) {
      for (;;) {
        const n = await ledgerRows();
        if (n >= threshold) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      killedAfter.push(await ledgerRows());
      worker = await startWorker(codePath);
    }
    const counts = (await result).counts;
    // Every kill landed while sends were still to be made.
    expect(killedAfter.every((n) => n < total)).toBe(true);
    expect(counts.exit).toMatchObject({ entered: customers.length, exited: customers.length });

    const rows = await expectExactlyOnce(db.pool, runId, customers);
    await expectDelivered(db.pool, runId, gw, rows);
    // Only what a killed worker had in flight (a batch per shard) may have been offered again.
    expect(gw.resentAfterConfirmed()).toBeLessThanOrEqual(killsAt.length * 2 * 1_000);
    worker.kill('SIGINT');
  }, 600_000);
});

type Fault = 'ok' | 'error_before' | 'error_after' | 'hang_before' | 'hang_after' | 'rate_limited';
const FAULTS: Fault[] = ['error_before', 'error_after', 'hang_before', 'hang_after', 'rate_limited'];

/**
 * An SMS gateway on loopback. It deduplicates by message key (a gateway with an idempotency key),
 * records every key it was offered, and fails `failureRate` of calls, spread over every kind of
 * failure, chosen by a seeded generator.
 */
async function gateway(options: { failureRate: number; seed: number }) {
  let state = options.seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  /** Keys that reached a phone (once each: the gateway deduplicates). */
  const delivered = new Set<string>();
  /** Keys offered again after the gateway had answered "sent" for them. */
  let resentAfterConfirmed = 0;
  const confirmed = new Set<string>();
  const faults = new Map<Fault, number>();
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const keys = (JSON.parse(Buffer.concat(chunks).toString()) as { messages: { key: string }[] }).messages.map(
        (m) => m.key,
      );
      resentAfterConfirmed += keys.filter((k) => confirmed.has(k)).length;
      const fault: Fault = random() < options.failureRate ? FAULTS[Math.floor(random() * FAULTS.length)] : 'ok';
      faults.set(fault, (faults.get(fault) ?? 0) + 1);
      const accept = () => keys.forEach((k) => delivered.add(k));
      // Never answered: the client times out. Closed at the end.
      const hang = () => hanging.add(() => res.destroy());
      switch (fault) {
        case 'ok':
          accept();
          keys.forEach((k) => confirmed.add(k));
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ results: keys.map((key) => ({ key, status: 'sent', id: `gw-${key}` })) }));
          return;
        case 'error_before':
          res.writeHead(500).end('internal error');
          return;
        case 'error_after':
          accept();
          res.writeHead(502).end('bad gateway');
          return;
        case 'hang_before':
          hang();
          return;
        case 'hang_after':
          accept();
          hang();
          return;
        case 'rate_limited':
          res.writeHead(429, { 'retry-after': '1' }).end('too many requests');
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`,
    delivered,
    faults,
    resentAfterConfirmed: () => resentAfterConfirmed,
    close: async () => {
      for (const close of hanging) close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type Gateway = Awaited<ReturnType<typeof gateway>>;

/** Every ledger row reached the gateway, which knows each by the id the ledger stored. */
async function expectDelivered(pool: Database['pool'], runId: string, gw: Gateway, rows: { key: string }[]) {
  expect(gw.delivered.size).toBe(rows.length);
  expect(rows.every((r) => gw.delivered.has(r.key))).toBe(true);
  const known = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM messages WHERE run_id = $1 AND provider_message_id = 'gw-' || message_key",
    [runId],
  );
  expect(Number(known.rows[0].n)).toBe(rows.length);
}

// Every failed call costs a retry backoff (up to a minute) in server time: minutes in real time.
describe.runIf(onTimeSkippingLane())('reliability: a provider failing 20% of calls', () => {
  it('sends every message exactly once in the end (5xx, timeouts, rate limits)', async () => {
    const db = await openTestDatabase();
    const gw = await gateway({ failureRate: 0.2, seed: 20_261_111 });
    // The client's timeout must outlast an answered call on a busy machine: a reply read too late is
    // an unknown outcome, offered again (to a deduplicating gateway), which is right but not this test.
    const provider = httpSmsProvider({ url: gw.url, idempotent: true, timeoutMs: 1_500 });
    // Small batches: many provider calls, so every kind of failure occurs.
    const env = await createLaneTestEnv({
      worker: {
        workflowBundle: await workflowBundle(),
        activities: createJourneyActivities({ pool: db.pool, provider, batchSize: 50 }),
      },
    });
    try {
      const customers = ids(3_000);
      await insertCustomers(db.pool, customers);
      const { runId, handle } = await startRun(db.pool, env, `reliability-flaky-${Date.now()}`, 1_000);
      const { counts } = await handle.result();
      expect(counts.exit).toMatchObject({ entered: customers.length, exited: customers.length });

      const rows = await expectExactlyOnce(db.pool, runId, customers);
      await expectDelivered(db.pool, runId, gw, rows);
      // A message the gateway confirmed is never offered again; only failed calls are retried.
      expect(gw.resentAfterConfirmed()).toBe(0);
      // Every kind of failure happened, about a fifth of the calls in all.
      for (const fault of FAULTS) expect(gw.faults.get(fault) ?? 0).toBeGreaterThan(0);
      const calls = [...gw.faults.values()].reduce((a, b) => a + b, 0);
      const failed = calls - (gw.faults.get('ok') ?? 0);
      expect(failed / calls).toBeGreaterThan(0.1);
      expect(failed / calls).toBeLessThan(0.3);
    } finally {
      await env.shutdown();
      await gw.close();
      await db.close();
    }
  }, 600_000);
});
