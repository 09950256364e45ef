// The API's try-it page (GET /api/docs/try-it) in Debian's Chromium: Swagger UI from the installed
// package lists every operation of the OpenAPI document, and an engineer authorizes with an API key
// and runs GET /api/me from the page, getting the key's own answer back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApi } from '../integration/api/helpers.ts';
import type { TestApi } from '../integration/api/helpers.ts';
import { launchChromium } from './support/browser.ts';
import { readmeScreenshot } from './support/engine.ts';

describe('API try-it page', () => {
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startTestApi();
    browser = await launchChromium(process.env.CHROMIUM_PATH as string);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('lists every operation and runs one with an API key', async () => {
    const document = (await api.call('GET', '/api/openapi.json', { role: null })).body as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const operations = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Everything it loads is ours: nothing goes to a CDN.
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(api.url)) foreign.push(r.url());
    });
    await page.goto(`${api.url}/api/docs/try-it`);
    await page.locator('.opblock').first().waitFor({ timeout: 60_000 });
    // Tags are collapsed into sections; all start open, so every operation is on the page.
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 30_000 }).toBe(operations);

    await page.locator('.btn.authorize').first().click();
    await page.locator('.auth-container input').first().fill(api.keys.engineer);
    await page.locator('.auth-container .btn.modal-btn.auth').first().click();
    await page.locator('.btn-done').first().click();

    const { tags, operationId } = document.paths['/api/me'].get;
    const me = page.locator(`#operations-${tags[0]}-${operationId}`);
    await me.locator('.opblock-summary').click();
    await me.locator('.try-out__btn').click();
    await me.locator('.execute').click();
    const status = me.locator('.live-responses-table .response .response-col_status').first();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain('200');
    await expect
      .poll(() => me.locator('.live-responses-table .microlight').first().textContent())
      .toContain('engineer');
    // The top of the page (the key the test used shows in the curl line further down).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: readmeScreenshot('api-try-it.png') });

    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
