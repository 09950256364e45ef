// Workflow updates and update-with-start, side by side on the embedded server and Temporal's own
// servers (HUITOU_TEST_TEMPORAL): the real SDK client and worker, the same assertions on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { google, temporal } from '@temporalio/proto';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { createLaneTestEnv, runsOnLane } from '../../support/temporal-lane.ts';
import * as activities from '../../../engine/devserver/tests/activities.ts';
import { testBundle } from '../../../engine/devserver/tests/env.ts';
import {
  add,
  addWhenReleased,
  failUpdate,
  finish,
  release,
  tally,
  total,
} from '../../../engine/devserver/tests/workflows/updates.ts';

const E = temporal.api.enums.v1.EventType;
const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let env: TestEnv;
beforeAll(async () => {
  env = await createLaneTestEnv({ worker: { workflowBundle: await testBundle(), activities } });
});
afterAll(async () => env?.shutdown());

const start = (workflowId: string, options: Parameters<typeof tally>[0] = {}) =>
  env.client.workflow.start(tally, { args: [options], taskQueue: env.taskQueue, workflowId });

const history = async (handle: WorkflowHandle): Promise<HistoryEvent[]> => (await handle.fetchHistory()).events ?? [];
const ofType = (events: HistoryEvent[], type: number) => events.filter((e) => e.eventType === type);

/** Resolves with what the promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Waits until the server admitted the update (it is found), e.g. while a workflow task runs. */
async function untilAdmitted(workflowId: string, updateId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await env.client.workflowService.pollWorkflowExecutionUpdate({
        namespace: 'default',
        updateRef: { workflowExecution: { workflowId }, updateId },
        waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED },
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`update ${updateId} was never admitted`);
}

