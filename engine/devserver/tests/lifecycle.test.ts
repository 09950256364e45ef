import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv } from './env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.shutdown());

const DAY = 24 * 3600 * 1000;
const start = (type: string, args: unknown[], workflowId: string, extra: object = {}) =>
  env.client.workflow.start(type, { args, taskQueue: env.taskQueue, workflowId, ...extra });

describe('start, describe and workflow id policies', () => {
  it('rejects a second start of a running workflow id, or returns/terminates it by policy', async () => {
    const first = await start('waitForApproval', [], 'dup-1');
    await expect(start('waitForApproval', [], 'dup-1')).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const existing = await start('waitForApproval', [], 'dup-1', {
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    expect(existing.firstExecutionRunId).toBe(first.firstExecutionRunId);
    const replaced = await start('waitForApproval', [], 'dup-1', {
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
    });
    expect(replaced.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
    expect((await env.client.workflow.getHandle('dup-1', first.firstExecutionRunId).describe()).status.name).toBe(
      'TERMINATED',
    );
    await replaced.terminate('done');
  });

  it('applies reuse policies to closed workflow ids', async () => {
    await env.client.workflow.execute('greet', { args: ['a'], taskQueue: env.taskQueue, workflowId: 'reuse-1' });
    await expect(
      env.client.workflow.execute('greet', {
        args: ['b'],
        taskQueue: env.taskQueue,
        workflowId: 'reuse-1',
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await expect(
      env.client.workflow.execute('greet', {
        args: ['b'],
        taskQueue: env.taskQueue,
        workflowId: 'reuse-1',
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(
      await env.client.workflow.execute('greet', { args: ['c'], taskQueue: env.taskQueue, workflowId: 'reuse-1' }),
    ).toBe('hello c');
  });

  it('dedupes starts by request id', async () => {
    const svc = env.connection.workflowService;
    const req = {
      namespace: 'default',
      workflowId: 'req-1',
      workflowType: { name: 'waitForApproval' },
      taskQueue: { name: env.taskQueue },
      requestId: 'same-request',
    };
    const a = await svc.startWorkflowExecution(req);
    const b = await svc.startWorkflowExecution(req);
    expect(b.runId).toBe(a.runId);
    await env.client.workflow.getHandle('req-1').terminate();
  });

  it('describes running and closed workflows', async () => {
    const handle = await start('waitForApproval', [], 'desc-1');
    const running = await handle.describe();
    expect(running.status.name).toBe('RUNNING');
    expect(running.type).toBe('waitForApproval');
    expect(running.taskQueue).toBe(env.taskQueue);
    await handle.signal('approve', 'ann');
    await handle.signal('approve', 'bob');
    expect(await handle.result()).toEqual(['ann', 'bob']);
    const closed = await handle.describe();
    expect(closed.status.name).toBe('COMPLETED');
    expect(closed.closeTime).toBeInstanceOf(Date);
  });
});

describe('timers, signals, queries, cancel, terminate, continue-as-new', () => {
  it('fires timers longer than 24.8 days', async () => {
    const elapsed = await env.client.workflow.execute('sleeper', {
      args: [40 * DAY],
      taskQueue: env.taskQueue,
      workflowId: 'timer-40d',
    });
    expect(elapsed).toBeGreaterThanOrEqual(40 * DAY);
    expect(elapsed).toBeLessThan(41 * DAY);
  });

  it('delivers signals and answers queries on running and closed workflows', async () => {
    const handle = await start('waitForApproval', [], 'sig-1');
    await handle.signal('approve', 'ann');
    expect(await handle.query('state')).toEqual(['ann']);
    await handle.signal('approve', 'bob');
    expect(await handle.result()).toEqual(['ann', 'bob']);
    expect(await handle.query('state')).toEqual(['ann', 'bob']);
  });

  it('signal-with-start starts once, then signals the running workflow', async () => {
    const opts = { taskQueue: env.taskQueue, workflowId: 'sws-1', signal: 'approve', signalArgs: ['ann'] };
    const h1 = await env.client.workflow.signalWithStart('waitForApproval', { ...opts });
    const h2 = await env.client.workflow.signalWithStart('waitForApproval', { ...opts, signalArgs: ['bob'] });
    expect(h2.signaledRunId).toBe(h1.signaledRunId);
    expect(await h1.result()).toEqual(['ann', 'bob']);
  });

  it('cancels a workflow (which runs its cleanup) and terminates another', async () => {
    const cancelled = await start('cancellable', [], 'cancel-1');
    await cancelled.cancel();
    await cancelled.cancel();
    const err = await cancelled.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((await cancelled.describe()).status.name).toBe('CANCELLED');
    const requests = (await cancelled.fetchHistory()).events!.filter(
      (e) => e.workflowExecutionCancelRequestedEventAttributes,
    );
    expect(requests).toHaveLength(1);

    const terminated = await start('cancellable', [], 'term-1');
    await terminated.terminate('ops stop');
    const history = await terminated.fetchHistory();
    const last = history.events!.at(-1)!;
    expect(last.workflowExecutionTerminatedEventAttributes?.reason).toBe('ops stop');
  });

  it('follows continue-as-new to the last run’s result', async () => {
    const handle = await start('counter', [0, 5], 'can-1');
    expect(await handle.result()).toBe(5);
    const runs = await env.client.workflow.count(`WorkflowId = 'can-1'`);
    expect(runs.count).toBe(6);
  });
});

describe('child workflows', () => {
  it('starts a child and returns its result', async () => {
    expect(
      await env.client.workflow.execute('parentOfChild', {
        args: [20],
        taskQueue: env.taskQueue,
        workflowId: 'parent-1',
      }),
    ).toBe(41);
  });

  it('cancels a child', async () => {
    expect(
      await env.client.workflow.execute('parentCancellingChild', {
        args: [],
        taskQueue: env.taskQueue,
        workflowId: 'parent-cancel',
      }),
    ).toBe('child cancelled');
    expect((await env.client.workflow.getHandle('parent-cancel-child').describe()).status.name).toBe('CANCELLED');
  });

  it('terminates or abandons children when the parent closes', async () => {
    const terminatedChild = await env.client.workflow.execute('parentAbandoning', {
      args: ['terminate'],
      taskQueue: env.taskQueue,
      workflowId: 'pcp-term',
    });
    const abandonedChild = await env.client.workflow.execute('parentAbandoning', {
      args: ['abandon'],
      taskQueue: env.taskQueue,
      workflowId: 'pcp-abandon',
    });
    expect((await env.client.workflow.getHandle(terminatedChild).describe()).status.name).toBe('TERMINATED');
    expect((await env.client.workflow.getHandle(abandonedChild).describe()).status.name).toBe('RUNNING');
    await env.client.workflow.getHandle(abandonedChild).terminate();
  });
});
