// `npm start` as a newcomer runs it: the real product (node --import tsx engine/src/main.ts) on a
// fresh data folder, PGlite and the embedded durable Temporal server. First start prints the URLs
// and an admin key and seeds the demo shop; Ctrl+C shuts down in order with exit code 0; the next
// start on the same folder prints no key, seeds nothing and the running journey (waiting two days,
// in real time) is still running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until, waitThenSms } from './api/helpers.ts';
import { Product } from '../support/product-process.ts';

const DEMO_CUSTOMERS = 200;

async function started(product: Product) {
  await product.line(/running; press Ctrl\+C to stop/);
  const builder = (await product.line(/builder: (http:\/\/\S+\/)$/))[1];
  const docs = (await product.line(/API docs: (http:\/\/\S+\/api\/docs)$/))[1];
  return { builder, docs, api: builder.replace(/\/$/, '') };
}

describe('npm start (the real product, PGlite + embedded durable Temporal)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitou-start-'));
  const products: Product[] = [];
  afterAll(() => {
    for (const p of products) p.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let adminKey = '';
  let runId = '';
  const call = async (base: string, method: string, path: string, body?: unknown, key = adminKey) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
      type: res.headers.get('content-type') ?? '',
    };
  };
  const demoShopSize = async (api: string) =>
    (
      await call(api, 'POST', '/api/segments/preview', {
        segment: { where: { kind: 'all', of: [] }, exclude: [] },
        sampleSize: 0,
      })
    ).body.count;
  const parkedAtWait = (api: string) =>
    until(
      'the members parked at the wait',
      async () => {
        const detail = await call(api, 'GET', `/api/runs/${runId}`);
        return detail.body?.live?.wait?.waiting === DEMO_CUSTOMERS && detail.body;
      },
      60_000,
    );

  it('first start: prints the builder URL, the API docs and an admin key; seeds the demo shop; all of it answers', async () => {
    const product = new Product({
      HUITOU_DATA_DIR: dataDir,
      PORT: '0',
      TEMPORAL_DEV_PORT: '0',
      HUITOU_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS),
    });
    products.push(product);
    const { builder, docs, api } = await started(product);
    adminKey = (await product.line(/admin API key \(shown once, keep it\): (\S+)$/))[1];
    await product.line(new RegExp(`demo shop: ${DEMO_CUSTOMERS} customers`));

    const page = await call(builder, 'GET', '', undefined, '');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    // The built builder, not a placeholder: its script is served too.
    const script = page.text.match(/<script[^>]+src="(?:\.?\/)?(assets\/[^"]+\.js)"/)?.[1];
    expect(script, page.text).toBeDefined();
    const asset = await call(builder, 'GET', script as string, undefined, '');
    expect([asset.status, asset.type]).toEqual([200, expect.stringContaining('javascript')]);
    const docsPage = await call(docs, 'GET', '', undefined, '');
    expect(docsPage.status).toBe(200);
    expect(docsPage.type).toContain('text/html');
    expect((await call(api, 'GET', '/api/openapi.json', undefined, '')).body.paths).toHaveProperty([
      '/api/journeys/{id}/runs',
    ]);

    // The admin key works, and the API is not open without it.
    expect((await call(api, 'GET', '/api/journeys', undefined, '')).status).toBe(401);
    expect((await call(api, 'GET', '/api/journeys')).status).toBe(200);
    expect(await demoShopSize(api)).toBe(DEMO_CUSTOMERS);

    // A journey with a long wait, published and started: everyone waits in it.
    const journey = await call(api, 'POST', '/api/journeys', { draft: waitThenSms });
    expect(journey.status).toBe(201);
    expect((await call(api, 'POST', `/api/journeys/${journey.body.id}/publish`, { notes: 'start test' })).status).toBe(
      201,
    );
    const run = await call(api, 'POST', `/api/journeys/${journey.body.id}/runs`, {});
    expect(run.body).toMatchObject({ state: 'running', workflowId: `run:${run.body.id}` });
    runId = run.body.id;
    expect(await parkedAtWait(api)).toMatchObject({ state: 'running', memberCount: DEMO_CUSTOMERS });

    // Ctrl+C: an orderly shutdown, exit code 0.
    expect(await product.interrupt()).toBe(0);
    const shutdown = product.lines.findIndex((l) => l.includes('SIGINT received, shutting down'));
    expect(shutdown).toBeGreaterThan(-1);
    expect(product.lines.slice(shutdown).filter((l) => l.startsWith('[huitou]'))).toEqual([
      '[huitou] SIGINT received, shutting down',
      '[huitou] stopped',
    ]);
  });

  it('next start on the same data: no new admin key, no second demo shop, and the run is still running', async () => {
    expect(runId).not.toBe('');
    const product = new Product({
      HUITOU_DATA_DIR: dataDir,
      PORT: '0',
      TEMPORAL_DEV_PORT: '0',
      HUITOU_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS),
    });
    products.push(product);
    const { api } = await started(product);
    expect(product.lines.filter((l) => /admin API key|seeding the demo shop|building the builder UI/.test(l))).toEqual(
      [],
    );
    expect(await demoShopSize(api)).toBe(DEMO_CUSTOMERS);

    const run = await call(api, 'GET', `/api/runs/${runId}`);
    expect(run.status).toBe(200);
    expect(run.body.state).toBe('running');
    // Live counts come from the workflow itself, so it is alive on the restarted Temporal server.
    expect(await parkedAtWait(api)).toMatchObject({ state: 'running', endedAt: null });

    expect(await product.interrupt()).toBe(0);
    expect(product.lines.at(-1)).toBe('[huitou] stopped');
  });
});
