// The Customers page in Chromium: a marketer looks a demo-shop customer up by nickname (phone
// masked), opens their page and sees the API's orders and messages (one sent, one skipped by the
// real send path after they opted out), then "simulate this customer" opens a journey's simulator
// in its one-customer mode on them.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSideEffectActivities, localSinkProvider } from '../../activities/src/side-effects/index.ts';
import { nodeCall, shanghai } from '../integration/activities/helpers.ts';
import { insertRun } from '../integration/db/fixtures.ts';
import { readmeScreenshot } from './support/engine.ts';
import { builderSession } from './support/session.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const MORNING = shanghai('2026-11-21T10:00:00');

describe.skipIf(!chromiumPath)('the Customers page in Chromium', () => {
  const session = builderSession('marketer', { demoShop: 200 });
  let customer: { id: number; nickname: string; phone: string };
  let journeyId: string;

  // After the session's beforeAll: the product runs, the marketer is signed in, no page is open yet.
  beforeAll(async () => {
    const { engine } = session;
    const pool = engine.api.db.pool;
    // The reachable demo customer with the most orders (ties by id).
    const { rows } = await pool.query<{ id: string; nickname: string; phone: string }>(
      `SELECT c.id, c.nickname, c.phone FROM customers c JOIN orders o ON o.customer_id = c.id
       WHERE c.phone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM opt_outs x WHERE x.customer_id = c.id OR x.recipient = c.phone)
       GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    customer = { ...rows[0], id: Number(rows[0].id) };
    const created = await engine.api.call('POST', '/api/templates/newBuyer1111/journeys', {
      role: 'marketer',
      body: {},
    });
    expect(created.status).toBe(201);
    journeyId = created.body.id;
    // A care journey texted them once; they replied TD; its next text was skipped by the send path.
    const runId = await insertRun(pool, [{ customerId: customer.id, shard: 0, holdout: false }]);
    await pool.query(`UPDATE journeys SET name = '复购关怀' WHERE id = (SELECT journey_id FROM runs WHERE id = $1)`, [
      runId,
    ]);
    const acts = createSideEffectActivities({ pool, provider: localSinkProvider(pool), now: () => new Date(MORNING) });
    const sms = (nodeId: string, now: number) =>
      acts.sendSms(
        nodeCall(
          'action.sms',
          { smsClass: 'marketing', template: '{nickname}，您的回购券已到账，记得使用哦' },
          { ref: { runId, shard: 0, cohort: 'root' }, nodeId, now },
        ),
      );
    await sms('thanks', MORNING);
    await pool.query(`INSERT INTO opt_outs (recipient, customer_id, source) VALUES ($1, $2, 'reply')`, [
      customer.phone,
      customer.id,
    ]);
    await sms('care', MORNING + 86_400_000);
  });

  it('finds the customer by nickname, phone masked for a marketer', async () => {
    const { engine, page } = session;
    await page.goto(`${engine.url}customers`);
    await page.getByTestId('customers-q').fill(customer.nickname);
    await page.getByTestId('customers-search').click();
    const row = page.getByTestId(`customer-row-${customer.id}`);
    await row.waitFor();
    expect(page.url()).toContain(`q=${encodeURIComponent(customer.nickname)}`);
    const text = await row.innerText();
    expect(text).toContain(`****${customer.phone.slice(-4)}`);
    expect(text).not.toContain(customer.phone);
    const api = await engine.api.call('GET', `/api/customers?q=${encodeURIComponent(customer.nickname)}&limit=20`, {
      role: 'marketer',
    });
    expect(await page.locator('[data-testid^="customer-row-"]').count()).toBe(api.body.customers.length);
    await page.screenshot({ path: readmeScreenshot('customers.png') });
  });

  it("opens the customer's page: the API's orders, and messages sent and skipped with the reason", async () => {
    const { engine, page } = session;
    await page.getByTestId(`customer-row-${customer.id}`).getByRole('link').click();
    await page.locator(`[data-testid="customer-page"][data-customer-id="${customer.id}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${customer.id}`);

    const orders = (await engine.api.call('GET', `/api/customers/${customer.id}/orders`, { role: 'marketer' })).body;
    expect(orders.orders.length).toBeGreaterThan(0);
    const orderRows = page.getByTestId('customer-orders').locator('tbody tr');
    await orderRows.first().waitFor();
    expect(await orderRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).toEqual(
      orders.orders.map((o: { id: number }) => `order-${o.id}`),
    );

    const messages = (await engine.api.call('GET', `/api/customers/${customer.id}/messages`, { role: 'marketer' })).body
      .messages as { id: number; status: string; skipReason: string | null }[];
    expect(messages.map((m) => m.skipReason)).toEqual(['opted_out', null]);
    await page.getByTestId('customer-tab-messages').click();
    const messageRows = page.getByTestId('customer-messages').locator('tbody tr');
    await messageRows.first().waitFor();
    expect(await messageRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(
      messages.map((m) => m.status),
    );
    expect(await page.getByTestId(`message-${messages[0].id}`).innerText()).toContain('退订');
    expect(await page.getByTestId('customer-opt-out').innerText()).toContain('已退订');
    await page.screenshot({ path: readmeScreenshot('customer.png') });
    await page.getByTestId('customer-tab-journeys').click();
    // The tab shows its heading at once and its journeys when they have loaded.
    const journeys = page.getByTestId('customer-journeys');
    await journeys.getByText('复购关怀').first().waitFor();
    expect(await journeys.innerText()).toContain('复购关怀');
  });

  it("opens a journey's simulator in its one-customer mode on this customer", async () => {
    const { page, pageErrors } = session;
    await page.getByTestId('customer-simulate-journey').selectOption(journeyId);
    await page.getByTestId('customer-simulate-link').click();
    const chosen = page.getByTestId('simulate-panel').getByTestId('customer-chosen');
    await chosen.waitFor();
    expect(await chosen.getAttribute('data-customer-id')).toBe(String(customer.id));
    expect(new URL(page.url()).searchParams.get('simulate')).toBe(String(customer.id));
    await page.getByTestId('simulate-close').click();
    await page.getByTestId('simulate-panel').waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe(`/journeys/${journeyId}`);
    expect(new URL(page.url()).search).toBe('');
    expect(pageErrors).toEqual([]);
  });
});
