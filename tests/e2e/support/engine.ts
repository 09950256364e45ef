// The whole product for browser tests: the built UI served by the real API, on a fresh test
// database, a time-skipping embedded Temporal and the real journey worker (runs really run).
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@huitou/schemas/http';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { insertCustomers } from '../../integration/db/fixtures.ts';
import type { TestApi } from '../../integration/api/helpers.ts';
import { startTestApiOnTemporal } from '../../integration/api/helpers.ts';
import { buildBuilderUi, builderDist, repoRoot } from './browser.ts';
import { headerAction } from './header.ts';

export interface BrowserEngine {
  readonly api: TestApi;
  readonly env: TestEnv;
  /** The builder's address (served by the engine, so /api is on the same origin). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `customers`: that many bare customers (no orders); `demoShop`: the deterministic demo shop of that
 * size instead (orders up to 2026-11-20, 11.11 buyers included), so real segments find members.
 */
export async function startBrowserEngine(
  options: { customers?: number; demoShop?: number } = {},
): Promise<BrowserEngine> {
  buildBuilderUi();
  const { api, env } = await startTestApiOnTemporal({}, { uiDir: builderDist });
  const customers = options.customers ?? 0;
  if (customers > 0)
    await insertCustomers(
      api.db.pool,
      Array.from({ length: customers }, (_, i) => i + 1),
    );
  if (options.demoShop) await seedDemoShop(api.db.pool, { customers: options.demoShop });
  return { api, env, url: `${api.url}/`, close: () => api.close() };
}

/** Signs in on the sign-in screen with the test key of `role`, and waits for the role to show. */
export async function signIn(page: Page, engine: BrowserEngine, role: Role): Promise<void> {
  await page.getByTestId('api-key').fill(engine.api.keys[role]);
  await page.getByTestId('signin-submit').click();
  await page.locator(`[data-testid="role"][data-role="${role}"]`).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await headerAction(page, 'sign-out');
  await page.getByTestId('signin').waitFor();
}

/** Screenshots for docs/builder.md (small PNGs, committed): docs/screenshots/<name>. */
export function readmeScreenshot(name: string): string {
  const dir = join(repoRoot, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
