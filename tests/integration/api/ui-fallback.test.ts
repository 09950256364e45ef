// The built UI's single-page fallback: any non-API path answers index.html, and a nested one
// (a shared link to /journeys/7/report) carries <base href="/"> so its relative assets load.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>';

describe('the builder UI served by the engine', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huitou-ui-'));
    await writeFile(join(dir, 'index.html'), INDEX);
    api = await startTestApi({}, undefined, { uiDir: dir });
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a deep link with index.html rooted at /', async () => {
    for (const path of ['/journeys/7/report', '/journeys/7/runs/r-1', '/customers/42', '/runs']) {
      const res = await api.call('GET', path, { role: null });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.text, path).toContain('<head><base href="/"><script type="module" src="./assets/app.js">');
    }
  });

  it('leaves API paths to the API (JSON 404, not the page)', async () => {
    const res = await api.call('GET', '/api/no-such-thing', { role: null });
    expect(res.text).not.toContain('<base');
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
