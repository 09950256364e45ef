import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { createTestEnv } from '@huitou/engine/temporal/test-env';
import { temporal } from '@temporalio/proto';
import { testBundle } from './env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.shutdown());

const eventTypes = async (workflowId: string) => {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.map((e) => temporal.api.enums.v1.EventType[e.eventType!]);
};

describe('workflow task failures and timeouts', () => {
  it('retries a failing task without growing the history, until fixed code completes it', async () => {
    const buggy = await testBundle('buggy.ts');
    const fixed = await testBundle('fixed.ts');
    const taskQueue = 'wft-retry';
    const bad = await env.startWorker({ taskQueue, workflowBundle: buggy });
    const handle = await env.client.workflow.start('evolving', {
      taskQueue,
      workflowId: 'wft-1',
      workflowTaskTimeout: '1s',
    });
    // Attempt 1 fails (recorded); later attempts are left to time out (1 s each) and are transient.
    await new Promise((r) => setTimeout(r, 2500));
    const early = await eventTypes('wft-1');
    await new Promise((r) => setTimeout(r, 2000));
    const later = await eventTypes('wft-1');
    expect(later).toEqual(early);
    // Only the first attempt is recorded (as a failure, or as a timeout if a loaded machine made
    // the worker miss the 1 s deadline); every later attempt is transient.
    const recorded = later.filter(
      (t) => t === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' || t === 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT',
    );
    expect(recorded).toHaveLength(1);
    const described = await handle.describe();
    expect(described.status.name).toBe('RUNNING');

    await bad.stop();
    await env.startWorker({ taskQueue, workflowBundle: fixed });
    expect(await handle.result()).toBe('fixed');
    const history = await handle.fetchHistory();
    const scheduled = history.events!.filter((e) => e.workflowTaskScheduledEventAttributes);
    expect(scheduled.at(-1)!.workflowTaskScheduledEventAttributes!.attempt).toBeGreaterThanOrEqual(3);
  });
});
