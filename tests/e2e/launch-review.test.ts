// Launching through the review, in Chromium on the real engine: publishing shows the audience the
// engine counted, the estimated SMS and cost, the quiet hours and the holdout before anything
// happens; running asks again and names the action; a run started at 23:00 (Shanghai) shows, in the
// monitor, that everyone waits out the quiet hours and when they will be texted. A triggered
// journey says who will enter from now on and offers no run by hand.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';
import { connect, dropFromPalette, problemCount } from './support/canvas.ts';
import { newJourney } from './support/journeys.ts';
import { nextUtcHour } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const CUSTOMERS = 20;
const DAY = 86_400_000;

describe.skipIf(!chromiumPath)('launch through the review, in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  const pageErrors: string[] = [];
  const api = (path: string) => engine.api.call('GET', path, { role: 'viewer' });

  beforeAll(async () => {
    engine = await startBrowserEngine({ customers: CUSTOMERS });
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
    await signIn(page, engine, 'marketer');
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('publishing opens the review: the counted audience, SMS and cost, quiet hours, holdout; confirm publishes', async () => {
    await newJourney(page, 'blank');
    await page.getByTestId('journey-name').fill('上新提醒');
    await dropFromPalette(page, 'entry.audience', 120, 160);
    await dropFromPalette(page, 'action.sms', 420, 160);
    await dropFromPalette(page, 'exit', 720, 160);
    await dropFromPalette(page, 'eval.checkpoint', 120, 420);
    await connect(page, 'audience_1', 'out', 'checkpoint_1');
    await connect(page, 'checkpoint_1', 'out', 'sms_1');
    await connect(page, 'sms_1', 'out', 'exit_1');
    await page.getByTestId('node-sms_1').click();
    await page.getByTestId('sms-template').fill('新品上架，会员专享9折，进店看看');
    // An evaluation 7 days after entry: the report's empty state says when it lands.
    await page.getByTestId('node-checkpoint_1').click();
    await page.locator('#checkpoint_1-name').fill('第7天');
    await page.getByTestId('field-anchors').locator('label', { hasText: 'audience_1' }).locator('input').check();
    await page.locator('#checkpoint_1-offset').fill('7');
    await page.getByTestId('tab-settings').click();
    await page.locator('#s-signature').fill('【回头小店】');
    await expect.poll(() => problemCount(page), { timeout: 10_000 }).toBe(0);
    journeyId = (await api('/api/journeys')).body.journeys[0].id;

    await page.getByTestId('publish').click();
    const dialog = page.getByTestId('review-dialog');
    await dialog.getByTestId('review-audience').waitFor();
    const review = (await api(`/api/journeys/${journeyId}/review`)).body;
    expect(review).toMatchObject({ audienceCount: CUSTOMERS, kind: 'audience', estimatedMessages: 18 });
    await expect(dialog.getByTestId('review-audience').innerText()).resolves.toContain(`${CUSTOMERS} 人`);
    await expect(dialog.getByTestId('review-messages').innerText()).resolves.toContain('最多 18 条');
    await expect(dialog.getByTestId('review-messages').innerText()).resolves.toContain(
      `¥${review.estimatedCost.toFixed(2)}`,
    );
    await expect(dialog.getByTestId('review-window').innerText()).resolves.toContain('08:00–21:00 发送');
    await expect(dialog.getByTestId('review-holdout').innerText()).resolves.toContain('10%');
    await expect(dialog.getByTestId('review-start').innerText()).resolves.toContain('确认后立即开始');
    await expect(page.getByTestId('publish-confirm').innerText()).resolves.toBe('确认发布');
    await page.screenshot({ path: readmeScreenshot('review.png') });
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('start-run').waitFor();
    expect((await api(`/api/journeys/${journeyId}/versions`)).body.versions).toHaveLength(1);
  });

  it('running opens the review again; a run at 23:00 shows everyone waiting out the quiet hours until 08:00', async () => {
    await engine.env.sleep(nextUtcHour(engine.env.now(), 15) - engine.env.now()); // 23:00 in Shanghai
    await page.getByTestId('start-run').click();
    await page.getByTestId('review-dialog').getByTestId('review-audience').waitFor();
    expect(await page.getByTestId('review-dialog').getAttribute('data-kind')).toBe('audience');
    await expect(page.getByTestId('run-confirm').innerText()).resolves.toBe('确认开始运行');
    // Nothing started before confirming.
    expect((await api(`/api/runs?journeyId=${journeyId}`)).body.runs).toHaveLength(0);
    await page.getByTestId('run-confirm').click();
    await page.getByTestId('monitor').waitFor();

    const runId = (await api(`/api/runs?journeyId=${journeyId}`)).body.runs[0].id;
    const reason = page.locator('[data-testid="waiting-reason"][data-reason="quiet_hours"]');
    await reason.waitFor({ timeout: 60_000 });
    const waiting = (await api(`/api/runs/${runId}`)).body.waiting;
    expect(waiting).toEqual([
      {
        nodeId: 'sms_1',
        reason: 'quiet_hours',
        members: CUSTOMERS,
        until: new Date(nextUtcHour(engine.env.now(), 0)).toISOString(),
      },
    ]);
    const text = await reason.innerText();
    expect(text).toContain(`${CUSTOMERS} 人在免打扰时段等待`);
    expect(text).toMatch(/08:00 发送/);
    await page.screenshot({ path: readmeScreenshot('monitor-waiting.png') });

    // No evaluation yet: the report says when the first one lands (7 days after entry).
    const due = (await api(`/api/runs/${runId}`)).body.nextCheckpointAt as string;
    expect(Date.parse(due)).toBeGreaterThan(engine.env.now() + 6 * DAY);
    await page.getByTestId('tab-report').click();
    const shanghai = new Date(Date.parse(due) + 8 * 3_600_000);
    await expect
      .poll(() => page.getByTestId('report-empty').innerText(), { timeout: 15_000 })
      .toContain(`首个评估将在 ${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日`);
    await page.getByTestId('monitor-close').click();
  });

  it('a triggered journey: the review says every new order enters from now on; no run by hand', async () => {
    await page.getByTestId('banner-back').click(); // from the published version back to the draft
    await newJourney(page, 'paymentReminder');
    await expect.poll(() => problemCount(page), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('publish').click();
    const trigger = page.getByTestId('review-dialog').getByTestId('review-trigger');
    await trigger.waitFor();
    await expect(trigger.locator('b').innerText()).resolves.toBe(
      '发布后，从现在起每一笔新的「下单未付款」订单都会进入此旅程',
    );
    expect(await page.getByTestId('review-start').count()).toBe(0);
    await expect(page.getByTestId('publish-confirm').innerText()).resolves.toBe('确认发布并开始');
    await page.screenshot({ path: artifact('launch-review-triggered.png') });
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('readonly-banner').waitFor();
    await expect.poll(async () => page.getByTestId('banner-back').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('start-run').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
