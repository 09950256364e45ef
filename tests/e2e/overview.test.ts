// The shop overview in Chromium on the demo shop: a marketer opens 店铺概览 from the side navigation,
// picks a range and the week, hovers a column and an RFM group (the tip shows the API's numbers),
// switches M to average order value, downloads the CSV (the API's, byte for byte) and clicks an RFM
// group into a new segment (/segments/new?name=&definition=, the segment the group counts).
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfmGroups } from '@huitou/schemas';
import type { ShopOverview } from '@huitou/schemas/http';
import { rfmSegment } from '../../builder-ui/src/pages/overview/overview-model.ts';
import { launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const [FROM, TO] = ['2026-08-23', '2026-11-20'];
const money = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe.skipIf(!chromiumPath)('the shop overview in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const api = async (query: string): Promise<ShopOverview> => {
    const res = await engine.api.call('GET', `/api/shop/overview?${query}`, { role: 'viewer' });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    engine = await startBrowserEngine({ demoShop: 400 });
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors, { acceptDownloads: true });
    await signIn(page, engine, 'marketer');
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('opens from the navigation, switches the period, and shows numbers on hover', async () => {
    // Home is the side-navigation shell once the workspace home lands; until then it is the journey
    // editor, and any workspace page (runs) has the same navigation.
    await page.locator('[data-testid="nav-overview"], [data-testid="templates-gallery"]').first().waitFor();
    if ((await page.getByTestId('nav-overview').count()) === 0) await page.goto(`${engine.url}runs`);
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('overview-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/overview');
    await page.getByTestId('overview-rfm-group').first().waitFor();

    await page.getByTestId('overview-from').fill(FROM);
    await page.getByTestId('overview-to').fill(TO);
    await page.getByTestId('overview-period-week').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('week');
    const weeks = await api(`period=week&from=${FROM}&to=${TO}`);
    expect(weeks.trend.length).toBeGreaterThan(10);
    const trend = page.getByTestId('overview-trend');
    await expect.poll(() => trend.getByTestId('overview-column').count()).toBe(weeks.trend.length);
    await expect.poll(() => page.locator('[data-testid="overview-page"][aria-busy="false"]').count()).toBe(1);

    // The busiest week's column: its tip is the API's sales, orders and buyers.
    const busiest = weeks.trend.reduce((a, b) => (b.sales > a.sales ? b : a));
    expect(busiest.sales).toBeGreaterThan(0);
    await trend.locator(`[data-period="${busiest.period}"]`).hover();
    const tip = trend.getByTestId('overview-tip');
    await expect.poll(() => tip.textContent()).toContain(money(busiest.sales));
    expect(await tip.textContent()).toContain(`订单 ${busiest.orders.toLocaleString('zh-CN')}`);
    await page.screenshot({ path: readmeScreenshot('overview.png') });

    // An RFM group: its size on hover, as the API counts it.
    const group = weeks.rfm.reduce((a, b) => (b.customers > a.customers ? b : a));
    const rfm = page.getByTestId('overview-rfm');
    await rfm.locator(`[data-group="${group.group}"]`).hover();
    await expect
      .poll(() => rfm.getByTestId('overview-tip').textContent())
      .toBe(`${rfmGroups[group.group].label.zh}：${group.customers.toLocaleString('zh-CN')} 人`);
    expect(pageErrors).toEqual([]);
  });

  it('scores M by average order value and downloads the CSV of what it shows', async () => {
    await page.getByTestId('overview-monetary-aov').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('monetary')).toBe('aov');
    const aov = await api(`period=week&from=${FROM}&to=${TO}&monetary=aov`);
    expect(aov.monetary).toBe('aov');
    const shown = () => page.locator('[data-testid="overview-rfm-group"] .ov-tile-count').allTextContents();
    await expect.poll(shown).toEqual(aov.rfm.map((g) => g.customers.toLocaleString('zh-CN')));

    const csvLink = page.getByTestId('overview-csv');
    await expect.poll(() => csvLink.isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const fromApi = await engine.api.call(
      'GET',
      `/api/shop/overview.csv?period=week&monetary=aov&from=${FROM}&to=${TO}&lang=zh`,
      { role: 'viewer' },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe(fromApi.text);
    expect(csv.slice(1).split('\r\n')[0]).toBe('指标,数值');
    expect(download.suggestedFilename()).toBe(`shop-overview-${FROM}-${TO}-week.csv`);
    expect(pageErrors).toEqual([]);
  });

  it('clicks an RFM group into a new segment of that group', async () => {
    const aov = await api(`period=week&from=${FROM}&to=${TO}&monetary=aov`);
    const group = aov.rfm.find((g) => g.customers > 0);
    expect(group).toBeDefined();
    const id = group?.group as keyof typeof rfmGroups;
    await page.locator(`[data-testid="overview-rfm-group"][data-group="${id}"]`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/segments/new');
    const url = new URL(page.url());
    expect(url.searchParams.get('name')).toContain(rfmGroups[id].label.zh);
    const definition = JSON.parse(url.searchParams.get('definition') as string);
    expect(definition).toEqual(rfmSegment(id, 'aov'));
    // The segment counts the group's customers.
    const preview = await engine.api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: definition, sampleSize: 0 },
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.count).toBe(group?.customers);
    expect(pageErrors).toEqual([]);
  });
});
