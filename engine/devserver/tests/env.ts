// Shared set-up for dev-server tests: the test workflows bundled once (cached on disk by content,
// so each test file and the worker child process skip webpack), and one environment per file.
import { bundleWorkflowCode } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestEnv } from '@huitou/engine/temporal/test-env';
import type { TestEnv, TestEnvOptions } from '@huitou/engine/temporal/test-env';
import * as activities from './activities.js';

const workflowsDir = fileURLToPath(new URL('./workflows/', import.meta.url));
export const workflowsPath = join(workflowsDir, 'index.ts');
const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

/** Bundles `file` of the test workflows folder, reusing an earlier bundle of the same sources. */
export async function bundlePath(file = 'index.ts'): Promise<string> {
  const hash = createHash('sha256');
  hash.update(file);
  hash.update(readFileSync(fileURLToPath(import.meta.resolve('@temporalio/workflow/package.json'))));
  for (const name of readdirSync(workflowsDir).sort()) hash.update(name).update(readFileSync(join(workflowsDir, name)));
  const cacheDir = fileURLToPath(new URL('../../../node_modules/.cache/huitou-test-bundles/', import.meta.url));
  const path = join(cacheDir, `${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const { code } = await bundleWorkflowCode({ workflowsPath: join(workflowsDir, file), logger: silent });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, code);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return path;
}

export async function testBundle(file = 'index.ts'): Promise<{ codePath: string }> {
  return { codePath: await bundlePath(file) };
}

export async function startEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  return createTestEnv({ worker: { workflowBundle: await testBundle(), activities }, ...options });
}

/** Polls `condition` every 25 ms, for up to 5 s of real time (server state a test drives by hand). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