describe('workflow updates', () => {
  it('executes an update: accepted and completed events in history, the result to the caller', async () => {
    const handle = await start('upd-basic', { initial: 10 });
    expect(await handle.executeUpdate(add, { args: [5], updateId: 'add-5' })).toBe(15);
    expect(await handle.query(total)).toBe(15);

    const events = await history(handle);
    const [accepted] = ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const [completed] = ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    const acceptedAttrs = accepted.workflowExecutionUpdateAcceptedEventAttributes!;
    expect(acceptedAttrs.protocolInstanceId).toBe('add-5');
    expect(acceptedAttrs.acceptedRequest?.meta?.updateId).toBe('add-5');
    expect(acceptedAttrs.acceptedRequest?.input?.name).toBe('add');
    const completedAttrs = completed.workflowExecutionUpdateCompletedEventAttributes!;
    if (runsOnLane({ 'java-test-server': 'its UPDATE_COMPLETED event leaves acceptedEventId unset' })) {
      expect(Number(completedAttrs.acceptedEventId)).toBe(Number(accepted.eventId));
    }
    expect(completedAttrs.meta?.updateId).toBe('add-5');
    expect(completedAttrs.outcome?.success?.payloads).toHaveLength(1);
    // Both are written by the workflow task that handled the update.
    const before = events.filter((e) => Number(e.eventId) < Number(accepted.eventId));
    expect(before.at(-1)!.eventType).toBe(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);

    await handle.signal(finish);
    expect(await handle.result()).toBe(15);
  });

  it('reports a validator rejection to the caller and writes no update events', async () => {
    const handle = await start('upd-rejected', { initial: 1 });
    expect(await handle.executeUpdate(add, { args: [1] })).toBe(2);
    const err = await rejection(handle.executeUpdate(add, { args: [-3], updateId: 'negative' }));
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect((err.cause as ApplicationFailure).type).toBe('NegativeAmount');
    expect((err.cause as Error).message).toBe('cannot add -3');

    const events = await history(handle);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(1);
    // A rejected update is not kept: it cannot be polled, and its id can be used again.
    const poll = await rejection(handle.getUpdateHandle('negative').result());
    expect(poll.message).toMatch(/not found/i);
    expect(await handle.executeUpdate(add, { args: [3], updateId: 'negative' })).toBe(5);
    await handle.signal(finish);
    expect(await handle.result()).toBe(5);
  });

  it.runIf(
    runsOnLane({
      'java-test-server': 'its workflow task for an update is a normal one: a rejection leaves the task in history',
    }),
  )('leaves no trace of a rejected update in history, not even a workflow task', async () => {
    const handle = await start('upd-rejected-trace');
    expect(await handle.executeUpdate(add, { args: [2] })).toBe(2);
    const before = await history(handle);
    await rejection(handle.executeUpdate(add, { args: [-1] }));
    await rejection(handle.executeUpdate(add, { args: [-2] }));
    expect((await history(handle)).map((e) => e.eventType)).toEqual(before.map((e) => e.eventType));
    // The workflow goes on: its next task sees the signal, not the rejected updates.
    await handle.signal(finish);
    expect(await handle.result()).toBe(2);
  });

  it('reports a failing handler as the update outcome, after accepting it', async () => {
    const handle = await start('upd-failing');
    const err = await rejection(handle.executeUpdate(failUpdate, { args: ['out of stock'] }));
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err.cause as ApplicationFailure).type).toBe('UpdateFailed');
    expect((err.cause as Error).message).toBe('out of stock');
    const events = await history(handle);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    const [completed] = ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    expect(completed.workflowExecutionUpdateCompletedEventAttributes!.outcome?.failure?.message).toBe('out of stock');
    await handle.signal(finish);
    expect(await handle.result()).toBe(0);
  });

  it('starts an update (accepted) and waits for its result by polling', async () => {
    const handle = await start('upd-start');
    const update = await handle.startUpdate(addWhenReleased, {
      args: [7],
      updateId: 'later',
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    expect(update.updateId).toBe('later');
    const pending = update.result();
    const events = await history(handle);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(0);

    await handle.signal(release);
    expect(await pending).toBe(7);
    // Another handle (another caller) finds the completed update by its id.
    expect(await env.client.workflow.getHandle('upd-start').getUpdateHandle<number>('later').result()).toBe(7);
    const after = await history(handle);
    const accepted = ofType(after, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)[0];
    const signaled = ofType(after, E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)[0];
    const completed = ofType(after, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)[0];
    expect(Number(accepted.eventId)).toBeLessThan(Number(signaled.eventId));
    expect(Number(signaled.eventId)).toBeLessThan(Number(completed.eventId));
    await handle.signal(finish);
    expect(await handle.result()).toBe(7);
  });

  it('deduplicates updates by id: the handler runs once, every caller gets its result', async () => {
    const handle = await start('upd-dedup');
    const results = await Promise.all([
      handle.executeUpdate(add, { args: [4], updateId: 'once' }),
      handle.executeUpdate(add, { args: [4], updateId: 'once' }),
    ]);
    expect(results).toEqual([4, 4]);
    expect(await handle.executeUpdate(add, { args: [4], updateId: 'once' })).toBe(4);
    expect(await handle.query(total)).toBe(4);
    const events = await history(handle);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    expect(ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(1);
    await handle.signal(finish);
    expect(await handle.result()).toBe(4);
  });

  it('answers updates on a closed workflow: a completed one with its result, a new one with an error', async () => {
    const handle = await start('upd-closed');
    expect(await handle.executeUpdate(add, { args: [6], updateId: 'before-close' })).toBe(6);
    await handle.signal(finish);
    expect(await handle.result()).toBe(6);

    expect(await handle.executeUpdate(add, { args: [6], updateId: 'before-close' })).toBe(6);
    expect(await handle.getUpdateHandle<number>('before-close').result()).toBe(6);
    const err = await rejection(handle.executeUpdate(add, { args: [1], updateId: 'after-close' }));
    expect(err).toBeInstanceOf(WorkflowNotFoundError);
    if (runsOnLane({ 'java-test-server': 'it answers "update after-close not found"' })) {
      expect(err.message).toMatch(/workflow execution already completed/);
    }
    expect(ofType(await history(handle), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
  });

  it('fails an accepted update when the workflow completes before it', async () => {
    const handle = await start('upd-unfinished');
    const update = await handle.startUpdate(addWhenReleased, { args: [1], waitForStage: WorkflowUpdateStage.ACCEPTED });
    await handle.signal(finish);
    expect(await handle.result()).toBe(0);
    const err = await rejection(update.result());
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err.cause as ApplicationFailure).type).toBe('AcceptedUpdateCompletedWorkflow');
    expect(ofType(await history(handle), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(0);
  });

  it('holds an update that arrives while a workflow task runs until the next task', async () => {
    const handle = await start('upd-during-task', { holdFirstTask: 'during-task' });
    await activities.taskHeld('during-task');
    const result = handle.executeUpdate(add, { args: [9], updateId: 'during' });
    await untilAdmitted('upd-during-task', 'during');
    activities.releaseTask('during-task');
    expect(await result).toBe(9);

    const events = await history(handle);
    const firstCompleted = ofType(events, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)[0];
    const [marker] = ofType(events, E.EVENT_TYPE_MARKER_RECORDED);
    const [accepted] = ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(Number(marker.eventId)).toBeGreaterThan(Number(firstCompleted.eventId));
    // Delivered on a task after the one that was running.
    const tasksBefore = ofType(events, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).filter(
      (e) => Number(e.eventId) < Number(accepted.eventId),
    );
    expect(tasksBefore.length).toBeGreaterThanOrEqual(2);
    await handle.signal(finish);
    expect(await handle.result()).toBe(9);
  });

  it.runIf(runsOnLane({ 'java-test-server': 'it admits the update and waits for the workflow task to succeed' }))(
    'refuses an update while the workflow task keeps failing',
    async () => {
      const taskQueue = 'upd-failing-task';
      const buggy = await env.startWorker({ taskQueue, workflowBundle: await testBundle('buggy.ts') });
      try {
        const handle = await env.client.workflow.start('evolving', {
          taskQueue,
          workflowId: 'upd-failing-task',
          workflowTaskTimeout: '1s',
        });
        // Attempt 1 fails, later attempts time out (1 s each): from attempt 3 on, updates are refused.
        let err: Error | undefined;
        for (let i = 0; i < 60 && !err; i++) {
          await new Promise((r) => setTimeout(r, 500));
          const attempt = (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
          if (attempt >= 3) err = await rejection(handle.executeUpdate(add, { args: [1] }));
        }
        const grpcError = (err as Error & { cause?: { code?: number; details?: string } }).cause;
        expect(grpcError?.code).toBe(GrpcStatus.FAILED_PRECONDITION);
        expect(grpcError?.details).toMatch(/Workflow Task in failed state/);
        await handle.terminate();
      } finally {
        await buggy.stop();
      }
    },
  );

  it.runIf(
    runsOnLane({
      'java-test-server': 'it fails the closing workflow task instead (unhandled update) and delivers the update',
    }),
  )('aborts an update that arrives while the workflow completes', async () => {
    const handle = await start('upd-closing', { holdFirstTask: 'closing', afterHold: 'end' });
    await activities.taskHeld('closing');
    const result = rejection(handle.executeUpdate(add, { args: [1], updateId: 'too-late' }));
    await untilAdmitted('upd-closing', 'too-late');
    activities.releaseTask('closing');
    expect((await result).message).toMatch(/workflow update was aborted by closing workflow/);
    expect(await handle.result()).toBe(0);
    expect(ofType(await history(handle), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(0);
  });

  it.runIf(runsOnLane({ 'java-test-server': 'it fails the task that continues as new instead (unhandled update)' }))(
    'moves an update that arrives while the workflow continues as new to the new run',
    async () => {
      const handle = await start('upd-continuing', { initial: 2, holdFirstTask: 'continuing', afterHold: 'continue' });
      await activities.taskHeld('continuing');
      const update = handle.startUpdate(add, {
        args: [3],
        updateId: 'moved',
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      await untilAdmitted('upd-continuing', 'moved');
      activities.releaseTask('continuing');
      const moved = await update;
      expect(moved.workflowRunId).not.toBe(handle.firstExecutionRunId);
      expect(await moved.result()).toBe(5);
      const latest = env.client.workflow.getHandle('upd-continuing');
      expect(ofType(await history(latest), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
      await latest.signal(finish);
      expect(await latest.result()).toBe(5);
    },
  );
});

describe('update-with-start', () => {
  it('starts the workflow and runs the update on its first workflow task', async () => {
    const startOp = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-new',
      taskQueue: env.taskQueue,
      args: [{ initial: 100 }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(await env.client.workflow.executeUpdateWithStart(add, { args: [1], startWorkflowOperation: startOp })).toBe(
      101,
    );
    const handle = await startOp.workflowHandle();
    const events = await history(handle);
    const [accepted] = ofType(events, E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const completedTasks = ofType(events, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(Number(completedTasks[0].eventId)).toBeLessThan(Number(accepted.eventId));
    expect(completedTasks.filter((e) => Number(e.eventId) < Number(accepted.eventId))).toHaveLength(1);
    await handle.signal(finish);
    expect(await handle.result()).toBe(101);
  });

  it('updates the running workflow under USE_EXISTING, and fails to start it again under FAIL', async () => {
    const handle = await start('uws-existing', { initial: 10 });
    const useExisting = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-existing',
      taskQueue: env.taskQueue,
      args: [{ initial: 999 }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const update = await env.client.workflow.startUpdateWithStart(addWhenReleased, {
      args: [5],
      startWorkflowOperation: useExisting,
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    expect((await (await useExisting.workflowHandle()).describe()).runId).toBe(handle.firstExecutionRunId);
    expect(update.workflowRunId).toBe(handle.firstExecutionRunId);
    await handle.signal(release);
    expect(await update.result()).toBe(15);

    const fail = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-existing',
      taskQueue: env.taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'FAIL',
    });
    const err = await rejection(
      env.client.workflow.executeUpdateWithStart(add, { args: [1], startWorkflowOperation: fail }),
    );
    expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(await rejection(fail.workflowHandle())).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

    await handle.signal(finish);
    expect(await handle.result()).toBe(15);
    expect(ofType(await history(handle), E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)).toHaveLength(1);
  });

  it('starts a new run when the workflow is closed', async () => {
    const first = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-restart',
      taskQueue: env.taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(await env.client.workflow.executeUpdateWithStart(add, { args: [2], startWorkflowOperation: first })).toBe(2);
    const firstHandle = await first.workflowHandle();
    const firstRunId = (await firstHandle.describe()).runId;
    await firstHandle.signal(finish);
    expect(await firstHandle.result()).toBe(2);

    const next = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-restart',
      taskQueue: env.taskQueue,
      args: [{ initial: 50 }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(await env.client.workflow.executeUpdateWithStart(add, { args: [3], startWorkflowOperation: next })).toBe(53);
    const nextHandle = await next.workflowHandle();
    expect((await nextHandle.describe()).runId).not.toBe(firstRunId);
    await nextHandle.signal(finish);
    expect(await nextHandle.result()).toBe(53);
  });

  it.runIf(runsOnLane({ 'java-test-server': 'it starts a new run instead, and runs the update again there' }))(
    'returns the outcome of an update the closed workflow completed, starting nothing',
    async () => {
      const first = new WithStartWorkflowOperation(tally, {
        workflowId: 'uws-closed',
        taskQueue: env.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      expect(
        await env.client.workflow.executeUpdateWithStart(add, {
          args: [2],
          updateId: 'uws-first',
          startWorkflowOperation: first,
        }),
      ).toBe(2);
      const firstHandle = await first.workflowHandle();
      const firstRunId = (await firstHandle.describe()).runId;
      await firstHandle.signal(finish);
      expect(await firstHandle.result()).toBe(2);

      const again = new WithStartWorkflowOperation(tally, {
        workflowId: 'uws-closed',
        taskQueue: env.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      expect(
        await env.client.workflow.executeUpdateWithStart(add, {
          args: [2],
          updateId: 'uws-first',
          startWorkflowOperation: again,
        }),
      ).toBe(2);
      const againHandle = await again.workflowHandle();
      expect((await againHandle.describe()).runId).toBe(firstRunId);
      expect((await againHandle.describe()).status.name).toBe('COMPLETED');
      expect(ofType(await history(againHandle), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    },
  );

  it('reports a rejected update of update-with-start, the workflow started all the same', async () => {
    const startOp = new WithStartWorkflowOperation(tally, {
      workflowId: 'uws-rejected',
      taskQueue: env.taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const err = await rejection(
      env.client.workflow.executeUpdateWithStart(add, { args: [-1], startWorkflowOperation: startOp }),
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err.cause as ApplicationFailure).type).toBe('NegativeAmount');
    const handle = await startOp.workflowHandle();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(ofType(await history(handle), E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(0);
    await handle.signal(finish);
    expect(await handle.result()).toBe(0);
  });
});

describe('update requests the frontend refuses', () => {
  const updateRequest = (workflowId: string, stage: number) => ({
    namespace: 'default',
    workflowExecution: { workflowId },
    waitPolicy: { lifecycleStage: stage },
    request: { meta: { updateId: randomUUID() }, input: { name: 'add', args: { payloads: [] } } },
  });

  it('refuses to wait for the admitted stage only', async () => {
    await start('upd-admitted-stage');
    const err = await rejection(
      env.client.workflowService.updateWorkflowExecution(
        updateRequest('upd-admitted-stage', Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED),
      ),
    );
    expect((err as Error & { code: number }).code).toBe(GrpcStatus.PERMISSION_DENIED);
    await env.client.workflow.getHandle('upd-admitted-stage').signal(finish);
  });

  it('reports a refused operation of update-with-start per operation, the other one aborted', async () => {
    const err = (await rejection(
      env.client.workflowService.executeMultiOperation({
        namespace: 'default',
        operations: [
          {
            startWorkflow: {
              namespace: 'default',
              workflowId: 'uws-cron',
              workflowType: { name: 'tally' },
              taskQueue: { name: env.taskQueue },
              requestId: randomUUID(),
              cronSchedule: '* * * * *',
            },
          },
          { updateWorkflow: updateRequest('uws-cron', Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED) },
        ],
      }),
    )) as Error & { code: number; metadata: { get(key: string): unknown[] } };
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    const [detail] = google.rpc.Status.decode(err.metadata.get('grpc-status-details-bin')[0] as Buffer).details ?? [];
    expect(detail.type_url).toBe('type.googleapis.com/temporal.api.errordetails.v1.MultiOperationExecutionFailure');
    const { statuses } = temporal.api.errordetails.v1.MultiOperationExecutionFailure.decode(detail.value!);
    expect(statuses.map((st) => st.code)).toEqual([GrpcStatus.INVALID_ARGUMENT, GrpcStatus.ABORTED]);
    expect(statuses[0].message).toMatch(/CronSchedule is not allowed/);
    expect(statuses[1].details?.[0]?.type_url).toBe(
      'type.googleapis.com/temporal.api.failure.v1.MultiOperationExecutionAborted',
    );
  });

  it('refuses a multi-operation that is not [start, update]', async () => {
    const err = await rejection(
      env.client.workflowService.executeMultiOperation({
        namespace: 'default',
        operations: [
          { updateWorkflow: updateRequest('uws-bad', Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED) },
        ],
      }),
    );
    expect((err as Error & { code: number }).code).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
