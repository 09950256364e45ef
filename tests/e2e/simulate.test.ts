// The simulate panel and the segment builder in Chromium: a marketer opens the 11.11 template,
// simulates it on the demo shop (the panel's figures equal the API's simulation of the saved draft),
// then edits the audience with the form and sees the live count equal the SQL count.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { signIn, startBrowserEngine } from './support/engine.ts';
import { newJourney } from './support/journeys.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const entry = journeyTemplates.newBuyer1111.nodes.find((n) => n.id === 'entry')?.config as {
  segment: { where: { of: [{ window: { from: string; to: string } }] } };
};
const day = entry.segment.where.of[0].window;
// The first care text of the 11.11 template that names its coupon, and the coupon card just before it.
const careNode = journeyTemplates.newBuyer1111.nodes.find(
  (n) => n.id.startsWith('care_') && String((n.config as { template?: string }).template).includes('{coupon.amount}'),
);
const couponNode = journeyTemplates.newBuyer1111.nodes.find((n) => n.id === careNode?.id.replace('care_', 'coupon_'));

describe.skipIf(!chromiumPath)('simulate and segment builder in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** The API's simulation of the 11.11 draft (the first test). */
  let simulated: { id: string; entered: number }[] = [];

  beforeAll(async () => {
    engine = await startBrowserEngine({ demoShop: 500 });
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
    await signIn(page, engine, 'marketer');
    await newJourney(page, 'newBuyer1111');
    await page.getByTestId('node-entry').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('simulates the draft with a progress indicator and shows the per-node figures of the API', async () => {
    await page.getByTestId('simulate').click();
    await page.getByTestId('simulate-run').click();
    await page.getByTestId('simulate-progress').waitFor();
    await page.getByTestId('simulate-result').waitFor({ timeout: 150_000 });
    await page.screenshot({ path: artifact('simulate-panel.png') });

    const { rows } = await engine.api.db.pool.query<{ id: string }>('SELECT id FROM journeys');
    const api = await engine.api.call('POST', `/api/journeys/${rows[0].id}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop' },
    });
    expect(api.status).toBe(200);
    simulated = api.body.nodes;
    for (const n of api.body.nodes as { id: string; entered: number; sms?: { sent: number } }[]) {
      const row = page.getByTestId(`sim-node-${n.id}`);
      expect(Number(await row.getAttribute('data-entered'))).toBe(n.entered);
      expect(await row.getAttribute('data-sms-sent')).toBe(n.sms ? String(n.sms.sent) : '');
    }
    expect(Number(await page.getByTestId('sim-total-sms').innerText())).toBe(api.body.totals.smsSent);
    await page.getByTestId('simulate-close').click();
  });

  it("previews a text with the upstream coupon card's value, not a fixed sample", async () => {
    const coupon = couponNode?.config as { amount: number; threshold: number };
    expect(coupon.amount).not.toBe(20);
    // Cards are laid out far apart: a click event selects the card wherever the viewport is.
    await page.getByTestId(`node-${careNode?.id}`).dispatchEvent('click');
    const preview = page.getByTestId('sms-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toContain(`${coupon.amount}元券`);
    const note = page.getByTestId('sms-preview-coupon');
    expect(await note.getAttribute('data-coupon-node')).toBe(couponNode?.id);
    expect(await note.innerText()).toContain(`满 ${coupon.threshold} 可用`);
    // The last simulation's figures are on the cards.
    const figures = page.getByTestId(`node-${careNode?.id}`).getByTestId('node-sim-figures');
    expect(Number(await figures.getAttribute('data-reached'))).toBe(
      simulated.find((n) => n.id === careNode?.id)?.entered,
    );
    await page.keyboard.press('Escape');
  });

  it('edits the audience in the form with a live count equal to the SQL', async () => {
    await page.getByTestId('node-entry').click();
    const builder = page.getByTestId('segment-builder');
    await builder.waitFor();
    // Drop the "nothing bought before" condition: buyers of >= 299 on the template's day remain.
    const rows = builder.getByTestId('seg-row');
    expect(await rows.count()).toBe(3);
    await rows.nth(2).getByTestId('seg-remove').click();
    /** The same audience in SQL of its own, optionally without customers who left a negative review. */
    const expected = async (withoutBadReviewers: boolean) =>
      (
        await engine.api.db.pool.query<{ n: number }>(
          `WITH d AS (SELECT ($1 || ' 00:00:00+08')::timestamptz AS a, ($2 || ' 00:00:00+08')::timestamptz + interval '1 day' AS b)
         SELECT count(*)::int AS n FROM customers c, d
         WHERE (SELECT coalesce(sum(o.amount), 0) FROM orders o WHERE o.customer_id = c.id AND o.paid_at >= d.a AND o.paid_at < d.b AND o.status <> 'refunded') >= 299
           AND NOT EXISTS (SELECT 1 FROM opt_outs x WHERE x.channel = 'sms' AND (x.customer_id = c.id OR x.recipient = c.phone))
           AND NOT ($3::boolean AND EXISTS (SELECT 1 FROM reviews r WHERE r.customer_id = c.id AND r.sentiment = 'negative'))`,
          [day.from, day.to, withoutBadReviewers],
        )
      ).rows[0].n;
    const countIs = (n: number) =>
      page.waitForFunction(
        (want) => document.querySelector('[data-testid="seg-count"]')?.getAttribute('data-count') === String(want),
        n,
      );
    const all = await expected(false);
    expect(all).toBeGreaterThan(0);
    await countIs(all);
    await builder.getByTestId('seg-exclude-bad_reviewer').click();
    await countIs(await expected(true));
    await page.screenshot({ path: artifact('segment-builder.png') });
    expect(pageErrors).toEqual([]);
  });

  it('simulates the 催付 with 40% paying: fewer reminders than when nobody pays, shown on the cards', async () => {
    await newJourney(page, 'paymentReminder');
    await page.getByTestId('node-wait_paid_1').waitFor();
    await page.getByTestId('simulate').click();
    await page.getByTestId('followup-set-order_paid').click();
    const percent = page.getByTestId('followup-percent-order_paid');
    const reminded = async (pay: number) => {
      await percent.fill(String(pay));
      await page.getByTestId('simulate-run').click();
      await page.getByTestId('simulate-result').waitFor({ timeout: 150_000 });
      const line = page.getByTestId('sim-followup-order_paid');
      expect(await line.getAttribute('data-percent')).toBe(String(pay));
      expect(await line.getAttribute('data-source')).toBe('set');
      expect(await page.getByTestId('sim-population').getAttribute('data-kind')).toBe('orders');
      return Number(await page.getByTestId('sim-node-remind_1').getAttribute('data-sms-sent'));
    };
    const nobodyPays = await reminded(0);
    const somePay = await reminded(40);
    expect(nobodyPays).toBeGreaterThan(0);
    expect(somePay).toBeLessThan(nobodyPays);
    await page.screenshot({ path: artifact('simulate-followups.png') });
    await page.getByTestId('simulate-close').click();
    const card = page.getByTestId('node-remind_1').getByTestId('node-sim-figures');
    expect(Number(await card.getAttribute('data-sent'))).toBe(somePay);
  });

  it("finds a customer by nickname and shows that customer's texts on a timeline", async () => {
    // A customer the 催付 reminds: latest order of 20 to 2,000, a phone, no negative review.
    const { rows } = await engine.api.db.pool.query<{ id: string; nickname: string }>(
      `SELECT c.id, c.nickname FROM customers c
       JOIN LATERAL (SELECT amount FROM orders WHERE customer_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) o ON true
       WHERE o.amount >= 20 AND o.amount < 2000 AND c.phone IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.customer_id = c.id AND r.sentiment = 'negative')
         AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.customer_id = c.id OR s.recipient = c.phone)
       ORDER BY c.id LIMIT 1`,
    );
    const customer = rows[0];
    await page.getByTestId('simulate').click();
    await page.getByTestId('simulate-one-customer').click();
    await page.getByTestId('customer-search').fill(customer.nickname);
    await page.getByTestId(`customer-option-${customer.id}`).click();
    expect(await page.getByTestId('customer-chosen').getAttribute('data-customer-id')).toBe(customer.id);
    // One order at 0% paying: both reminders go out.
    await page.getByTestId('followup-set-order_paid').click();
    await page.getByTestId('followup-percent-order_paid').fill('0');
    await page.getByTestId('simulate-run').click();
    await page.getByTestId('simulate-result').waitFor({ timeout: 150_000 });
    const timeline = page.getByTestId('sim-timeline-row');
    expect(await timeline.count()).toBe(2);
    expect(await timeline.nth(0).getAttribute('data-node')).toBe('remind_1');
    expect(await timeline.nth(1).getAttribute('data-node')).toBe('remind_2');
    expect(await timeline.nth(1).innerText()).toContain(customer.nickname);
    await page.screenshot({ path: artifact('simulate-timeline.png') });

    // Test send: that customer's texts to a colleague's number typed here; kept apart from real sends.
    await page.getByTestId('test-send-open').click();
    const dialog = page.getByTestId('test-send-dialog');
    expect(await dialog.getByTestId('customer-chosen').getAttribute('data-customer-id')).toBe(customer.id);
    await dialog.getByTestId('test-send-numbers').fill('13800138000');
    await dialog.getByTestId('test-send-go').click();
    const result = dialog.getByTestId('test-send-result');
    await result.waitFor({ timeout: 150_000 });
    expect(await result.getAttribute('data-count')).toBe('2');
    const sent = await engine.api.db.pool.query<{ node_id: string; recipient: string; status: string }>(
      'SELECT node_id, recipient, status FROM test_sends ORDER BY id',
    );
    expect(sent.rows).toEqual([
      { node_id: 'remind_1', recipient: '+8613800138000', status: 'sent' },
      { node_id: 'remind_2', recipient: '+8613800138000', status: 'sent' },
    ]);
    await page.getByTestId('simulate-close').click();
    expect(pageErrors).toEqual([]);
  });

  it("keeps colleagues' numbers in the settings panel", async () => {
    await page.getByTestId('tab-settings').click();
    const numbers = page.getByTestId('settings-test-phones');
    await numbers.fill('13900139000\n13800138000');
    await page.getByTestId('settings-test-phones-save').click();
    await page.getByTestId('settings-test-phones-note').waitFor();
    const { rows } = await engine.api.db.pool.query<{ test_phones: string[] }>('SELECT test_phones FROM shop_settings');
    expect(rows[0].test_phones).toEqual(['+8613900139000', '+8613800138000']);
    expect(await numbers.inputValue()).toBe('+8613900139000\n+8613800138000');
    expect(pageErrors).toEqual([]);
  });
});
