// Crashes in the start window: the real product (`npm start`: PGlite + the embedded durable
// Temporal server) is killed with SIGKILL at a seeded-random instant while a run start and a
// publish (each with an Idempotency-Key) are in flight, then restarted on the same data. The client
// retries with the same keys (except every fourth run start, where it gives up and the sweep must
// settle the run). Afterwards: every campaign started at most once (runs rows and Temporal
// executions), every publish made at most one version, and no run is left pending.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { until, waitThenSms } from './api/helpers.ts';
import { Product } from '../support/product-process.ts';

const KILLS = 20;
const SEED = 0x14a;

/** mulberry32: a small seeded generator, so a failing schedule of kills can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('kill -9 while campaigns start (the real product)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitou-crash-'));
  let product: Product | undefined;
  let adminKey = '';
  let api = '';
  let temporalAddress = '';
  afterAll(() => {
    product?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    product = new Product({ HUITOU_DATA_DIR: dataDir, PORT: '0', TEMPORAL_DEV_PORT: '0', HUITOU_DEMO_CUSTOMERS: '20' });
    await product.line(/running; press Ctrl\+C to stop/);
    api = (await product.line(/API docs: (http:\/\/\S+)\/api\/docs$/))[1];
    temporalAddress = (await product.line(/Temporal: embedded dev server on (\S+),/))[1];
  };
  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<Answer> => {
    const res = await fetch(api + path, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it(`${KILLS} kills in the start window of a run and a publish: each at most once, none left pending`, async () => {
    const random = seeded(SEED);
    await start();
    adminKey = (await (product as Product).line(/admin API key \(shown once, keep it\): (\S+)$/))[1];

    const journeys: { id: string; retriedRun: boolean; run?: Answer; publish?: Answer }[] = [];
    // What the kills caught: requests cut off before their answer, and runs a restart found pending.
    const caught = { cutOff: 0, pendingAfterRestart: 0 };
    for (let i = 0; i < KILLS; i++) {
      const created = await call('POST', '/api/journeys', { name: `crash ${i}`, draft: waitThenSms });
      const id = created.body.id as string;
      expect((await call('POST', `/api/journeys/${id}/publish`, {})).status).toBe(201);
      const edited = structuredClone(waitThenSms);
      edited.nodes[1].config = { duration: { amount: 3 + i, unit: 'days' } };
      expect((await call('PUT', `/api/journeys/${id}/draft`, { draft: edited })).status).toBe(200);

      // In flight together; answered or cut off by the kill.
      const settle = (p: Promise<Answer>) => p.catch(() => undefined);
      const runFirst = settle(call('POST', `/api/journeys/${id}/runs`, {}, `run-${i}`));
      const publishFirst = settle(call('POST', `/api/journeys/${id}/publish`, {}, `publish-${i}`));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 250)));
      (product as Product).kill();
      await (product as Product).exited;
      const [firstRun, firstPublish] = await Promise.all([runFirst, publishFirst]);
      caught.cutOff += Number(!firstRun) + Number(!firstPublish);

      await start();
      caught.pendingAfterRestart += (await call('GET', `/api/runs?journeyId=${id}&state=pending`)).body.runs.length;
      const publish = await call('POST', `/api/journeys/${id}/publish`, {}, `publish-${i}`);
      expect([200, 201], JSON.stringify(publish.body)).toContain(publish.status);
      expect(publish.body.version).toBe(2);
      if (firstPublish) expect(publish).toEqual(firstPublish);
      const retriedRun = i % 4 !== 3;
      let run: Answer | undefined;
      if (retriedRun) {
        run = await call('POST', `/api/journeys/${id}/runs`, {}, `run-${i}`);
        expect(run.status, JSON.stringify(run.body)).toBe(201);
        expect(run.body.state).not.toBe('pending');
        if (firstRun) expect(run).toEqual(firstRun);
      }
      journeys.push({ id, retriedRun, run, publish });
    }

    // The kills must have landed in the window some of the time, or this test proves nothing.
    console.log(`crash-start: ${JSON.stringify(caught)} over ${KILLS} kills`);
    expect(caught.cutOff).toBeGreaterThan(0);

    // The sweep (scheduler tick, 10 s grace) settles the runs nobody retried.
    await until(
      'no run pending',
      async () => (await call('GET', '/api/runs?state=pending')).body.runs.length === 0,
      60_000,
    );

    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const client = new Client({ connection });
      const executions = new Map<string, number>();
      for await (const w of client.workflow.list({ query: "WorkflowId STARTS_WITH 'run:'" }))
        executions.set(w.workflowId, (executions.get(w.workflowId) ?? 0) + 1);
      for (const j of journeys) {
        const runs = (await call('GET', `/api/runs?journeyId=${j.id}`)).body.runs as {
          id: string;
          state: string;
          workflowId: string | null;
        }[];
        // At most once; exactly once when the client retried.
        expect(runs.length, j.id).toBeLessThanOrEqual(1);
        if (j.retriedRun) expect(runs.map((r) => r.id)).toEqual([j.run?.body.id]);
        for (const r of runs) {
          expect(r.state).not.toBe('pending');
          expect(executions.get(`run:${r.id}`) ?? 0, r.id).toBe(r.state === 'failed_to_start' ? 0 : 1);
        }
        const versions = (await call('GET', `/api/journeys/${j.id}/versions`)).body.versions as { version: number }[];
        expect(versions.map((v) => v.version)).toEqual([2, 1]);
      }
      // No execution without its run row: the runs of all the journeys account for every one.
      expect(
        [...executions.values()].every((n) => n === 1),
        JSON.stringify([...executions]),
      ).toBe(true);
    } finally {
      await connection.close();
    }
  }, 900_000);
});
