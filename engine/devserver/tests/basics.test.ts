import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv } from './env.js';

let env: TestEnv;

beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.shutdown());

describe('embedded dev server: basics', () => {
  it('runs a workflow with an activity to completion', async () => {
    const result = await env.client.workflow.execute('greet', {
      args: ['world'],
      taskQueue: env.taskQueue,
      workflowId: 'greet-1',
    });
    expect(result).toBe('hello world');
  });

  it('skips 30 days of a sleeping workflow', async () => {
    const before = env.now();
    const elapsed = await env.client.workflow.execute('sleeper', {
      args: [30 * 24 * 3600 * 1000],
      taskQueue: env.taskQueue,
      workflowId: 'sleep-30d',
    });
    expect(elapsed).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(env.now() - before).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
  });

  it('reports workflow failures', async () => {
    const err = await env.client.workflow
      .execute('failing', { args: ['nope'], taskQueue: env.taskQueue, workflowId: 'fail-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).toBe('nope');
  });
});
