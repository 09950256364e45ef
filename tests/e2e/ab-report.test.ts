// An A/B journey's report in Chromium on the real engine: an audience run splits the shop at random
// into two SMS arms; after the texts, arm B's members buy more often than arm A's (orders come in as
// platform events); the checkpoint measures both arms two days later, and the run's report in the
// builder compares the arms with each other and names B the winner, as the API's JSON has it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceAbJourney } from '../support/ab-journeys.ts';
import { launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';
import { openJourney } from './support/journeys.ts';
import { PAGE_POLL, advanceUntilReport } from './support/monitor.ts';
import { until } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const CUSTOMERS = 400;

describe.skipIf(!chromiumPath)("an A/B journey's report in Chromium", () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  let runId: string;
  const pageErrors: string[] = [];
  const api = async (path: string) => engine.api.call('GET', path, { role: 'viewer' });

  beforeAll(async () => {
    engine = await startBrowserEngine({ customers: CUSTOMERS });
    const created = await engine.api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: audienceAbJourney() },
    });
    expect(created.status, created.text).toBe(201);
    journeyId = created.body.id;
    const published = await engine.api.call('POST', `/api/journeys/${journeyId}/publish`, {
      role: 'marketer',
      body: {},
    });
    expect(published.status, published.text).toBe(201);
    const started = await engine.api.call('POST', `/api/journeys/${journeyId}/runs`, {
      role: 'marketer',
      body: {},
      headers: { 'idempotency-key': 'ab-report-e2e-start' },
    });
    expect(started.status, started.text).toBe(201);
    runId = started.body.id;

    // Everyone texted (or held out) and gone through: the checkpoint measures two days after the texts.
    await until(
      'every member through the journey',
      async () => (await api(`/api/runs/${runId}`)).body.live?.exit?.exited === CUSTOMERS,
      120_000,
    );
    const { rows } = await engine.api.db.pool.query<{ customer_id: string; cohort: string }>(
      `SELECT customer_id, cohort FROM run_members WHERE run_id = $1 AND NOT holdout ORDER BY customer_id`,
      [runId],
    );
    // Arm B: every second member buys; arm A: every fifth.
    const buyers = (arm: string, every: number) =>
      rows.filter((r) => r.cohort.endsWith(`/ab.${arm}`)).filter((_, i) => i % every === 0);
    const now = new Date(engine.env.now()).toISOString();
    const res = await engine.api.call('POST', '/api/events', {
      role: 'engineer',
      body: {
        events: [...buyers('a', 5), ...buyers('b', 2)].map((r) => ({
          idempotencyKey: `ab-buy-${r.customer_id}`,
          type: 'order_paid',
          customerId: Number(r.customer_id),
          order: { externalId: `TB-AB-${r.customer_id}`, amount: 99 },
          occurredAt: now,
        })),
      },
    });
    expect(res.status, res.text).toBe(202);
    await engine.api.routed();

    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it("the run's report compares the arms and names the winner", async () => {
    await advanceUntilReport(engine, runId);
    const report = (await api(`/api/runs/${runId}/report`)).body;
    expect(report.ab).toHaveLength(1);
    const ab = report.ab[0];
    expect(ab.verdict).toMatchObject({ winner: 'b', reason: null });
    for (const arm of ab.arms) expect(arm.treatment.targets).toBeGreaterThanOrEqual(100);

    await signIn(page, engine, 'marketer');
    await openJourney(page, engine, journeyId);
    await page.getByTestId('runs').selectOption(runId);
    await page.getByTestId('monitor').waitFor();
    await page.getByTestId('tab-report').click();
    const split = page.getByTestId('ab-ab');
    await split.waitFor({ timeout: PAGE_POLL });
    expect(await split.getAttribute('data-winner')).toBe('b');
    // The arms side by side, as the API counts them.
    for (const arm of ab.arms) {
      expect(await split.locator(`[data-cell="${arm.key}.targets"]`).getAttribute('data-value')).toBe(
        String(arm.treatment.targets),
      );
      expect(await split.locator(`[data-cell="${arm.key}.rate"]`).getAttribute('data-value')).toBe(
        String(arm.treatment.metrics.responseRate),
      );
    }
    const points = (ab.verdict.margin.absolute * 100).toFixed(1);
    expect(await split.getByTestId('ab-verdict').innerText()).toBe(`B 组胜出：转化率高 ${points} 个百分点（95% 置信）`);
    expect(await split.getByTestId('ab-margin').getAttribute('data-significant')).toBe('true');
    await split.screenshot({ path: readmeScreenshot('ab-report.png') });
    expect(pageErrors).toEqual([]);
  });
});
