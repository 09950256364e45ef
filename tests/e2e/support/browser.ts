import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const artifactsDir = join(repoRoot, 'tests', 'artifacts');
export const builderDist = join(repoRoot, 'builder-ui', 'dist');

/** Build the builder UI once, exactly as CI and `npm start` would. */
export function buildBuilderUi(): void {
  const result = spawnSync('npm', ['run', 'build', '-w', '@huitou/builder-ui'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`builder-ui build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Debian's Chromium, headless, with background networking off (never a downloaded browser). */
export function launchChromium(executablePath: string): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** The builder as a marketer's browser shows it (1440×900, zh-CN); the page's errors go to `errors`. */
export async function openBuilderPage(
  browser: Browser,
  url: string,
  errors: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

export function artifact(name: string): string {
  return join(artifactsDir, name);
}
