import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifact } from './support/browser.ts';
import { connect, dropFromPalette, problemCount } from './support/canvas.ts';
import { builderSession } from './support/session.ts';
import { headerAction } from './support/header.ts';
import { newJourney } from './support/journeys.ts';

// scripts/run-tests.mjs sets CHROMIUM_PATH when Debian's Chromium is installed; otherwise skip.
const chromiumPath = process.env.CHROMIUM_PATH;

describe.skipIf(!chromiumPath)('builder UI in Chromium', () => {
  const session = builderSession();
  const { pageErrors } = session;
  let page: Page;

  beforeAll(async () => {
    ({ page } = session);
  });

  it('opens in Chinese on Home; a new blank journey comes from the templates gallery', async () => {
    await page.getByTestId('home').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByTestId('home-new-journey').click();
    await page.getByTestId('templates-gallery').waitFor();
    await page.screenshot({ path: artifact('01-templates-gallery-zh.png') });
    await newJourney(page, 'blank');
    await expect(page.getByTestId('palette-action.sms').innerText()).resolves.toContain('发短信');
  });

  it('builds a journey from the palette: drag, connect, configure the SMS, validation clears', async () => {
    await dropFromPalette(page, 'entry.audience', 160, 140);
    await dropFromPalette(page, 'action.sms', 460, 140);
    await dropFromPalette(page, 'wait.delay', 160, 380);
    await dropFromPalette(page, 'exit', 460, 380);
    for (const id of ['audience_1', 'sms_1', 'delay_1', 'exit_1']) await page.getByTestId(`node-${id}`).waitFor();

    await connect(page, 'audience_1', 'out', 'sms_1');
    await connect(page, 'sms_1', 'out', 'delay_1');
    await connect(page, 'delay_1', 'out', 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);

    // Empty SMS and no signature yet: the journey cannot be published.
    expect(await problemCount(page)).toBeGreaterThan(0);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('node-sms_1').getByTestId('node-error-badge').count()).toBe(1);

    await page.getByTestId('node-sms_1').click();
    const template = page.getByTestId('sms-template');
    await template.fill('{nickname}，感谢您的支持！');
    const counter = page.getByTestId('sms-counter');
    const unitsShort = Number(await counter.getAttribute('data-units'));
    expect(await counter.getAttribute('data-segments')).toBe('1');
    await template.fill(
      '{nickname}，感谢您在双11选购{item}！您的专属20元回购券已放入账户，30天内有效，进店即可使用：{link}，有问题随时联系我们',
    );
    await expect.poll(async () => Number(await counter.getAttribute('data-units'))).toBeGreaterThan(unitsShort);
    expect(Number(await counter.getAttribute('data-segments'))).toBe(2);
    await page.screenshot({ path: artifact('02-sms-editor-zh.png') });

    await page.getByTestId('tab-settings').click();
    await page.locator('#s-signature').fill('【回头小店】');
    await page.locator('#s-link').fill('m.tb.cn/h1');
    await expect.poll(() => problemCount(page)).toBe(0);
    expect(await page.getByTestId('publish').isDisabled()).toBe(false);
    expect(await page.getByTestId('node-error-badge').count()).toBe(0);

    await page.getByTestId('auto-layout').click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: artifact('03-journey-built-zh.png') });
  });

  it('deletes with the keyboard and undoes it', async () => {
    await page.getByTestId('node-exit_1').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('node-exit_1').count()).toBe(0);
    expect(await problemCount(page)).toBeGreaterThan(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('node-exit_1').count()).toBe(1);
    await expect.poll(() => problemCount(page)).toBe(0);
  });

  it('copies and pastes a node, and undoes the paste', async () => {
    await page.getByTestId('node-sms_1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-sms_2').waitFor();
    // The copy is not connected yet: the journey is no longer publishable.
    await expect.poll(() => problemCount(page)).toBeGreaterThan(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('node-sms_2').count()).toBe(0);
    await expect.poll(() => problemCount(page)).toBe(0);
  });

  it('has a read-only view of the draft', async () => {
    await headerAction(page, 'toggle-view-only');
    await page.getByTestId('readonly-banner').waitFor();
    expect(await page.getByTestId('palette-action.sms').isDisabled()).toBe(true);
    await page.getByTestId('node-sms_1').click();
    expect(await page.getByTestId('sms-template').isDisabled()).toBe(true);
    await page.keyboard.press('Delete');
    expect(await page.getByTestId('node-sms_1').count()).toBe(1);
    await headerAction(page, 'toggle-view-only');
    await page.getByTestId('readonly-banner').waitFor({ state: 'detached' });
  });

  it('publishes a clean journey and shows the version read-only', async () => {
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-notes').fill('第一版');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('readonly-banner').waitFor();
    await page.screenshot({ path: artifact('04-published-readonly-zh.png') });
    await page.getByTestId('banner-back').click();
    await page.getByTestId('readonly-banner').waitFor({ state: 'detached' });
  });

  it('opens the 11.11 template as a new draft (pick, then confirm)', async () => {
    await newJourney(page, 'newBuyer1111');
    await page.getByTestId('node-split_category').waitFor();
    await expect.poll(() => problemCount(page)).toBe(0);
    expect(await page.getByTestId('journey-name').inputValue()).toContain('双11');
    await page.waitForTimeout(400);
    await page.screenshot({ path: artifact('05-template-1111-zh.png') });
  });

  it('switches to English: the UI catalogue and the registry labels follow', async () => {
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.getByTestId('palette-action.sms').innerText()).resolves.toContain('Send SMS');
    await expect(page.getByTestId('publish').innerText()).resolves.toBe('Publish');
    await page.getByTestId('node-thanks_food').click();
    await page.getByTestId('sms-counter').waitFor();
    await expect(page.getByTestId('sms-counter').innerText()).resolves.toMatch(/characters/);
    await page.screenshot({ path: artifact('06-template-1111-en.png') });
    expect(pageErrors).toEqual([]);
  });
});
