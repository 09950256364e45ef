// One describe block's browser session: the product, Debian's Chromium and the builder page signed
// in, opened before the block's tests and closed after them (the same setup every builder test had).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '@huitou/schemas/http';
import { launchChromium, openBuilderPage } from './browser.ts';
import type { BrowserEngine } from './engine.ts';
import { signIn, startBrowserEngine } from './engine.ts';

export interface BuilderSession {
  engine: BrowserEngine;
  browser: Browser;
  page: Page;
  /** Errors the page threw; a test ends by expecting none. */
  readonly pageErrors: string[];
}

/**
 * Call inside a describe: its fields are set once the block's first beforeAll has run. `shop` is
 * startBrowserEngine's (bare customers or the demo shop).
 */
export function builderSession(
  role: Role = 'marketer',
  shop: Parameters<typeof startBrowserEngine>[0] = {},
): BuilderSession {
  const session = { pageErrors: [] as string[] } as BuilderSession;
  beforeAll(async () => {
    session.engine = await startBrowserEngine(shop);
    session.browser = await launchChromium(process.env.CHROMIUM_PATH as string);
    session.page = await openBuilderPage(session.browser, session.engine.url, session.pageErrors);
    await signIn(session.page, session.engine, role);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.engine?.close();
  });
  return session;
}
