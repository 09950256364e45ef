// Plain words in the marketer's language: no red on a fresh form, errors naming the field by its
// label in Chinese (then English after the switch), and a problems panel with no codes or English.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect, dropFromPalette } from './support/canvas.ts';
import { builderSession } from './support/session.ts';
import { newJourney } from './support/journeys.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

/** Words of four or more Latin letters: English leaking into a Chinese screen (SMS, CSV, JSON, A/B are short). */
const englishWord = /[A-Za-z]{4,}/g;
/** A compiler code such as PORT_UNCONNECTED, or a key path such as nodes.1.config. */
const rawCode = /[A-Z]{2,}_[A-Z_]+|nodes\.\d|config\./;

function expectPlainChinese(text: string) {
  expect(text).not.toMatch(rawCode);
  expect(text.match(englishWord) ?? []).toEqual([]);
}

describe.skipIf(!chromiumPath)('plain words in Chromium', () => {
  const session = builderSession();
  const { pageErrors } = session;
  let page: Page;

  beforeAll(async () => {
    ({ page } = session);
    await newJourney(page, 'blank');
  });

  const templateRow = () => page.getByTestId('node-inspector').getByTestId('field-template');
  const problemsText = () => page.getByTestId('problems-panel').innerText();

  it('a new SMS node: its empty text is a problem, but the form is not red before it is touched', async () => {
    await dropFromPalette(page, 'action.sms', 420, 200);
    await page.getByTestId('node-sms_1').click();
    await templateRow().waitFor();
    // The problem exists (the panel lists it, by the field's label)...
    await expect.poll(problemsText).toContain('请填写「短信内容」');
    // ...yet nothing in the inspector is red.
    expect(await page.getByTestId('node-inspector').locator('.field-error').count()).toBe(0);
    expect(await templateRow().getAttribute('class')).not.toContain('has-error');
  });

  it('typing then clearing the text: a Chinese message naming the field; English after the switch', async () => {
    const template = page.getByTestId('sms-template');
    await template.fill('你好');
    await template.fill('');
    const error = templateRow().locator('.field-error');
    await expect.poll(() => error.innerText()).toBe('请填写「短信内容」');

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => error.innerText()).toBe('Please fill in "Message"');
    await expect.poll(problemsText).toContain('Please fill in "Message"');

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => error.innerText()).toBe('请填写「短信内容」');
  });

  it('the problems panel in Chinese: no codes, no key paths, no English words, at every step', async () => {
    // With a text and an entry the journey rules speak: the SMS's open exit, no signature.
    await page.getByTestId('sms-template').fill('感谢您的支持');
    await expect.poll(problemsText).toContain('旅程还没有入口');
    expectPlainChinese(await problemsText());
    await dropFromPalette(page, 'entry.audience', 160, 200);
    await page.getByTestId('node-audience_1').waitFor();
    await connect(page, 'audience_1', 'out', 'sms_1');
    await expect.poll(() => page.getByTestId('problem').count()).toBeGreaterThanOrEqual(2);
    const text = await problemsText();
    expect(text).toContain('出口“下一步”还没有连到下一个节点');
    expectPlainChinese(text);
    // The code stays only as a data attribute for tools, never as text.
    expect(await page.locator('.problem-code').count()).toBe(0);
  });

  it('journey settings are not red until a check is asked for; then every field shows its error', async () => {
    await page.getByTestId('tab-settings').click();
    await page.locator('#s-signature').waitFor();
    expect(await page.locator('.sidepanel-body .field-error').count()).toBe(0);
    await expect.poll(problemsText).toContain('请在旅程设置里填写短信签名');

    await page.getByTestId('validate').click();
    await expect
      .poll(() => page.locator('.sidepanel-body .field-error').allInnerTexts())
      .toContain('旅程会发短信，请在旅程设置里填写短信签名');
    expect(pageErrors).toEqual([]);
  });
});
