// The builder on the real engine: a marketer builds a journey by drag, validates it on the server,
// publishes and starts it; the run really runs (time-skipping Temporal, real worker); ops pause and
// resume it from the monitor; the report in the page equals the API's JSON and CSV; a viewer sees
// no publish and no controls; the 11.11 template publishes as well.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { signIn, signOut, startBrowserEngine } from './support/engine.ts';
import { connect, dropFromPalette, problemCount } from './support/canvas.ts';
import { newJourney } from './support/journeys.ts';
import {
  advanceUntilReport,
  expectCanvasCounts,
  expectMessageStats,
  expectReport,
  pauseAndResume,
} from './support/monitor.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const CUSTOMERS = 60;

describe.skipIf(!chromiumPath)('the builder on the real API, in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  let runId: string;
  const pageErrors: string[] = [];

  const api = (path: string, role: 'viewer' | 'ops' = 'viewer') => engine.api.call('GET', path, { role });
  const openMonitor = async () => {
    await page.getByTestId('runs').selectOption(runId);
    await page.getByTestId('monitor').waitFor();
  };

  beforeAll(async () => {
    engine = await startBrowserEngine({ customers: CUSTOMERS });
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors, { acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('asks for a key, says why a bad one fails, and shows the role of a good one', async () => {
    await page.getByTestId('api-key').fill('hk_not-a-key');
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('signin-error').innerText()).resolves.toContain('密钥无效');
    await signIn(page, engine, 'marketer');
    await expect(page.getByTestId('role').innerText()).resolves.toBe('营销');
  });

  it('a marketer builds a journey by drag, validates it on the server and publishes it', async () => {
    await newJourney(page, 'blank');
    await page.getByTestId('journey-name').fill('新品提醒');
    await dropFromPalette(page, 'entry.audience', 120, 120);
    await dropFromPalette(page, 'action.sms', 400, 120);
    await dropFromPalette(page, 'eval.checkpoint', 680, 120);
    await dropFromPalette(page, 'wait.delay', 120, 380);
    await dropFromPalette(page, 'exit', 400, 380);
    for (const id of ['audience_1', 'sms_1', 'checkpoint_1', 'delay_1', 'exit_1'])
      await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'audience_1', 'out', 'sms_1');
    await connect(page, 'sms_1', 'out', 'checkpoint_1');
    await connect(page, 'checkpoint_1', 'out', 'delay_1');
    await connect(page, 'delay_1', 'out', 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);

    await page.getByTestId('node-sms_1').click();
    await page.getByTestId('sms-template').fill('{nickname}，新品上架，会员专享9折，进店看看');
    await page.getByTestId('node-checkpoint_1').click();
    await page.locator('#checkpoint_1-name').fill('第2天');
    await page.getByTestId('field-anchors').locator('label', { hasText: 'sms_1' }).locator('input').check();
    await page.locator('#checkpoint_1-offset').fill('2');
    await page.getByTestId('node-delay_1').click();
    await page.locator('#delay_1-duration').fill('3');
    await page.getByTestId('tab-settings').click();
    await page.locator('#s-signature').fill('【回头小店】');
    await page.locator('#s-holdout').fill('20');
    // No quiet hours: the SMS goes out at once whatever the hour, so the members wait at the delay.
    await page.locator('label.switch', { has: page.locator('#s-quiet') }).click();
    expect(await page.locator('#s-quiet').isChecked()).toBe(false);
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.getByTestId('auto-layout').click();

    // The draft autosaves to the API; the server's compiler agrees with the live one.
    journeyId = (await api('/api/journeys')).body.journeys[0].id;
    await expect.poll(async () => (await api(`/api/journeys/${journeyId}`)).body.draft.nodes.length).toBe(5);
    await page.getByTestId('validate').click();
    await expect(page.getByTestId('toast').innerText()).resolves.toBe('服务端校验通过');
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifact('journey-run-builder.png') });

    await page.getByTestId('publish').click();
    await page.getByTestId('publish-notes').fill('新品提醒第一版');
    const [publishRequest] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/publish')),
      page.getByTestId('publish-confirm').click(),
    ]);
    // A campaign write carries a key, so a retry after a lost answer never publishes twice.
    expect(publishRequest.headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    await page.getByTestId('start-run').waitFor();
    const versions = (await api(`/api/journeys/${journeyId}/versions`)).body.versions;
    expect(versions).toMatchObject([{ version: 1, notes: '新品提醒第一版' }]);
    const graph = (await api(`/api/journeys/${journeyId}/versions/1`)).body.graph;
    expect(graph.nodes.find((n: { id: string }) => n.id === 'delay_1').config.duration).toEqual({
      amount: 3,
      unit: 'days',
    });
  });

  it('starts the run: the monitor shows the API live counts and message stats on the canvas', async () => {
    await page.getByTestId('start-run').click(); // the review first; confirming starts the run
    const [startRequest] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/journeys/${journeyId}/runs`)),
      page.getByTestId('run-confirm').click(),
    ]);
    expect(startRequest.headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    await page.getByTestId('monitor').waitFor();
    runId = (await api(`/api/runs?journeyId=${journeyId}`)).body.runs[0].id;
    // Time is locked: the members wait at the three-day delay until the test lets time pass.
    const live = await expect
      .poll(async () => (await api(`/api/runs/${runId}`)).body.live?.delay_1?.waiting ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0)
      .then(
        async () =>
          (await api(`/api/runs/${runId}`)).body.live as Record<
            string,
            { entered: number; waiting: number; exited: number }
          >,
      );
    await expectCanvasCounts(page, live);
    const messages = (await api(`/api/runs/${runId}/messages`)).body;
    expect(messages.total.sent + messages.total.skipped + messages.total.pending).toBeGreaterThan(0);
    await expectMessageStats(page, messages.total);
    // A marketer may start runs but not control them.
    expect(await page.getByTestId('control-pause').count()).toBe(0);
    await page.screenshot({ path: artifact('journey-run-monitor.png') });
    await page.getByTestId('monitor-close').click();
    await signOut(page);
  });

  it('ops pauses and resumes the run from the monitor, after confirming; the API state follows', async () => {
    await signIn(page, engine, 'ops');
    await openMonitor();
    await pauseAndResume(page, async () => (await api(`/api/runs/${runId}`, 'ops')).body.state);
  });

  it("the report's numbers equal the API's JSON, and the CSV link is the API's CSV", async () => {
    // Let server time pass until the checkpoint (two days after the SMS) has been evaluated.
    const rows = await advanceUntilReport(engine, runId);

    await expectReport(page, rows);
    expect(rows[0].treatment.targets + rows[0].holdout.targets).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    // Byte for byte, the BOM that makes Excel read UTF-8 included.
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe((await api(`/api/runs/${runId}/report.csv`)).text);
    await page.screenshot({ path: artifact('journey-run-report.png') });
    await page.getByTestId('monitor-close').click();
    await signOut(page);
  });

  it('a viewer sees the journey and the run but no publish and no controls', async () => {
    await signIn(page, engine, 'viewer');
    await page.getByTestId('readonly-banner').waitFor();
    expect(await page.getByTestId('publish').count()).toBe(0);
    expect(await page.getByTestId('palette-action.sms').isDisabled()).toBe(true);
    await openMonitor();
    expect(await page.getByTestId('control-pause').count()).toBe(0);
    await page.getByTestId('monitor-close').click();
    await signOut(page);
  });

  it('a marketer turns the 11.11 template into a journey and publishes it', async () => {
    await signIn(page, engine, 'marketer');
    await newJourney(page, 'newBuyer1111');
    await page.getByTestId('node-split_category').waitFor();
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.getByTestId('validate').click();
    await expect(page.getByTestId('toast').innerText()).resolves.toBe('服务端校验通过');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('start-run').waitFor();
    const journeys = (await api('/api/journeys')).body.journeys as { name: string; latestVersion: number | null }[];
    expect(journeys.find((j) => j.name.includes('双11'))?.latestVersion).toBe(1);
    await page.screenshot({ path: artifact('10-template-1111-published-zh.png') });
    expect(pageErrors).toEqual([]);
  });
});
