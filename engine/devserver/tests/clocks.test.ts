import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { RealClock, SkippingClock } from '../src/clock.ts';
import { startEnv } from './env.js';

const DAY = 24 * 3600 * 1000;

describe('time skipping locks', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => env?.shutdown());

  it('does not move time while nobody waits, and skips while a client sleeps or awaits a result', async () => {
    const t0 = env.now();
    const handle = await env.client.workflow.start('sleeper', {
      args: [DAY],
      taskQueue: env.taskQueue,
      workflowId: 'lock-1',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(env.now() - t0).toBeLessThan(DAY / 2);

    await env.sleep(2 * DAY);
    expect(env.now() - t0).toBeGreaterThanOrEqual(2 * DAY);
    expect((await handle.describe()).status.name).toBe('COMPLETED');

    const second = await env.client.workflow.start('sleeper', {
      args: [DAY],
      taskQueue: env.taskQueue,
      workflowId: 'lock-2',
    });
    expect(await second.result()).toBeGreaterThanOrEqual(DAY);
  });

  it('keeps time locked while a plain client awaits a result: only the TestService unlocks it', async () => {
    // As on Temporal's test server: the SDK's test client unlocks around result() (env.client does).
    const plain = new Client({ connection: env.connection });
    const t0 = env.now();
    const handle = await plain.workflow.start('sleeper', {
      args: [DAY],
      taskQueue: env.taskQueue,
      workflowId: 'lock-plain',
    });
    const outcome = await Promise.race([
      handle.result().then(() => 'completed'),
      new Promise((r) => setTimeout(() => r('still waiting'), 1000)),
    ]);
    expect(outcome).toBe('still waiting');
    expect(env.now() - t0).toBeLessThan(DAY / 2);
    expect(await env.client.workflow.getHandle('lock-plain').result()).toBeGreaterThanOrEqual(DAY);
  });

  it('does not skip while an activity is running', async () => {
    expect(
      await env.client.workflow.execute('activityVersusTimer', {
        args: ['clock-1'],
        taskQueue: env.taskQueue,
        workflowId: 'lock-3',
      }),
    ).toBe('finished');
  });
});

describe('clocks', () => {
  it('the real clock fires timers and cancels them', async () => {
    const clock = new RealClock();
    const fired: string[] = [];
    clock.schedule(clock.now() + 30, () => fired.push('a'));
    const b = clock.schedule(clock.now() + 40, () => fired.push('b'));
    b.cancel();
    await new Promise((r) => setTimeout(r, 100));
    expect(fired).toEqual(['a']);
    clock.close();
  });

  it('the skipping clock jumps to the next timer only when allowed, in order', async () => {
    let allowed = false;
    const clock = new SkippingClock(() => allowed, 0);
    const fired: number[] = [];
    clock.schedule(3 * DAY, () => fired.push(3));
    clock.schedule(40 * DAY, () => fired.push(40));
    clock.schedule(3 * DAY, () => fired.push(33));
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toEqual([]);
    allowed = true;
    clock.maybeSkip();
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toEqual([3, 33, 40]);
    expect(clock.now()).toBeGreaterThanOrEqual(40 * DAY);
    clock.close();
  });
});
