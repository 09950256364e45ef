// The data pages in Chromium on the real engine (issue 18 §5): publishing a journey drawn as
// recurring offers its schedule; the Schedules page creates, pauses, resumes and deletes; the
// Imports page uploads a file with errors (shown by line and column), then a good one, with the
// history below; the Opt-outs page adds by phone and by customer, searches and removes with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';
import { waitThenSms } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

describe.skipIf(!chromiumPath)('the data pages in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  const pageErrors: string[] = [];
  const get = (path: string) => engine.api.call('GET', path, { role: 'admin' });
  const open = async (path: string) => {
    await page.goto(`${engine.url}${path}`);
  };

  beforeAll(async () => {
    engine = await startBrowserEngine({ customers: 3 });
    const drawn = structuredClone(waitThenSms);
    Object.assign(drawn.nodes[0]?.config ?? {}, { schedule: { kind: 'recurring', every: 'day', at: '09:30' } });
    const created = await engine.api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { name: '每日上新提醒', draft: drawn },
    });
    expect(created.status, created.text).toBe(201);
    journeyId = created.body.id;
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
    await signIn(page, engine, 'admin');
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('after publishing a journey drawn as recurring, the editor offers the schedule and creates it', async () => {
    await open(`journeys/${journeyId}`);
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    const offer = page.getByTestId('schedule-offer');
    await offer.waitFor();
    await expect(offer.innerText()).resolves.toContain('每天 09:30');
    await offer.getByTestId('schedule-offer-create').click();
    await expect(offer.getByTestId('schedule-offer-status').innerText()).resolves.toContain('已创建');
    const listed = (await get(`/api/journeys/${journeyId}/schedules`)).body;
    expect(listed.schedules).toHaveLength(1);
    expect(listed.schedules[0]).toMatchObject({ every: 'day', at: '09:30', state: 'active', versionId: null });
    await offer.getByTestId('schedule-offer-close').click();
    await offer.waitFor({ state: 'detached' });
  });

  it('the Schedules page lists, creates, pauses, resumes and deletes', async () => {
    await open('schedules');
    const rows = page.getByTestId('schedule-list').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const [first] = (await get('/api/schedules')).body.schedules;

    await page.getByTestId('schedule-journey').selectOption(journeyId);
    await page.getByTestId('schedule-every').selectOption('week');
    await page.getByTestId('schedule-weekday-pick').selectOption('3');
    await page.getByTestId('schedule-at').fill('10:00');
    await page.getByTestId('schedule-create').click();
    await expect.poll(() => rows.count()).toBe(2);
    const all = (await get('/api/schedules')).body.schedules as { id: string; every: string }[];
    const weekly = all.find((s) => s.every === 'week');
    expect(weekly).toMatchObject({ at: '10:00', weekday: 3, state: 'active', journeyName: '每日上新提醒' });
    await expect(page.getByTestId(`schedule-${weekly?.id}`).innerText()).resolves.toContain('每周三 10:00');

    const row = page.getByTestId(`schedule-${first.id}`);
    await row.getByTestId('schedule-pause').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('paused');
    expect((await get(`/api/schedules/${first.id}`)).body.state).toBe('paused');
    await page.screenshot({ path: readmeScreenshot('schedules.png') });
    await row.getByTestId('schedule-resume').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('active');

    const weeklyRow = page.getByTestId(`schedule-${weekly?.id}`);
    await weeklyRow.getByTestId('schedule-delete').click();
    await weeklyRow.getByTestId('schedule-confirm-delete').click();
    await weeklyRow.waitFor({ state: 'detached' });
    expect((await get(`/api/schedules/${weekly?.id}`)).body.state).toBe('deleted');
    expect((await get('/api/schedules')).body.total).toBe(1);
  });

  it('the Imports page shows a broken file’s errors by line and column, then imports a good one', async () => {
    await open('imports');
    await page.getByTestId('import-form').waitFor();
    // Remember every progress value the bar shows (the upload of a small file is over in a blink).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"]');
        if (bar) seen.push(bar.getAttribute('aria-valuenow') ?? '');
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const choose = (name: string, text: string) =>
      page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

    await page.getByTestId('import-kind').selectOption('customers');
    await choose('会员-有错.csv', 'external_id,nickname,phone\nm-1,小美,13800138001\nm-2,,13800138002\n');
    await page.getByTestId('import-upload').click();
    const result = page.getByTestId('import-result');
    await result.getByTestId('import-errors').waitFor();
    await expect(result.innerText()).resolves.toContain('1 行有错误');
    const firstError = await result.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(firstError.slice(0, 2)).toEqual(['3', 'nickname']);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.length).toBeGreaterThan(0);

    await choose('会员.csv', 'external_id,nickname,phone\nm-1,小美,13800138001\nm-2,阿杰,13800138002\n');
    await page.getByTestId('import-upload').click();
    await expect.poll(() => result.innerText()).toContain('新增 2');
    const history = (await get('/api/imports')).body;
    expect(history.total).toBe(2);
    const byName = Object.fromEntries(
      history.imports.map((i: { fileName: string; state: string }) => [i.fileName, i.state]),
    );
    expect(byName).toEqual({ '会员-有错.csv': 'rejected', '会员.csv': 'succeeded' });
    await expect.poll(() => page.getByTestId('import-history').locator('tbody tr').count()).toBe(2);
    const rejected = history.imports.find((i: { state: string }) => i.state === 'rejected');
    await page.getByTestId(`import-errors-${rejected.id}`).click();
    await expect(page.getByTestId('import-shown-errors').innerText()).resolves.toContain('会员-有错.csv');
    await page.screenshot({ path: readmeScreenshot('imports.png'), fullPage: true });
  });

  it('the Opt-outs page adds by phone and by customer id, refuses a twin, searches and removes with a reason', async () => {
    await open('opt-outs');
    const add = async (who: string, reason: string) => {
      await page.getByTestId('opt-out-who').fill(who);
      await page.getByTestId('opt-out-reason').fill(reason);
      await page.getByTestId('opt-out-add').click();
    };
    const message = page.getByTestId('opt-outs-message');
    const rows = page.getByTestId('opt-out-list').locator('tbody tr');

    await add('190 0000 0001', '客户来电要求不再接收');
    await expect.poll(() => rows.count()).toBe(1);
    await add('2', '投诉短信太多');
    await expect.poll(() => rows.count()).toBe(2);
    await add('1', '再次来电');
    await expect.poll(() => message.innerText()).toBe('这个号码已在退订名单上');
    const listed = (await get('/api/opt-outs')).body;
    expect(listed.total).toBe(2);
    expect(listed.optOuts.map((o: { customerId: number }) => o.customerId).sort()).toEqual([1, 2]);
    await expect(page.getByTestId('opt-out-list').innerText()).resolves.toContain('+8619000000001');
    await page.screenshot({ path: readmeScreenshot('opt-outs.png') });

    await page.getByTestId('opt-outs-search').fill('0000002');
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('投诉短信太多');
    await rows.first().getByTestId('opt-out-remove').click();
    await rows.first().getByTestId('opt-out-remove-reason').fill('客户重新同意接收');
    await rows.first().getByTestId('opt-out-confirm-remove').click();
    await expect.poll(() => message.innerText()).toBe('已移出退订名单');
    await page.getByTestId('opt-outs-search').fill('');
    await expect.poll(() => rows.count()).toBe(1);
    expect((await get('/api/opt-outs')).body.optOuts.map((o: { customerId: number }) => o.customerId)).toEqual([1]);
    const { rows: audit } = await engine.api.db.pool.query<{ action: string; reason: string }>(
      `SELECT action, details->>'reason' AS reason FROM audit_log WHERE action LIKE 'optout.%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'optout.add', reason: '客户来电要求不再接收' },
      { action: 'optout.add', reason: '投诉短信太多' },
      { action: 'optout.remove', reason: '客户重新同意接收' },
    ]);
    expect(pageErrors).toEqual([]);
  });
});
