// The staff inbox in Chromium on the real engine: a 中评 arrives as a platform event, the published
// neutral-review template creates a task (the owner is texted once), and a marketer opens the inbox,
// sees the masked phone, the order and why, claims the task and completes it with an outcome.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { signIn, startBrowserEngine } from './support/engine.ts';
import { openJourney } from './support/journeys.ts';
import { headerAction } from './support/header.ts';
import { until } from '../integration/api/helpers.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

describe.skipIf(!chromiumPath)('the staff inbox in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  let journeyId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    engine = await startBrowserEngine();
    const { api } = engine;
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: journeyTemplates.neutralReviewAlert },
    });
    journeyId = created.body.id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
    const notify = await api.call('PUT', '/api/task-notifications', {
      role: 'ops',
      body: { ownerPhone: '13900139000', kinds: { review_alert: { channel: 'sms' } } },
    });
    expect(notify.status, notify.text).toBe(200);
    const event = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: {
        idempotencyKey: 'review-1',
        type: 'review_posted',
        customer: { externalId: 'tb_小美', nickname: '小美', phone: '13800138000' },
        order: { externalId: 'TB-9001', amount: 59 },
        review: { externalId: 'RV-9', rating: 'neutral', content: '一般' },
        occurredAt: new Date(engine.env.now()).toISOString(),
      },
    });
    expect(event.status, event.text).toBe(202);
    await api.routed();
    await until('the task of the 中评', async () => {
      const res = await api.call('GET', '/api/tasks', { role: 'viewer' });
      return res.body.tasks?.length === 1;
    });

    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('a marketer opens the inbox, sees the task with a masked phone, claims it and completes it', async () => {
    await signIn(page, engine, 'marketer');
    await openJourney(page, engine, journeyId);
    await headerAction(page, 'open-inbox');
    await page.getByTestId('inbox').waitFor();

    const [task] = (await engine.api.call('GET', '/api/tasks', { role: 'viewer' })).body.tasks;
    const row = page.getByTestId(`task-${task.id}`);
    await row.waitFor();
    await expect(page.getByTestId('count-open').getAttribute('data-count')).resolves.toBe('1');
    const text = await row.innerText();
    expect(text).toContain('中评提醒');
    expect(text).toContain('收到中评，请联系买家了解情况');
    expect(text).toContain('TB-9001');
    expect(text).toContain('¥59.00');
    expect(await row.getByTestId('task-phone').innerText()).toBe('+86****8000');
    expect(text).not.toContain('13800138000');
    await page.screenshot({ path: artifact('inbox-open.png') });

    await row.getByTestId('task-claim').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('claimed');
    await row.getByTestId('task-complete').click();
    await row.getByTestId('task-text').fill('已致电，买家改为好评');
    await row.getByTestId('task-submit').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('done');
    await expect.poll(() => page.getByTestId('count-done').getAttribute('data-count')).toBe('1');
    await expect(page.getByTestId('count-open').getAttribute('data-count')).resolves.toBe('0');
    // Filtered to open tasks, it is gone; to done ones, it is there.
    await page.getByTestId('inbox-state').selectOption('open');
    await page.getByTestId('inbox-empty').waitFor();
    await page.getByTestId('inbox-state').selectOption('done');
    await row.waitFor();
    expect(await row.innerText()).toContain('已致电，买家改为好评');

    const done = (await engine.api.call('GET', '/api/tasks?state=done', { role: 'ops' })).body.tasks;
    expect(done).toMatchObject([
      { id: task.id, state: 'done', outcome: '已致电，买家改为好评', claimedBy: 'marketer' },
    ]);
    // The owner was texted once about the task.
    const texts = await engine.api.db.pool.query<{ recipient: string }>(
      `SELECT recipient FROM sms_sink WHERE message_key = $1`,
      [`task:${task.id}`],
    );
    expect(texts.rows).toEqual([{ recipient: '+8613900139000' }]);
    expect(pageErrors).toEqual([]);
  });
});
