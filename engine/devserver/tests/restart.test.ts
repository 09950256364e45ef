import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { temporal } from '@temporalio/proto';
import { DevServer } from '../src/index.ts';
import { attempts } from './activities.js';
import { startEnv, testBundle } from './env.js';
import * as activities from './activities.js';

const MINUTE = 60_000;

describe('a worker killed mid-workflow', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv({ worker: undefined });
  });
  afterAll(async () => env?.shutdown());

  it('is replaced by a new worker that replays the history and finishes the workflow', async () => {
    const taskQueue = 'restart-q';
    const script = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, env.server.address, taskQueue, (await testBundle()).codePath],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const output: string[] = [];
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.join('').includes(text)) resolve();
        };
        child.stdout.on('data', (d: Buffer) => {
          output.push(d.toString());
          check();
        });
        child.on('exit', (code) => reject(new Error(`worker process exited (${code}) before printing ${text}`)));
        check();
      });
    const started = seen('STARTED k1');
    const handle = await env.client.workflow.start('stepsAcrossRestart', {
      args: ['k1'],
      taskQueue,
      workflowId: 'restart-1',
    });
    await started;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // The step's heartbeat times out (1 s), it is retried on the new worker, then the 1-hour timer skips.
    const replacement = await env.startWorker({ taskQueue, workflowBundle: await testBundle(), activities });
    const result = await handle.result();
    expect(result).toEqual(['k1: first step on attempt 2', 'k1: second step']);
    expect(attempts.get('k1')).toEqual([2]);
    await replacement.stop();
  });
});

describe('durable mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitou-temporal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recovers timers, signals, queued tasks and pending activities after a restart', async () => {
    // Before the stop: a worker without activities, so the activity stays pending.
    const before = await startEnv({
      dataDir: dir,
      taskQueue: 'durable',
      worker: { workflowBundle: await testBundle(), activities: {} },
    });
    const sleeper = await before.client.workflow.start('sleeper', {
      args: [10 * MINUTE],
      taskQueue: 'durable',
      workflowId: 'd-timer',
    });
    const approval = await before.client.workflow.start('waitForApproval', {
      taskQueue: 'durable',
      workflowId: 'd-signal',
    });
    await approval.signal('approve', 'ann');
    await before.client.workflow.start('greet', {
      args: ['after restart'],
      taskQueue: 'durable',
      workflowId: 'd-activity',
    });
    const done = await before.client.workflow.execute('sleeper', {
      args: [1000],
      taskQueue: 'durable',
      workflowId: 'd-closed',
    });
    expect(done).toBeGreaterThanOrEqual(1000);
    const waitFor = async (workflowId: string, type: number) => {
      for (let i = 0; i < 100; i++) {
        const h = await before.client.workflow.getHandle(workflowId).fetchHistory();
        if (h.events!.some((e) => e.eventType === type)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${workflowId} never reached ${type}`);
    };
    const E = temporal.api.enums.v1.EventType;
    await waitFor('d-timer', E.EVENT_TYPE_TIMER_STARTED);
    await waitFor('d-activity', E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    await waitFor('d-signal', E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const timerHistory = (await sleeper.fetchHistory()).events!.length;
    await before.shutdown();

    // After the restart: a new server on the same data directory, a worker with activities.
    const after = await startEnv({ dataDir: dir, taskQueue: 'durable' });
    try {
      const client = after.client.workflow;
      expect((await client.getHandle('d-closed').describe()).status.name).toBe('COMPLETED');
      expect((await client.getHandle('d-timer').fetchHistory()).events!.length).toBeGreaterThanOrEqual(timerHistory);
      expect(await client.getHandle('d-timer').result()).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(await client.getHandle('d-activity').result()).toBe('hello after restart');
      await client.getHandle('d-signal').signal('approve', 'bob');
      expect(await client.getHandle('d-signal').result()).toEqual(['ann', 'bob']);
    } finally {
      await after.shutdown();
    }
  });

  it('refuses a second server on the same data directory, leaving the journal intact', async () => {
    const lockDir = mkdtempSync(join(tmpdir(), 'huitou-lock-'));
    const first = await startEnv({ dataDir: lockDir, retentionMs: 200 });
    try {
      await first.client.workflow.execute('greet', { args: ['x'], taskQueue: first.taskQueue, workflowId: 'lock-a' });
      await new Promise((r) => setTimeout(r, 1500)); // retention writes a deletion: the next start would compact
      await expect(DevServer.start({ dataDir: lockDir })).rejects.toThrow(/in use|already used/);
      const running = await first.client.workflow.start('waitForApproval', {
        taskQueue: first.taskQueue,
        workflowId: 'lock-b',
      });
      await running.signal('approve', 'ann');
    } finally {
      await first.shutdown();
    }
    const second = await startEnv({ dataDir: lockDir });
    try {
      expect((await second.client.workflow.getHandle('lock-b').describe()).status.name).toBe('RUNNING');
    } finally {
      await second.shutdown();
      rmSync(lockDir, { recursive: true, force: true });
    }
  });

  it('drops closed workflows after the retention period', async () => {
    const env = await startEnv({ retentionMs: 300 });
    try {
      await env.client.workflow.execute('greet', { args: ['x'], taskQueue: env.taskQueue, workflowId: 'retained' });
      expect(env.server.embedded!.engine.store.size).toBe(1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(env.server.embedded!.engine.store.size).toBe(0);
      await expect(env.client.workflow.getHandle('retained').describe()).rejects.toThrow(/not found/i);
    } finally {
      await env.shutdown();
    }
  });
});
