// Shared set-up for dev-server tests: one workflow bundle per test file, one environment.
import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createTestEnv } from '@huitou/engine/temporal/test-env';
import type { TestEnv, TestEnvOptions } from '@huitou/engine/temporal/test-env';
import * as activities from './activities.js';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function testBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: silent });
  return bundle;
}

export async function startEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  return createTestEnv({ worker: { workflowBundle: await testBundle(), activities }, ...options });
}
