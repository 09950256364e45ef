// The e-mail node (issue 19 §3) in the builder: it comes from the palette (its definition), its
// form has subject and body, the body's variable chips insert at the caret, validation clears once
// both are filled, and the saved draft holds what was typed.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect, dropFromPalette, problemCount } from './support/canvas.ts';
import { readmeScreenshot } from './support/engine.ts';
import type { BrowserEngine } from './support/engine.ts';
import { newJourney } from './support/journeys.ts';
import { builderSession } from './support/session.ts';

const chromiumPath = process.env.CHROMIUM_PATH;

describe.skipIf(!chromiumPath)('the e-mail node, in Chromium', () => {
  const session = builderSession();
  const { pageErrors } = session;
  let engine: BrowserEngine;
  let page: Page;

  beforeAll(async () => {
    ({ engine, page } = session);
  });

  it('is drawn from the palette, filled through its form with a variable chip, and saved as typed', async () => {
    await newJourney(page, 'blank');
    await page.getByTestId('journey-name').fill('新品邮件');
    await expect(page.getByTestId('palette-action.email').innerText()).resolves.toContain('邮件');
    await dropFromPalette(page, 'entry.audience', 140, 140);
    await dropFromPalette(page, 'action.email', 440, 140);
    await dropFromPalette(page, 'exit', 740, 140);
    for (const id of ['audience_1', 'email_1', 'exit_1']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'audience_1', 'out', 'email_1');
    await connect(page, 'email_1', 'out', 'exit_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    // Subject and body are required.
    await expect.poll(() => page.getByTestId('node-email_1').getByTestId('node-error-badge').count()).toBe(1);

    await page.getByTestId('node-email_1').click();
    await page.locator('#email_1-subject').fill('新品到了');
    const body = page.locator('#email_1-body');
    await body.fill('亲爱的');
    await page.getByTestId('node-inspector').locator('button[title="{nickname}"]').click();
    await expect.poll(() => body.inputValue()).toBe('亲爱的{nickname}');
    await body.press('End');
    await body.pressSequentially('：新品上架，欢迎回来看看。');
    await expect.poll(() => problemCount(page)).toBe(0);
    await page.screenshot({ path: readmeScreenshot('email-node.png') });

    let saved: { type: string; config: Record<string, unknown> } | undefined;
    await expect
      .poll(async () => {
        const list = await engine.api.call('GET', '/api/journeys?limit=100', { role: 'marketer' });
        const id = (list.body.journeys as Array<{ id: string; name: string }>).find((j) => j.name === '新品邮件')?.id;
        if (!id) return null;
        const draft = (await engine.api.call('GET', `/api/journeys/${id}`, { role: 'marketer' })).body.draft as {
          nodes: Array<{ id: string; type: string; config: Record<string, unknown> }>;
        };
        saved = draft.nodes.find((n) => n.id === 'email_1');
        return saved?.config.body ?? null;
      })
      .toBe('亲爱的{nickname}：新品上架，欢迎回来看看。');
    expect(saved).toMatchObject({ type: 'action.email', config: { subject: '新品到了' } });
    expect(pageErrors).toEqual([]);
  });
});
