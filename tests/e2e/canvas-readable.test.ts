// A canvas readable at first sight (issue 17): the flagship template opens at a readable zoom, cards
// state their key setting on whole lines, the header fits at 1280 and 1440 px in both languages, and
// a clicked palette item lands after the selected card, connected, on no other card.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifact } from './support/browser.ts';
import { dropFromPalette } from './support/canvas.ts';
import { builderSession } from './support/session.ts';
import { readmeScreenshot } from './support/engine.ts';
import { newJourney } from './support/journeys.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

type Box = { x: number; y: number; width: number; height: number };

/** The canvas zoom, from React Flow's viewport transform. */
async function zoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const scale = /scale\(([\d.]+)\)/.exec(transform);
  return scale ? Number(scale[1]) : NaN;
}

async function box(page: Page, testId: string): Promise<Box> {
  const b = await page.getByTestId(testId).boundingBox();
  if (!b) throw new Error(`${testId} is not visible`);
  return b;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function openTemplate(page: Page, id: string, firstNode: string): Promise<void> {
  await newJourney(page, id);
  await page.getByTestId(`node-${firstNode}`).waitFor();
  // The readable fit runs once React Flow has measured the cards.
  await page.waitForTimeout(500);
}

async function setLang(page: Page, lang: 'zh' | 'en'): Promise<void> {
  if ((await page.getByTestId('app').getAttribute('data-lang')) !== lang) await page.getByTestId('lang-toggle').click();
  await page.locator(`[data-testid="app"][data-lang="${lang}"]`).waitFor();
}

/** Every header control inside the viewport, none clipped, and the header itself not overflowing. */
async function expectHeaderFits(page: Page, width: number, label: string): Promise<void> {
  const header = page.getByTestId('topbar');
  const { scrollWidth, clientWidth } = await header.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(scrollWidth, `${label}: header overflows`).toBeLessThanOrEqual(clientWidth);
  const controls = header.locator('button, select, input, .role-badge');
  const count = await controls.count();
  expect(count).toBeGreaterThan(8);
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    const b = (await control.boundingBox()) as Box;
    const name = (await control.getAttribute('data-testid')) ?? (await control.innerText());
    expect(b.x, `${label}: ${name} left`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, `${label}: ${name} right`).toBeLessThanOrEqual(width);
    // Not clipped: its own content fits its box (no label cut by the header squeezing it).
    const clipped = await control.evaluate((el) => el.scrollWidth > el.clientWidth + 1 && el.tagName === 'BUTTON');
    expect(clipped, `${label}: ${name} clipped`).toBe(false);
  }
  // The secondary actions are reachable in the 更多 menu, inside the viewport too.
  await page.getByTestId('header-more').click();
  for (const id of ['toggle-view-only', 'open-inbox', 'sign-out']) {
    const b = await box(page, id);
    expect(b.x + b.width, `${label}: ${id} right`).toBeLessThanOrEqual(width);
    expect(b.x, `${label}: ${id} left`).toBeGreaterThanOrEqual(0);
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('sign-out').waitFor({ state: 'detached' });
}

describe.skipIf(!chromiumPath)('a canvas readable at first sight', () => {
  const session = builderSession();
  const { pageErrors } = session;
  let page: Page;

  beforeAll(async () => {
    ({ page } = session);
  });

  it('the 11.11 template opens at a readable zoom, its entry in view, card text at least 12 px on screen', async () => {
    await openTemplate(page, 'newBuyer1111', 'entry');
    const z = await zoom(page);
    expect(z).toBeGreaterThanOrEqual(0.75);
    const title = page.getByTestId('node-entry').locator('.jnode-title');
    const fontSize = parseFloat(await title.evaluate((el) => getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(12);
    expect(fontSize * z, 'title size on screen').toBeGreaterThanOrEqual(12);
    const summarySize = parseFloat(
      await page
        .getByTestId('node-entry')
        .getByTestId('node-summary')
        .evaluate((el) => getComputedStyle(el).fontSize),
    );
    expect(summarySize * z, 'summary size on screen').toBeGreaterThanOrEqual(11);
    // The journey is too large to fit at that zoom: its start is what shows.
    const canvas = await box(page, 'canvas');
    const entry = await box(page, 'node-entry');
    expect(entry.x).toBeGreaterThanOrEqual(canvas.x);
    expect(entry.x + entry.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(entry.y).toBeGreaterThanOrEqual(canvas.y);
    expect(entry.y + entry.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    await page.screenshot({ path: artifact('canvas-readable-1111-zh.png') });
  });

  it('the 催付 cards read their key settings; an SMS preview shows whole lines with the full text as tooltip', async () => {
    await openTemplate(page, 'paymentReminder', 'wait_paid_1');
    const summary = (id: string) => page.getByTestId(`node-${id}`).getByTestId('node-summary');
    expect(await summary('wait_paid_1').innerText()).toContain('30 分钟内付款');
    expect(await summary('good_hours_1').innerText()).toBe('09–23 点');

    const sms = summary('remind_1');
    const full = '亲，您的订单{order.id}还未付款，商品已为您预留，付款后尽快发货哦~';
    expect(await page.getByTestId('node-remind_1').locator('.jnode-summary').getAttribute('title')).toBe(full);
    const lines = await sms.evaluate((el) => {
      const style = getComputedStyle(el);
      const inner = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return inner / parseFloat(style.lineHeight);
    });
    expect(Math.abs(lines - Math.round(lines)), `${lines} lines`).toBeLessThan(0.05);
    expect(Math.round(lines)).toBeGreaterThanOrEqual(2);
    // No part of a further line shows below the clamp: the summary box ends where its text ends.
    const outer = await page.getByTestId('node-remind_1').locator('.jnode-summary').boundingBox();
    const inner = await sms.boundingBox();
    expect((outer as Box).y + (outer as Box).height).toBeGreaterThan((inner as Box).y + (inner as Box).height);

    await page.screenshot({ path: artifact('canvas-readable-payment-zh.png') });
    await setLang(page, 'en');
    expect(await summary('wait_paid_1').innerText()).toBe('Order paid within 30 minutes');
    await page.screenshot({ path: artifact('canvas-readable-payment-en.png') });
    await setLang(page, 'zh');
  });

  it('the header fits at 1280×800 and 1440×900, in Chinese and in English', async () => {
    // Its fullest state: a long name, saved, published (versions, and the report of a triggered journey).
    await page.getByTestId('journey-name').fill('催付（大额转人工，好时段二次提醒，订单关闭致歉）');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('banner-back').click();
    await page.getByTestId('open-journey-report').waitFor();
    await page.locator('.topbar .saved').waitFor();
    for (const [width, height] of [
      [1280, 800],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const lang of ['zh', 'en'] as const) {
        await setLang(page, lang);
        await expectHeaderFits(page, width, `${width} ${lang}`);
        // The builder at both widths in both languages, for docs/builder.md.
        await page.screenshot({ path: readmeScreenshot(`builder-${width}-${lang}.png`) });
      }
    }
    await setLang(page, 'zh');
  });

  it('a clicked palette item lands after the selected card, on no other card, connected from its free port', async () => {
    await newJourney(page, 'blank');

    // Nothing selected on an empty canvas: the entry; then, selected, it feeds the SMS clicked next.
    await page.getByTestId('palette-entry.audience').click();
    await page.getByTestId('node-audience_1').waitFor();
    await page.getByTestId('palette-action.sms').click();
    await page.getByTestId('node-sms_1').waitFor();
    await page.locator('[data-testid="rf__edge-e_audience_1_out_sms_1"]').waitFor();

    // A card dropped where the next one would go: dragging still drops where dropped...
    const sms = await box(page, 'node-sms_1');
    const pane = await box(page, 'canvas');
    const z = await zoom(page);
    const drop = { x: sms.x + sms.width + 90 * z + 110 * z - pane.x, y: sms.y + 55 * z - pane.y };
    await dropFromPalette(page, 'exit', drop.x, drop.y);
    const exit = await box(page, 'node-exit_1');
    expect(Math.abs(exit.x + exit.width / 2 - (pane.x + drop.x))).toBeLessThan(4);

    // ...and the card clicked next, after the SMS, goes around it.
    await page.getByTestId('node-sms_1').click();
    await page.getByTestId('palette-wait.delay').click();
    await page.getByTestId('node-delay_1').waitFor();
    await page.locator('[data-testid="rf__edge-e_sms_1_out_delay_1"]').waitFor();
    await page.waitForTimeout(400);
    const added = await box(page, 'node-delay_1');
    for (const id of ['audience_1', 'sms_1', 'exit_1']) {
      expect(overlaps(added, await box(page, `node-${id}`)), `delay_1 on ${id}`).toBe(false);
    }
    expect(added.x).toBeGreaterThan((await box(page, 'node-sms_1')).x);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await page.screenshot({ path: artifact('canvas-placement-zh.png') });
  });

  it('the minimap and the problems list fold away, and the page remembers it', async () => {
    const stored = (key: string) => page.evaluate((k) => window.localStorage.getItem(k), key);
    expect(await page.locator('.react-flow__minimap').count()).toBe(1);
    await page.getByTestId('minimap-toggle').click();
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    expect(await stored('huitou.canvas.minimap')).toBe('0');

    expect(await page.locator('.problems-list').count()).toBe(1);
    await page.getByTestId('problems-toggle').click();
    expect(await page.locator('.problems-list').count()).toBe(0);
    expect(await stored('huitou.problems.open')).toBe('0');

    // A journey opened later keeps the choice.
    await openTemplate(page, 'paymentReminder', 'entry');
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    await page.getByTestId('minimap-toggle').click();
    expect(await page.locator('.react-flow__minimap').count()).toBe(1);
    expect(await stored('huitou.canvas.minimap')).toBe('1');
    expect(pageErrors).toEqual([]);
  });
});
