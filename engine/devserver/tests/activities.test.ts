import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { attempts } from './activities.js';
import { startEnv } from './env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.shutdown());

const run = <T>(type: string, args: unknown[], id: string) =>
  env.client.workflow.execute(type, { args, taskQueue: env.taskQueue, workflowId: id }) as Promise<T>;

describe('activities on the embedded dev server', () => {
  it('retries with exponential backoff until success (backoff time skipped)', async () => {
    const out = await run<{ result: string; elapsedMs: number }>('retryUntilSuccess', ['r1', 2], 'act-retry');
    expect(out.result).toBe('ok on attempt 3');
    expect(attempts.get('r1')).toEqual([1, 2, 3]);
    // 1 minute then 2 minutes of backoff (coefficient 2), in workflow time.
    expect(out.elapsedMs).toBeGreaterThanOrEqual(3 * 60_000);
    expect(out.elapsedMs).toBeLessThan(4 * 60_000);
  });

  it('stops at maximum attempts', async () => {
    const out = await run<string>('exhaustAttempts', ['r2'], 'act-max');
    expect(attempts.get('r2')).toEqual([1, 2, 3, 4]);
    expect(out).toContain('ActivityFailure');
    expect(out).toContain('attempt 4 failed');
  });

  it('does not retry non-retryable errors', async () => {
    const out = await run<string>('nonRetryable', ['r3'], 'act-nonretry');
    expect(attempts.get('r3')).toEqual([1]);
    expect(out).toContain('ApplicationFailure(InsufficientBalance): balance too low');
  });

  it('times out attempts after start-to-close and retries them', async () => {
    const out = await run<string>('startToCloseTimeout', ['r4'], 'act-stc');
    expect(attempts.get('r4')).toEqual([1, 2]);
    expect(out).toMatch(/TimeoutFailure: .*StartToClose/i);
  });

  it('gives up at schedule-to-close', async () => {
    const out = await run<string>('scheduleToCloseTimeout', ['r5'], 'act-s2c');
    // Attempts at 0, 3 and 6 minutes; the next (9 min) would pass the 10-minute deadline.
    expect(attempts.get('r5')).toEqual([1, 2, 3, 4]);
    expect(out).toContain('ActivityFailure');
  });

  it('times out on missed heartbeats and hands the last details to the retry', async () => {
    const out = await run<number[]>('heartbeatResume', ['r6'], 'act-hb');
    expect(attempts.get('r6')).toEqual([1, 2]);
    expect(out).toEqual([1, 2, 3]);
  });

  it('delivers cancellation to a heartbeating activity', async () => {
    const out = await run<string>('cancelActivity', ['r7'], 'act-cancel');
    expect(attempts.get('r7:cancelled')).toEqual([1]);
    expect(out).toContain('CancelledFailure');
  });
});
