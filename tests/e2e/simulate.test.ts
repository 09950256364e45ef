// The simulate panel and the segment builder in Chromium: a marketer opens the 11.11 template,
// simulates it on the demo shop (the panel's figures equal the API's simulation of the saved draft),
// then edits the audience with the form and sees the live count equal the SQL count.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { artifact, launchChromium, openBuilderPage } from './support/browser.ts';
import type { BrowserEngine } from './support/engine.ts';
import { signIn, startBrowserEngine } from './support/engine.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const entry = journeyTemplates.newBuyer1111.nodes.find((n) => n.id === 'entry')?.config as {
  segment: { where: { of: [{ window: { from: string; to: string } }] } };
};
const day = entry.segment.where.of[0].window;

describe.skipIf(!chromiumPath)('simulate and segment builder in Chromium', () => {
  let engine: BrowserEngine;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    engine = await startBrowserEngine({ demoShop: 500 });
    browser = await launchChromium(chromiumPath as string);
    page = await openBuilderPage(browser, engine.url, pageErrors);
    await signIn(page, engine, 'marketer');
    await page.getByTestId('templates-gallery').waitFor();
    await page.getByTestId('template-newBuyer1111').click();
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
    for (const n of api.body.nodes as { id: string; entered: number; sms?: { sent: number } }[]) {
      const row = page.getByTestId(`sim-node-${n.id}`);
      expect(Number(await row.getAttribute('data-entered'))).toBe(n.entered);
      expect(await row.getAttribute('data-sms-sent')).toBe(n.sms ? String(n.sms.sent) : '');
    }
    expect(Number(await page.getByTestId('sim-total-sms').innerText())).toBe(api.body.totals.smsSent);
    await page.getByTestId('simulate-close').click();
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
});
