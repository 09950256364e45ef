// The admin pages in Chromium on the real engine, signed in as an admin: the settings page (a change
// persists after a reload, a bad value is named in its section, the coverage report lists the shop's
// customers), API keys (created with the secret shown once, revoked) and the audit log's filters.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { readmeScreenshot } from './support/engine.ts';
import { builderSession } from './support/session.ts';

const chromiumPath = process.env.CHROMIUM_PATH;
const DAY_MS = 86_400_000;

describe.skipIf(!chromiumPath)('the admin pages in Chromium', () => {
  const session = builderSession('admin');
  const { pageErrors } = session;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    ({ page } = session);
    const { api } = session.engine;
    base = session.engine.url;
    // Six customers: customer 1 touched six times this year, 2 twice, the others never.
    await insertCustomers(api.db.pool, [1, 2, 3, 4, 5, 6]);
    const now = Date.now();
    const touches = [...Array.from({ length: 6 }, (_, i) => [1, i]), [2, 0], [2, 1]];
    for (const [customer, n] of touches)
      await api.db.pool.query(
        `INSERT INTO messages (message_key, customer_id, class, status, sent_at) VALUES ($1, $2, 'marketing', 'delivered', $3)`,
        [`e2e:${customer}:${n}`, customer, new Date(now - (n + 1) * 20 * DAY_MS)],
      );
    for (const name of ['奶粉', '辅食'])
      expect((await api.call('POST', '/api/categories', { role: 'engineer', body: { name } })).status).toBe(201);
  });

  const open = async (path: string, ready: string) => {
    await page.goto(`${base}${path}`);
    await page.getByTestId(ready).waitFor();
  };

  it('saves settings that are still there after a reload, and names a bad value in its section', async () => {
    await open('settings', 'settings-frequencyCap');
    await expect
      .poll(() => page.getByTestId('settings-coverage-summary').innerText())
      .toBe('共 6 位顾客，5 位低于下限，1 位已达上限');
    expect(await page.getByTestId('settings-coverage-row').count()).toBe(6);

    await page.getByTestId('settings-cap-count').fill('4');
    await page.getByTestId('settings-floor').fill('2');
    await page.getByTestId('settings-quiet-from').fill('22:00');
    await page.getByTestId('settings-tz-filter').fill('berl');
    // The picker lists IANA zones only, narrowed by the filter (the chosen one stays).
    const listed = await page.getByTestId('settings-tz').locator('option').allTextContents();
    expect(listed).toEqual(['Asia/Shanghai', 'Europe/Berlin']);
    await page.getByTestId('settings-tz').selectOption('Europe/Berlin');
    await page.getByTestId('settings-signature').fill('【回头小店】');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();

    // Against the new floor of 2 and cap of 4: customer 2 is covered now, customer 1 still at the cap.
    await expect
      .poll(() => page.getByTestId('settings-coverage-summary').innerText())
      .toBe('共 6 位顾客，4 位低于下限，1 位已达上限');
    await page.getByTestId('settings-coverage-below').check();
    await expect.poll(() => page.getByTestId('settings-coverage-row').count()).toBe(4);

    await page.reload();
    await page.getByTestId('settings-frequencyCap').waitFor();
    await page.getByTestId('settings-coverage-row').first().waitFor();
    await page.screenshot({ path: readmeScreenshot('settings.png') });
    expect(await page.getByTestId('settings-cap-count').inputValue()).toBe('4');
    expect(await page.getByTestId('settings-floor').inputValue()).toBe('2');
    expect(await page.getByTestId('settings-quiet-from').inputValue()).toBe('22:00');
    expect(await page.getByTestId('settings-tz').inputValue()).toBe('Europe/Berlin');
    expect(await page.getByTestId('settings-signature').inputValue()).toBe('【回头小店】');
    const stored = await session.engine.api.call('GET', '/api/settings');
    expect(stored.body.settings).toMatchObject({
      frequencyCap: { count: 4, days: 365 },
      coverageFloor: 2,
      quietHours: { from: '22:00', to: '08:00' },
      timeZone: 'Europe/Berlin',
      smsSignature: '【回头小店】',
    });

    await page.getByTestId('settings-attribution').fill('91');
    await page.getByTestId('settings-save').click();
    const attribution = page.getByTestId('settings-attributionDays');
    await attribution.getByTestId('settings-field-error').waitFor();
    expect((await session.engine.api.call('GET', '/api/settings')).body.settings.attributionDays).toBe(15);
    expect(pageErrors).toEqual([]);
  });

  it('creates a key whose secret is shown once and works, then revokes it', async () => {
    await open('keys', 'keys-table');
    await page.getByTestId('keys-name').fill('店长小王');
    await page.getByTestId('keys-role').selectOption('ops');
    await page.getByTestId('keys-create').click();
    const secret = await page.getByTestId('keys-secret-value').innerText();
    const me = await fetch(`${base}api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { name: string; role: string }).role).toBe('ops');
    await page.getByTestId('keys-secret-done').click();
    await page.getByTestId('keys-secret').waitFor({ state: 'detached' });

    const row = page.locator('[data-testid="keys-row"][data-name="店长小王"]');
    expect(await row.getByTestId('keys-last-used').innerText()).toBe('从未使用');
    // The engine notes the use after answering: the list shows it once written.
    const lastUsed = async () =>
      (
        (await session.engine.api.call('GET', '/api/keys')).body.keys as { name: string; lastUsedAt: string | null }[]
      ).find((k) => k.name === '店长小王')?.lastUsedAt;
    await expect.poll(lastUsed).not.toBeNull();
    await page.reload();
    await page.getByTestId('keys-table').waitFor();
    expect(await row.getByTestId('keys-last-used').innerText()).not.toBe('从未使用');
    expect(await row.getAttribute('data-revoked')).toBe('false');
    await page.screenshot({ path: readmeScreenshot('keys.png') });
    await row.getByTestId('keys-revoke').click();
    await page.getByTestId('confirm-yes').click();
    await expect.poll(() => row.getAttribute('data-revoked')).toBe('true');
    const after = await fetch(`${base}api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it('filters the audit log by action and who, kept in the address', async () => {
    await open('audit', 'audit-table');
    const total = async () => page.getByTestId('audit-total').innerText();
    await expect.poll(total).not.toBe('共 0 条');
    const all = await total();

    await page.getByTestId('audit-action').selectOption('key.revoke');
    await expect.poll(total).toBe('共 1 条');
    expect(await page.getByTestId('audit-row').getAttribute('data-action')).toBe('key.revoke');
    expect(new URL(page.url()).searchParams.get('action')).toBe('key.revoke');

    await page.reload();
    await page.getByTestId('audit-table').waitFor();
    await expect.poll(total).toBe('共 1 条');
    await page.getByTestId('audit-action').selectOption('');
    await expect.poll(total).toBe(all);
    // The settings change and the key's creation and revocation were the admin's.
    const admin = await page
      .getByTestId('audit-actor')
      .locator('option', { hasText: 'first admin' })
      .getAttribute('value');
    await page.getByTestId('audit-actor').selectOption(admin as string);
    await expect.poll(total).not.toBe(all);
    const actions = await page
      .getByTestId('audit-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(new Set(actions)).toEqual(new Set(['settings.update', 'key.create', 'key.revoke']));
    await page.getByTestId('audit-action').selectOption('settings.update');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    await page.screenshot({ path: readmeScreenshot('audit.png') });
    expect(pageErrors).toEqual([]);
  });
});
