// Journeys for browser tests: made through the API and opened by their address, or made the way a
// marketer does (Home's "new journey", or the editor's 模板 button: pick a card, then confirm).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BrowserEngine } from './engine.ts';

/** A draft journey made through the API as a marketer; returns its id. */
export async function createJourney(
  engine: BrowserEngine,
  draft: { name: string } & Record<string, unknown>,
): Promise<string> {
  const made = await engine.api.call('POST', '/api/journeys', { role: 'marketer', body: { name: draft.name, draft } });
  expect(made.status).toBe(201);
  return made.body.id as string;
}

/** Opens a journey (or one of its screens: `/runs/<id>`, `/report`) by its address, as a shared link would. */
export async function openJourney(page: Page, engine: BrowserEngine, journeyId: string, screen = ''): Promise<void> {
  await page.goto(`${engine.url}journeys/${encodeURIComponent(journeyId)}${screen}`);
  if (screen === '') await page.getByTestId('journey-name').waitFor();
}

/**
 * Makes a journey from a template (its id, or 'blank') and waits for the editor: from Home with its
 * "new journey" button, from the editor with the 模板 button.
 */
export async function newJourney(page: Page, template: string): Promise<void> {
  const gallery = page.getByTestId('templates-gallery');
  if (!(await gallery.isVisible())) {
    const fromHome = page.getByTestId('home-new-journey');
    await page.getByTestId('home').or(page.getByTestId('topbar')).first().waitFor();
    if (await fromHome.isVisible()) await fromHome.click();
    else await page.getByTestId('open-templates').click();
  }
  await page.getByTestId(`template-${template}`).click();
  await page.getByTestId('template-confirm').click();
  await gallery.waitFor({ state: 'detached' });
  await page.getByTestId('journey-name').waitFor();
}
