// The report of a triggered journey in Chromium on the real engine: two unpaid orders enter the
// published 催付 template through platform events and one is paid; a marketer opens the journey's
// report, sees today's figures (as the API's JSON has them), the per-node counts on the canvas,
// switches to the week and to a custom range, and downloads the CSV (the API's, byte for byte).
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';
import { openJourney } from './support/journeys.ts';
import { expectCanvasCounts, PAGE_POLL } from './support/monitor.ts';
import { until } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

describe.skipIf(!chromiumPath)('the report of a triggered journey in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  const pageErrors: string[] = [];
  const api = async (path: string) => engine.api.call('GET', path, { role: 'viewer' });

  beforeAll(async () => {
    engine = await startBrowserEngine();
    const created = await engine.api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: journeyTemplates.paymentReminder },
    });
    journeyId = created.body.id;
    const published = await engine.api.call('POST', `/api/journeys/${journeyId}/publish`, {
      role: 'marketer',
      body: {},
    });
    expect(published.status).toBe(201);
    let n = 0;
    const post = async (type: string, buyer: string, order: Record<string, unknown>) => {
      const res = await engine.api.call('POST', '/api/events', {
        role: 'engineer',
        body: {
          idempotencyKey: `e2e-report-${(n += 1)}`,
          type,
          customer: { externalId: buyer, nickname: buyer, phone: `1380013800${n}` },
          order,
          occurredAt: new Date(engine.env.now()).toISOString(),
        },
      });
      expect(res.status, res.text).toBe(202);
      await engine.api.routed();
    };
    await post('order_created', 'tb_小美', { externalId: 'TB-7001', amount: 128 });
    await post('order_created', 'tb_小丽', { externalId: 'TB-7002', amount: 66 });
    await post('order_paid', 'tb_小美', { externalId: 'TB-7001' });
    await until('both buyers entered, the paid one left', async () => {
      const report = (await api(`/api/journeys/${journeyId}/report`)).body;
      return report.entered === 2 && report.converted === 1;
    });

    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors, { acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it("a marketer sees today's report, the canvas counts, another period, and downloads the CSV", async () => {
    await signIn(page, engine, 'marketer');
    await openJourney(page, engine, journeyId);
    await page.getByTestId('open-journey-report').click();
    const panel = page.getByTestId('journey-report');
    await panel.waitFor();

    // Today, as the API answers it.
    const today = (await api(`/api/journeys/${journeyId}/report`)).body;
    await expect.poll(() => panel.getAttribute('data-entered'), { timeout: PAGE_POLL }).toBe('2');
    expect(await panel.getAttribute('data-from')).toBe(today.from);
    const tile = (key: string) => panel.locator(`[data-cell="${key}"] b`).innerText();
    expect(await tile('entered')).toBe('2');
    expect(await tile('converted')).toBe('1');
    expect(await tile('gmv')).toBe('¥128.00');
    expect(await panel.innerText()).toContain('挽回金额');
    for (const arm of ['treatment', 'holdout'] as const)
      expect(await panel.locator(`[data-cell="${arm}.targets"]`).getAttribute('data-value')).toBe(
        String(today[arm].targets),
      );
    const exitPaid = panel.locator('[data-testid="report-nodes"] tr[data-node="exit_paid"] td').first();
    expect(await exitPaid.getAttribute('data-value')).toBe('1');
    await page.screenshot({ path: readmeScreenshot('journey-report.png') });

    // The canvas: members per node, as the API's node counts.
    await page.getByTestId('tab-canvas').click();
    await expectCanvasCounts(
      page,
      Object.fromEntries(
        today.nodes.map((c: { nodeId: string; reached: number; waiting: number; exited: number }) => [
          c.nodeId,
          { entered: c.reached, waiting: c.waiting, exited: c.exited },
        ]),
      ),
    );
    await page.screenshot({ path: artifact('journey-report-canvas.png') });
    await page.getByTestId('tab-report').click();

    // This week: from Monday, the same two buyers.
    await page.getByTestId('period-week').click();
    const week = (await api(`/api/journeys/${journeyId}/report?period=week`)).body;
    await expect.poll(() => panel.getAttribute('data-from'), { timeout: PAGE_POLL }).toBe(week.from);
    expect(await panel.getAttribute('data-entered')).toBe('2');

    // A custom range before anyone entered: nobody.
    await page.getByTestId('period-custom').click();
    await page.getByTestId('period-from').fill('2026-01-01');
    await page.getByTestId('period-until').fill('2026-01-07');
    await expect.poll(() => panel.getAttribute('data-entered'), { timeout: PAGE_POLL }).toBe('0');
    await expect.poll(() => panel.getAttribute('data-from'), { timeout: PAGE_POLL }).toBe('2025-12-31T16:00:00.000Z');
    expect(await page.getByTestId('report-range').innerText()).toContain('2026-01-01 – 2026-01-07');

    // Back to the day, and its CSV: the API's file, the byte order mark included.
    await page.getByTestId('period-day').click();
    await expect.poll(() => panel.getAttribute('data-entered'), { timeout: PAGE_POLL }).toBe('2');
    const csvLink = page.getByTestId('report-csv');
    await csvLink.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe((await api(`/api/journeys/${journeyId}/report?format=csv`)).text);
    // The builder is in Chinese: so is the file's header row.
    expect(csv.slice(1).split('\r\n')[0]).toBe('指标,节点,合计,触达组,对照组');
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^journey-${journeyId}-report-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    expect(pageErrors).toEqual([]);
  });
});
