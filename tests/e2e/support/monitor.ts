// What the monitor and the report show, checked against the API's JSON for the same run.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BrowserEngine } from './engine.ts';

/** The monitor polls the API every 2 s: page values may lag the API by one poll. */
export const PAGE_POLL = 10_000;

type LiveCounts = Record<string, { entered: number; waiting: number; exited: number }>;

/** Every node's in / here / left on the canvas equals the API's live counts. */
export async function expectCanvasCounts(page: Page, live: LiveCounts): Promise<void> {
  for (const [node, count] of Object.entries(live)) {
    const counts = page.getByTestId(`node-${node}`).getByTestId('node-counts');
    const shown = async () =>
      (await Promise.all(['entered', 'waiting', 'exited'].map((k) => counts.getAttribute(`data-${k}`)))).join(' / ');
    await expect
      .poll(shown, { message: `${node}: in / here / left`, timeout: PAGE_POLL })
      .toBe(`${count.entered} / ${count.waiting} / ${count.exited}`);
  }
}

/** The message stats equal GET /api/runs/:id/messages. */
export async function expectMessageStats(
  page: Page,
  total: Record<'sent' | 'skipped' | 'segments', number>,
): Promise<void> {
  for (const key of ['sent', 'skipped', 'segments'] as const) {
    await expect
      .poll(() => page.getByTestId(`msg-${key}`).getAttribute('data-value'), { timeout: PAGE_POLL })
      .toBe(String(total[key]));
  }
}

/** Ops pause the run from the monitor, then resume it, each after confirming; the API state follows. */
export async function pauseAndResume(page: Page, apiState: () => Promise<string>): Promise<void> {
  await page.getByTestId('control-pause').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-yes').click();
  await page.locator('[data-testid="run-state"][data-state="paused"]').waitFor();
  expect(await apiState()).toBe('paused');
  expect(await page.getByTestId('control-pause').isDisabled()).toBe(true);

  await page.getByTestId('control-resume').click();
  await page.getByTestId('confirm-yes').click();
  await page.locator('[data-testid="run-state"][data-state="running"]').waitFor();
  expect(await apiState()).toBe('running');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReportRow = Record<string, any>;

const DAY = 24 * 3600 * 1000;

/** Lets server time pass a day at a time until the run's first checkpoint has been evaluated. */
export async function advanceUntilReport(engine: BrowserEngine, runId: string, maxDays = 10): Promise<ReportRow[]> {
  let rows: ReportRow[] = [];
  for (let day = 0; day < maxDays && rows.length === 0; day++) {
    await engine.env.sleep(DAY);
    rows = (await engine.api.call('GET', `/api/runs/${runId}/report`, { role: 'viewer' })).body.rows;
  }
  expect(rows.length, `report rows after ${maxDays} days`).toBeGreaterThan(0);
  return rows;
}

/** Opens the report tab and checks every figure of every row against GET /api/runs/:id/report. */
export async function expectReport(page: Page, rows: readonly ReportRow[]): Promise<void> {
  await page.getByTestId('tab-report').click();
  await page.locator(`[data-testid="report"][data-rows="${rows.length}"]`).waitFor();
  for (const [i, row] of rows.entries()) {
    const card = page.getByTestId(`report-row-${i}`);
    for (const arm of ['treatment', 'holdout'] as const) {
      const figures = row[arm];
      const expected: Record<string, number | null> = {
        targets: figures.targets,
        sent: figures.sent,
        delivered: figures.delivered,
        billedSegments: figures.billedSegments,
        buyers: figures.buyers,
        sales: figures.sales,
        couponsIssued: figures.couponsIssued,
        couponsRedeemed: figures.couponsRedeemed,
        couponValue: figures.couponValue,
        cost: figures.cost,
        responseRate: figures.metrics.responseRate,
        averageOrderValue: figures.metrics.averageOrderValue,
        conversionRate: figures.metrics.conversionRate,
        roi: figures.metrics.roi,
      };
      for (const [key, value] of Object.entries(expected)) {
        expect(
          await card.locator(`[data-cell="${arm}.${key}"]`).getAttribute('data-value'),
          `row ${i} ${arm}.${key}`,
        ).toBe(value === null ? '' : String(value));
      }
      expect(await card.locator(`[data-cell="${arm}.targets"]`).innerText()).toBe(
        figures.targets.toLocaleString('zh-CN'),
      );
    }
    const lift = card.getByTestId('lift');
    expect(await lift.getAttribute('data-value')).toBe(row.lift ? String(row.lift.lift) : '');
    expect(await lift.getAttribute('data-significant')).toBe(row.lift ? String(row.lift.significant) : '');
  }
}
