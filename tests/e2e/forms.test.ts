// Issue 17: a marketer builds the 催付 and birthday journeys with forms only, never typing JSON, and
// the saved drafts hold exactly what was entered.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifact } from './support/browser.ts';
import { connect, dropFromPalette, problemCount } from './support/canvas.ts';
import type { BrowserEngine } from './support/engine.ts';
import { builderSession } from './support/session.ts';
import { readmeScreenshot } from './support/engine.ts';
import { newJourney } from './support/journeys.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

interface SavedNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

describe.skipIf(!chromiumPath)('forms for every node field, in Chromium', () => {
  const session = builderSession();
  const { pageErrors } = session;
  let engine: BrowserEngine;
  let page: Page;

  beforeAll(async () => {
    ({ engine, page } = session);
  });

  /** The open inspector shows forms only: no JSON editor anywhere in its default view. */
  async function expectNoJson(): Promise<void> {
    await page.getByTestId('node-inspector').waitFor();
    expect(await page.locator('.json-editor, .json-editor textarea').count()).toBe(0);
  }

  async function inspect(nodeId: string): Promise<void> {
    await page.getByTestId(`node-${nodeId}`).click();
    await page.locator(`#${nodeId}-label`).waitFor();
    await expectNoJson();
  }

  async function blankJourney(name: string): Promise<void> {
    await newJourney(page, 'blank');
    await page.getByTestId('journey-name').fill(name);
  }

  async function setSignature(): Promise<void> {
    await page.getByTestId('tab-settings').click();
    await page.locator('#s-signature').fill('【回头小店】');
  }

  /** The draft as the API stores it, once autosave has caught up with `ready`. */
  async function savedDraft(
    name: string,
    ready: (nodes: SavedNode[], edges: number) => boolean,
    withSms = true,
  ): Promise<SavedNode[]> {
    let draft: { nodes?: SavedNode[]; edges?: unknown[]; settings?: { sms?: { signature?: string } } } | null = null;
    let id = '';
    await expect
      .poll(async () => {
        // The name is saved with the draft, so the journey is found by it once autosave caught up.
        const list = await engine.api.call('GET', '/api/journeys?limit=100', { role: 'marketer' });
        const summary = (list.body.journeys as Array<{ id: string; name: string }>).find((j) => j.name === name);
        if (summary === undefined) return false;
        id = summary.id;
        draft = (await engine.api.call('GET', `/api/journeys/${id}`, { role: 'marketer' })).body.draft;
        return (
          (!withSms || draft?.settings?.sms?.signature === '【回头小店】') &&
          ready(draft?.nodes ?? [], draft?.edges?.length ?? 0)
        );
      })
      .toBe(true);
    const nodes = (draft as unknown as { nodes: SavedNode[] }).nodes;
    const valid = await engine.api.call('POST', `/api/journeys/${id}/validate`, { role: 'marketer', body: { draft } });
    expect(valid.body.errors).toEqual([]);
    expect(valid.body.ok).toBe(true);
    return nodes;
  }

  const byId = (nodes: SavedNode[], id: string) => nodes.find((n) => n.id === id) as SavedNode;

  /** Publish through the review: a triggered journey is announced as live for every new entry, no run by hand. */
  async function publishThroughReview(name: string, trigger: RegExp): Promise<void> {
    await page.getByTestId('publish').click();
    const review = page.getByTestId('review-dialog');
    await review.getByTestId('review-trigger').waitFor();
    await expect(review.getByTestId('review-trigger').innerText()).resolves.toMatch(trigger);
    await expect(page.getByTestId('publish-confirm').innerText()).resolves.toBe('确认发布并开始');
    await page.getByTestId('publish-confirm').click();
    await review.waitFor({ state: 'detached' });
    const list = await engine.api.call('GET', '/api/journeys?limit=100', { role: 'marketer' });
    const id = (list.body.journeys as Array<{ id: string; name: string }>).find((j) => j.name === name)?.id;
    const versions = await engine.api.call('GET', `/api/journeys/${id}/versions`, { role: 'marketer' });
    expect(versions.body.versions).toHaveLength(1);
    expect(await page.getByTestId('start-run').count()).toBe(0);
    await page.getByTestId('banner-back').click();
  }

  it('builds the 催付 journey: order created, wait for payment 30 min, split on the order amount, SMS at good hours', async () => {
    await blankJourney('催付（表单）');
    await dropFromPalette(page, 'entry.event', 120, 90);
    await dropFromPalette(page, 'split.segment', 400, 90);
    await dropFromPalette(page, 'wait.event', 680, 90);
    await dropFromPalette(page, 'wait.window', 120, 330);
    await dropFromPalette(page, 'action.sms', 400, 330);
    await dropFromPalette(page, 'exit', 680, 330);
    for (const id of ['event_1', 'segment_1', 'event_2', 'window_1', 'sms_1', 'exit_1'])
      await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'event_1', 'out', 'segment_1');
    await connect(page, 'segment_1', 'match', 'event_2');
    await connect(page, 'segment_1', 'else', 'exit_1');
    await connect(page, 'event_2', 'event', 'exit_1');
    await connect(page, 'event_2', 'timeout', 'window_1');
    await connect(page, 'window_1', 'out', 'sms_1');
    await connect(page, 'sms_1', 'out', 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(7);

    await inspect('event_1');
    await page.locator('#event_1-event').selectOption('order_created');

    // The split: "订单金额 ≥ 200" from the condition builder, read back as a sentence.
    await inspect('segment_1');
    const branch = page.getByTestId('branch-0');
    await branch.getByTestId('seg-kind').first().selectOption('trigger_order');
    await branch.getByTestId('seg-order-field').selectOption('amount');
    await branch.locator('select.seg-compare-op').selectOption('gte');
    await branch.getByTestId('seg-compare-value').fill('200');
    await expect.poll(() => branch.getByTestId('seg-sentence').innerText()).toBe('订单金额 ≥ 200');
    await expectNoJson();
    await page.screenshot({ path: artifact('forms-00-order-split-zh.png') });

    await inspect('event_2');
    await page.locator('#event_2-event').selectOption('order_paid');
    await page.locator('#event_2-timeout').fill('30');
    await page.getByTestId('field-timeout').locator('select').selectOption('minutes');

    // Good hours: the new window starts 09:00–21:00; clicking the 21 and 22 o'clock blocks makes it 09:00–23:00.
    await inspect('window_1');
    const strip = page.getByTestId('time-windows');
    expect(await strip.getByTestId('tw-hour-10').getAttribute('data-good')).toBe('true');
    expect(await strip.getByTestId('tw-hour-3').getAttribute('data-good')).toBe('false');
    await strip.getByTestId('tw-hour-21').click();
    await strip.getByTestId('tw-hour-22').click();
    await expect.poll(() => strip.getByTestId('tw-to-0').getAttribute('data-value')).toBe('23:00');
    expect(await strip.getByTestId('tw-from-0').getAttribute('data-value')).toBe('09:00');
    expect(await strip.getByTestId('tw-hour-22').getAttribute('data-on')).toBe('true');
    expect(await strip.getByTestId('tw-hour-23').getAttribute('data-on')).toBe('false');
    await page.screenshot({ path: readmeScreenshot('forms-time-windows.png') });

    await inspect('sms_1');
    await page.locator('#sms_1-smsClass').selectOption('notification');
    await page.getByTestId('sms-template').fill('亲，您的订单{order.id}还未付款，商品已为您预留，付款后尽快发货哦~');
    await expectNoJson();

    await setSignature();
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.getByTestId('validate').click();
    await expect.poll(() => page.getByTestId('toast').innerText()).toContain('服务端校验通过');

    const nodes = await savedDraft(
      '催付（表单）',
      (ns, edges) => edges === 7 && ns.length === 6 && typeof byId(ns, 'sms_1')?.config.template === 'string',
    );
    expect(byId(nodes, 'event_1').config.event).toBe('order_created');
    expect(byId(nodes, 'segment_1').config.branches).toEqual([
      {
        key: 'match',
        name: '符合',
        when: { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 200 } },
      },
    ]);
    expect(byId(nodes, 'event_2').config).toMatchObject({
      event: 'order_paid',
      timeout: { amount: 30, unit: 'minutes' },
    });
    expect(byId(nodes, 'window_1').config.windows).toEqual([{ from: '09:00', to: '23:00' }]);
    expect(byId(nodes, 'sms_1').config).toMatchObject({ smsClass: 'notification' });
    await publishThroughReview('催付（表单）', /发布后，从现在起每一笔新的「下单未付款」订单都会进入此旅程/);
  });

  it('builds the birthday journey: date rule entry, coupon, SMS', async () => {
    await blankJourney('生日关怀（表单）');
    await dropFromPalette(page, 'entry.date', 120, 90);
    await dropFromPalette(page, 'action.coupon', 400, 90);
    await dropFromPalette(page, 'action.sms', 120, 330);
    await dropFromPalette(page, 'exit', 400, 330);
    for (const id of ['date_1', 'coupon_1', 'sms_1', 'exit_1']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'date_1', 'out', 'coupon_1');
    await connect(page, 'coupon_1', 'out', 'sms_1');
    await connect(page, 'sms_1', 'out', 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);

    await inspect('date_1');
    const rule = page.getByTestId('date-rule');
    expect(await rule.getByTestId('date-rule-on').inputValue()).toBe('birthday');
    await rule.getByTestId('date-rule-days').fill('3');
    await expect.poll(() => rule.getByTestId('date-rule-sentence').innerText()).toBe('生日前 3 天进入');
    await page.locator('#date_1-checkAt').selectOption('09');
    await page.locator('#date_1-checkAt-m').selectOption('30');

    await inspect('coupon_1');
    await page.locator('#coupon_1-name').fill('生日券');
    await page.locator('#coupon_1-amount').fill('20');
    await page.locator('#coupon_1-threshold').fill('99');
    await page.locator('#coupon_1-validity').fill('10');
    await expectNoJson();

    await inspect('sms_1');
    await page
      .getByTestId('sms-template')
      .fill('{nickname}，生日快乐！{coupon.amount}元生日券已到账，满{coupon.threshold}可用');

    await setSignature();
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.getByTestId('validate').click();
    await expect.poll(() => page.getByTestId('toast').innerText()).toContain('服务端校验通过');
    await page.screenshot({ path: artifact('forms-02-birthday-zh.png') });

    const nodes = await savedDraft(
      '生日关怀（表单）',
      (ns, edges) => edges === 3 && ns.length === 4 && typeof byId(ns, 'sms_1')?.config.template === 'string',
    );
    expect(byId(nodes, 'date_1').config).toMatchObject({ rule: { on: 'birthday', daysBefore: 3 }, checkAt: '09:30' });
    expect(byId(nodes, 'coupon_1').config).toMatchObject({
      name: '生日券',
      amount: 20,
      threshold: 99,
      validity: { amount: 10, unit: 'days' },
    });
    expect(byId(nodes, 'sms_1').config.template).toContain('生日快乐');
    await publishThroughReview('生日关怀（表单）', /生日/);
  });

  it('schedules an audience entry, limits re-entry and splits A/B/C with shares that must add up to 100%', async () => {
    await blankJourney('分组测试（表单）');
    await dropFromPalette(page, 'entry.audience', 120, 90);
    await dropFromPalette(page, 'split.random', 400, 90);
    await dropFromPalette(page, 'exit', 400, 330);
    for (const id of ['audience_1', 'random_1', 'exit_1']) await page.getByTestId(`node-${id}`).waitFor();

    await inspect('audience_1');
    // A customer condition, then negated in one choice: every row reads as a sentence, none as JSON.
    const segment = page.getByTestId('field-segment');
    await segment.getByTestId('seg-add-condition').click();
    const row = segment.getByTestId('seg-row').nth(1);
    await row.getByTestId('seg-kind').first().selectOption('birthday');
    await expect.poll(() => row.getByTestId('seg-sentence').first().innerText()).toBe('未来 7 天内过生日');
    await row.getByTestId('seg-kind').first().selectOption('not');
    await expect.poll(() => row.getByTestId('seg-sentence').first().innerText()).toBe('不满足：未来 7 天内过生日');
    await page.getByTestId('schedule-recurring').click();
    await page.getByTestId('schedule-every').selectOption('week');
    await page.getByTestId('schedule-weekday').selectOption('3');
    await page.getByTestId('schedule-at-h').selectOption('20');
    await page.getByTestId('reentry-cooldown').click();
    await page.locator('#audience_1-reentry-after').fill('2');
    await page.getByTestId('field-reentry').locator('select').selectOption('weeks');
    await expectNoJson();

    await inspect('random_1');
    const arms = page.getByTestId('arms-input');
    await arms.getByTestId('arm-add').click();
    await arms.getByTestId('arm-percent-0').fill('40');
    await expect.poll(() => arms.getByTestId('arms-sum').getAttribute('data-sum')).toBe('90');
    await expect(arms.getByTestId('arms-sum-error').innerText()).resolves.toContain('90%');
    await arms.getByTestId('arm-percent-2').fill('10');
    await arms.getByTestId('arm-name-2').fill('对照组');
    await expect.poll(() => arms.getByTestId('arms-sum-error').count()).toBe(0);
    await expectNoJson();
    // The JSON view is still there for experts, one click away, and back.
    await page.getByTestId('json-toggle-arms').click();
    expect(await page.locator('.json-editor textarea').count()).toBe(1);
    await page.getByTestId('json-toggle-arms').click();
    await expectNoJson();

    await connect(page, 'audience_1', 'out', 'random_1');
    for (const port of ['a', 'b', 'c']) await connect(page, 'random_1', port, 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.screenshot({ path: artifact('forms-03-arms-schedule-zh.png') });

    const nodes = await savedDraft(
      '分组测试（表单）',
      (ns, edges) => {
        const random = ns.find((n) => n.id === 'random_1');
        return edges === 4 && (random?.config.arms as unknown[] | undefined)?.length === 3;
      },
      false,
    );
    expect((byId(nodes, 'audience_1').config.segment as { where: unknown }).where).toEqual({
      kind: 'all',
      of: [{ kind: 'not', of: { kind: 'birthday', compare: { op: 'within_next_days', days: 7 } } }],
    });
    expect(byId(nodes, 'audience_1').config).toMatchObject({
      schedule: { kind: 'recurring', every: 'week', weekday: 3, at: '20:00' },
      reentry: { kind: 'cooldown', after: { amount: 2, unit: 'weeks' } },
    });
    expect(byId(nodes, 'random_1').config.arms).toEqual([
      { key: 'a', name: 'A 组', percent: 40 },
      { key: 'b', name: 'B 组', percent: 50 },
      { key: 'c', name: '对照组', percent: 10 },
    ]);

    // The forms speak English too.
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('arms-sum').innerText()).toBe('Total 100%');
    await inspect('audience_1');
    await expect(page.getByTestId('reentry-cooldown').innerText()).resolves.toBe('Again after a pause');
    expect(pageErrors).toEqual([]);
  });
});
