// Saved segments (人群) in Chromium on the real engine: a marketer creates one from the list with
// the segment builder and its live count, edits it, opens a prefilled one from a link (the shop
// overview's), and picks one in a journey's entry condition; the list then names that journey.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { BrowserEngine } from './support/engine.ts';
import { readmeScreenshot } from './support/engine.ts';
import { builderSession } from './support/session.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

interface SavedSegment {
  id: string;
  name: string;
  definition: { where: unknown; exclude: unknown[] };
  count: number;
  usedBy: { journeyId: string; name: string }[];
}

describe.skipIf(!chromiumPath)('saved segments in Chromium', () => {
  const session = builderSession('marketer');
  const { pageErrors } = session;
  let engine: BrowserEngine;
  let page: Page;

  beforeAll(async () => {
    ({ engine, page } = session);
    // 浙江: 1, 2; 广东: 3, 4, 5 (5 opted out); 上海: 6.
    await engine.api.db.pool.query(
      `INSERT INTO customers (id, nickname, province, phone) VALUES
         (1, 'c1', '浙江', '+8613800000001'), (2, 'c2', '浙江', '+8613800000002'), (3, 'c3', '广东', '+8613800000003'),
         (4, 'c4', '广东', '+8613800000004'), (5, 'c5', '广东', '+8613800000005'), (6, 'c6', '上海', '+8613800000006')`,
    );
    await engine.api.db.pool.query(
      `INSERT INTO opt_outs (customer_id, recipient, channel) VALUES (5, '+8613800000005', 'sms')`,
    );
  });

  const segments = async (): Promise<SavedSegment[]> =>
    (await engine.api.call('GET', '/api/segments', { role: 'viewer' })).body.segments;
  const byName = async (name: string) => (await segments()).find((s) => s.name === name);
  const open = async (path: string) => {
    await page.goto(`${engine.url}${path.replace(/^\//, '')}`);
    // Signed in with the stored key: the shell's side nav (or the editor's role badge) shows.
    await page.locator('[data-testid="nav-segments"], [data-testid="role"]').first().waitFor();
  };
  const liveCount = (scope: Page | Locator = page) =>
    scope.locator('[data-testid="seg-count"][data-state="done"]').first();

  it('creates a segment from the list with the segment builder and its live count', async () => {
    await open('/segments');
    await page.getByTestId('segments-empty').waitFor();
    await page.getByTestId('segments-new').click();
    await page.getByTestId('segment-edit').waitFor();
    expect(new URL(page.url()).pathname).toBe('/segments/new');

    await page.getByTestId('segment-name').fill('浙江买家');
    await page.getByTestId('seg-add-condition').click();
    // The new row: a province list starts as 浙江.
    await page.getByTestId('seg-kind').nth(1).selectOption('region');
    await expect.poll(() => liveCount().getAttribute('data-count')).toBe('2');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-saved').waitFor();

    const saved = await byName('浙江买家');
    expect(saved?.definition.where).toEqual({
      kind: 'all',
      of: [{ kind: 'text', field: 'province', compare: { op: 'in', values: ['浙江'] } }],
    });
    expect(new URL(page.url()).pathname).toBe(`/segments/${saved?.id}`);

    const made = await engine.api.call('POST', '/api/segments', {
      role: 'marketer',
      body: {
        name: '广东买家',
        definition: {
          where: { kind: 'text', field: 'province', compare: { op: 'in', values: ['广东'] } },
          exclude: [{ kind: 'opted_out' }],
        },
      },
    });
    expect(made.status, made.text).toBe(201);

    await page.getByText('← 全部人群').click();
    await page.getByTestId('segments-table').waitFor();
    const rows = page.getByTestId('segment-row');
    await expect.poll(() => rows.count()).toBe(2);
    const counts = await page
      .getByTestId('segment-row')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('[data-testid="segment-link"]')?.textContent,
          tr.querySelector('[data-testid="segment-count"]')?.getAttribute('data-count'),
        ]),
      );
    expect(counts).toEqual([
      ['广东买家', '2'],
      ['浙江买家', '2'],
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('edits a saved segment: renamed, an exclusion added, the count follows', async () => {
    await open('/segments');
    await page.getByTestId('segment-link').filter({ hasText: '广东买家' }).click();
    await page.getByTestId('segment-edit').waitFor();
    await expect.poll(() => page.getByTestId('segment-name').inputValue()).toBe('广东买家');
    await expect.poll(() => liveCount().getAttribute('data-count')).toBe('2');
    await page.getByTestId('seg-exclude-opted_out').click();
    await expect.poll(() => liveCount().getAttribute('data-count')).toBe('3');
    await page.getByTestId('segment-name').fill('广东全部买家');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-saved').waitFor();
    await page.screenshot({ path: readmeScreenshot('segment-edit.png') });

    const edited = await byName('广东全部买家');
    expect(edited).toMatchObject({ count: 3, definition: { exclude: [] } });
    expect(await byName('广东买家')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('opens /segments/new prefilled from a link, and says so when the link is broken', async () => {
    const definition = { where: { kind: 'text', field: 'province', compare: { op: 'in', values: ['上海', '浙江'] } } };
    await open(
      `/segments/new?name=${encodeURIComponent('沪浙')}&definition=${encodeURIComponent(JSON.stringify(definition))}`,
    );
    await page.getByTestId('segment-edit').waitFor();
    expect(await page.getByTestId('segment-name').inputValue()).toBe('沪浙');
    await expect.poll(() => liveCount().getAttribute('data-count')).toBe('3');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-saved').waitFor();
    expect((await byName('沪浙'))?.count).toBe(3);

    await open(`/segments/new?name=x&definition=${encodeURIComponent('{"where":')}`);
    await page.getByTestId('segment-prefill-invalid').waitFor();
    await expect.poll(() => liveCount().getAttribute('data-count')).toBe('6');
    expect(pageErrors).toEqual([]);
  });

  it('picks a saved segment in a journey entry; the list names the journey', async () => {
    const zhejiang = (await byName('浙江买家')) as SavedSegment;
    const created = await engine.api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: {
        draft: {
          name: '浙江回访',
          nodes: [
            node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] } } }, 0, 0),
            node('exit', 'exit', {}, 1, 0),
          ],
          edges: [edge('entry', 'exit')],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const journeyId = created.body.id as string;

    await open(`/journeys/${journeyId}`);
    await page.getByTestId('node-entry').click();
    const inspector = page.getByTestId('node-inspector');
    await inspector.getByTestId('seg-add-condition').click();
    await inspector.getByTestId('seg-kind').nth(1).selectOption('saved_segment');
    await inspector.getByTestId('seg-saved').selectOption({ label: '浙江买家' });
    await expect.poll(() => inspector.getByTestId('seg-sentence').first().innerText()).toBe('属于人群“浙江买家”');
    await expect.poll(() => liveCount(inspector).getAttribute('data-count')).toBe('2');

    await expect
      .poll(async () => {
        const j = await engine.api.call('GET', `/api/journeys/${journeyId}`, { role: 'marketer' });
        return j.body.draft?.nodes?.[0]?.config?.segment?.where;
      })
      .toEqual({ kind: 'all', of: [{ kind: 'saved_segment', segmentId: zhejiang.id }] });

    await open('/segments');
    const row = page.getByTestId('segment-row').filter({ hasText: '浙江买家' });
    await expect.poll(() => row.getByTestId('segment-used-by').innerText()).toBe('浙江回访');
    await page.screenshot({ path: readmeScreenshot('segments.png') });
    expect((await byName('浙江买家'))?.usedBy).toEqual([{ journeyId, name: '浙江回访', state: 'draft' }]);
    expect(pageErrors).toEqual([]);
  });
  it('archives a segment from the list after asking', async () => {
    await open('/segments');
    const row = page.getByTestId('segment-row').filter({ hasText: '沪浙' });
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await row.getByTestId('segment-archive').click();
    await row.waitFor({ state: 'detached' });
    expect(asked).toContain('沪浙');
    expect(await byName('沪浙')).toBeUndefined();
    expect(await page.getByTestId('segment-row').count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
