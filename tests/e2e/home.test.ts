// Home and the runs list in Chromium on the real engine: sign-in lands on Home (journeys with their
// state in words and figures), search, archive and restore, opening a journey; every journey screen
// (editor, run monitor, report) has an address that reloads to the same screen; the runs list pages
// and filters; a new journey from a template or blank makes exactly one draft.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot, signIn, startBrowserEngine } from './support/engine.ts';
import { createJourney, newJourney, openJourney } from './support/journeys.ts';
import { waitThenSms } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const RUNS_OF_NEWS = 24;

describe.skipIf(!chromiumPath)('Home and the runs list in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const ids = { news: '', reminder: '', old: '' };
  let newestRun = '';
  let reminderRun = '';
  const path = () => new URL(page.url()).pathname;
  const journeyCount = async () =>
    (await engine.api.call('GET', '/api/journeys?limit=1', { role: 'viewer' })).body.total as number;

  beforeAll(async () => {
    engine = await startBrowserEngine();
    const publish = async (id: string) =>
      expect(
        (await engine.api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status,
      ).toBe(201);
    ids.news = await createJourney(engine, { ...waitThenSms, name: '上新提醒' });
    await publish(ids.news);
    ids.reminder = await createJourney(engine, { ...journeyTemplates.paymentReminder, name: '催付' });
    await publish(ids.reminder);
    ids.old = await createJourney(engine, { ...waitThenSms, name: '去年双11' });
    expect((await engine.api.call('POST', `/api/journeys/${ids.old}/archive`, { role: 'marketer' })).status).toBe(200);
    // Past runs (ended, so no workflow is needed): one a day in November, and one of the 催付.
    const { rows } = await engine.api.db.pool.query<{ id: string; journey_id: string }>(
      `INSERT INTO runs (journey_id, version_id, kind, state, member_count, created_at, started_at, ended_at)
       SELECT v.journey_id, v.id, j.kind, 'completed', 100 + d, t, t, t + interval '3 days'
       FROM journey_versions v JOIN journeys j ON j.id = v.journey_id,
            LATERAL (SELECT d, timestamptz '2026-11-01 02:00Z' + d * interval '1 day' AS t
                     FROM generate_series(0, CASE WHEN j.id = $1 THEN $2::int - 1 ELSE 0 END) d) days
       WHERE v.journey_id = ANY($3::uuid[]) RETURNING id, journey_id`,
      [ids.news, RUNS_OF_NEWS, [ids.news, ids.reminder]],
    );
    expect(rows).toHaveLength(RUNS_OF_NEWS + 1);
    reminderRun = rows.find((r) => r.journey_id === ids.reminder)?.id as string;
    // And the 上新提醒 running now: three members (one has left), two texts sent and one skipped.
    const running = await engine.api.db.pool.query<{ id: string }>(
      `INSERT INTO runs (journey_id, version_id, kind, state, member_count, created_at, started_at)
       SELECT journey_id, id, 'audience', 'running', 3, now(), now() FROM journey_versions WHERE journey_id = $1
       RETURNING id`,
      [ids.news],
    );
    newestRun = running.rows[0].id;
    await engine.api.db.pool.query(
      `INSERT INTO run_members (run_id, customer_id, shard, holdout, exited_at, exit_reason)
       VALUES ($1, 1, 0, false, NULL, NULL), ($1, 2, 0, false, NULL, NULL), ($1, 3, 0, false, now(), 'completed')`,
      [newestRun],
    );
    await engine.api.db.pool.query(
      `INSERT INTO messages (message_key, run_id, node_id, class, status, skip_reason)
       VALUES ($1 || '/1', $1::uuid, 'tip', 'marketing', 'sent', NULL),
              ($1 || '/2', $1::uuid, 'tip', 'marketing', 'delivered', NULL),
              ($1 || '/3', $1::uuid, 'tip', 'marketing', 'skipped', 'quiet_hours')`,
      [newestRun],
    );
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('signing in lands on Home: journeys in use with their state in words; archived ones hidden', async () => {
    await signIn(page, engine, 'marketer');
    await page.getByTestId('home-journeys').waitFor();
    expect(path()).toBe('/');
    const news = page.getByTestId(`home-row-${ids.news}`);
    await expect(news.getByTestId('home-state').innerText()).resolves.toBe('已发布');
    await expect(news.getByTestId('home-people-in').innerText()).resolves.toBe('2');
    await expect(news.getByTestId('home-messages-sent').innerText()).resolves.toBe('2');
    await expect(news.getByTestId('home-current-run').innerText()).resolves.toMatch(/^运行中/);
    const reminder = page.getByTestId(`home-row-${ids.reminder}`);
    await expect(reminder.getByTestId('home-people-in').innerText()).resolves.toBe('0');
    expect(await page.getByTestId(`home-row-${ids.old}`).count()).toBe(0);
    expect(await page.getByTestId('home-journeys').locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: readmeScreenshot('home.png') });
  });

  it('searches by name, archives a journey and restores it', async () => {
    await page.getByTestId('home-search').fill('催付');
    await expect.poll(() => page.getByTestId(`home-row-${ids.news}`).count()).toBe(0);
    await page.getByTestId(`home-row-${ids.reminder}`).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('催付');
    await page.getByTestId('home-search').fill('');
    await page.getByTestId(`home-row-${ids.news}`).waitFor();

    await page.getByTestId(`home-row-${ids.reminder}`).getByTestId('home-archive').click();
    await page.getByTestId(`home-row-${ids.reminder}`).waitFor({ state: 'detached' });
    await page.getByTestId('home-show-archived').click();
    const archived = page.getByTestId(`home-row-${ids.reminder}`);
    await expect(archived.getByTestId('home-state').innerText()).resolves.toBe('已归档');
    await page.getByTestId(`home-row-${ids.old}`).waitFor();
    await archived.getByTestId('home-unarchive').click();
    await archived.waitFor({ state: 'detached' });
    expect((await engine.api.call('GET', `/api/journeys/${ids.reminder}`, { role: 'viewer' })).body.state).toBe(
      'published',
    );
    await page.getByTestId('home-show-active').click();
    await page.getByTestId(`home-row-${ids.reminder}`).waitFor();
  });

  it('opens a journey from Home; its address reloads to the same journey', async () => {
    await page.getByTestId(`journey-${ids.news}`).click();
    await expect.poll(() => page.getByTestId('journey-name').inputValue()).toBe('上新提醒');
    expect(path()).toBe(`/journeys/${ids.news}`);
    await page.reload();
    await expect.poll(() => page.getByTestId('journey-name').inputValue()).toBe('上新提醒');
    await page.getByTestId('go-home').click();
    await page.getByTestId('home-journeys').waitFor();
    expect(path()).toBe('/');
  });

  it("a run's monitor and a journey's report have addresses that reload to the same screen", async () => {
    await openJourney(page, engine, ids.news, `/runs/${newestRun}`);
    await page.getByTestId('monitor').waitFor();
    await page.reload();
    await page.getByTestId('monitor').waitFor();
    expect(path()).toBe(`/journeys/${ids.news}/runs/${newestRun}`);
    await page.getByTestId('monitor-close').click();
    await page.getByTestId('journey-name').waitFor();
    expect(path()).toBe(`/journeys/${ids.news}`);
    // Opened from the editor's run list, the monitor's address is the run's.
    await page.getByTestId('runs').selectOption(newestRun);
    await page.getByTestId('monitor').waitFor();
    expect(path()).toBe(`/journeys/${ids.news}/runs/${newestRun}`);
    await page.goBack();
    await page.getByTestId('journey-name').waitFor();

    await openJourney(page, engine, ids.reminder, '/report');
    await page.getByTestId('journey-report-view').waitFor();
    await page.reload();
    await page.getByTestId('journey-report').waitFor();
    await page.getByTestId('report-close').click();
    await page.getByTestId('journey-name').waitFor();
    expect(path()).toBe(`/journeys/${ids.reminder}`);
  });

  it('lists every journey’s runs in pages, filters them, and links each to its monitor', async () => {
    await page.goto(`${engine.url}runs`);
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    const total = RUNS_OF_NEWS + 2;
    await expect(page.getByTestId('pager-range').innerText()).resolves.toBe(`第 1–20 条，共 ${total} 条`);
    await page.getByTestId('pager-next').click();
    await expect.poll(() => rows.count()).toBe(total - 20);
    await expect.poll(() => page.getByTestId('pager-range').innerText()).toBe(`第 21–${total} 条，共 ${total} 条`);
    await page.screenshot({ path: readmeScreenshot('runs.png') });

    await page.getByTestId('runs-filter-journey').selectOption(ids.reminder);
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => page.getByTestId('pager-range').innerText()).toBe('第 1–1 条，共 1 条');
    await expect(rows.first().getByTestId('run-state').innerText()).resolves.toBe('已完成');
    // The filters are in the address: a reload keeps them.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId('runs-filter-state').selectOption('running');
    await page.getByTestId('runs-empty').waitFor();
    await page.getByTestId('runs-filter-state').selectOption('');
    await page.getByTestId('runs-filter-journey').selectOption('');
    // 1 to 3 November (the "to" day included), in the page's time zone.
    await page.getByTestId('runs-filter-from').fill('2026-11-01');
    await page.getByTestId('runs-filter-to').fill('2026-11-03');
    await expect.poll(() => page.getByTestId('pager-range').innerText()).toMatch(/共 [34] 条/);

    await page.getByTestId('runs-filter-journey').selectOption(ids.reminder);
    await rows.first().getByTestId('run-open').click();
    await page.getByTestId('monitor').waitFor();
    expect(path()).toBe(`/journeys/${ids.reminder}/runs/${reminderRun}`);
  });

  it('a new journey from a template makes exactly one draft, however many cards were picked', async () => {
    await page.goto(engine.url);
    await page.getByTestId('home-new-journey').click();
    const before = await journeyCount();
    for (const id of ['blank', 'paymentReminder', 'birthdayCare']) await page.getByTestId(`template-${id}`).click();
    expect(await journeyCount()).toBe(before);
    await newJourney(page, 'newBuyer1111');
    await page.getByTestId('node-split_category').waitFor();
    expect(await journeyCount()).toBe(before + 1);
    const id = path().split('/')[2];
    expect((await engine.api.call('GET', `/api/journeys/${id}`, { role: 'viewer' })).body.name).toContain('双11');

    await page.getByTestId('go-home').click();
    await newJourney(page, 'blank');
    await expect.poll(() => page.getByTestId('journey-name').inputValue()).toBe('未命名旅程');
    expect(await journeyCount()).toBe(before + 2);
    expect(pageErrors).toEqual([]);
  });
});
