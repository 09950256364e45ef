// Workflow updates on the embedded server. The protocol is driven by hand here (this file plays the
// worker over gRPC) to pin what the SDK relies on: update requests as messages on a workflow task,
// speculative tasks that vanish when updates are only rejected, the worker's messages and
// PROTOCOL_MESSAGE commands. SDK-level behaviour, side by side with Temporal's own servers, is in
// tests/integration/temporal/updates.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { WorkflowUpdateStage } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv, until } from './env.js';
import { add, addWhenReleased, finish, release, tally } from './workflows/updates.js';

const E = temporal.api.enums.v1.EventType;
const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
const CommandType = temporal.api.enums.v1.CommandType;
const namespace = 'default';
type Task = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type UpdateResponse = temporal.api.workflowservice.v1.IUpdateWorkflowExecutionResponse;

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv({ worker: undefined });
});
afterAll(async () => env?.shutdown());

const service = () => env.client.workflowService;
const pollTask = (taskQueue: string): Promise<Task> =>
  service().pollWorkflowTaskQueue({ namespace, taskQueue: { name: taskQueue }, identity: 'by-hand' });
const eventTypes = async (workflowId: string) =>
  ((await service().getWorkflowExecutionHistory({ namespace, execution: { workflowId } })).history?.events ?? []).map(
    (e) => e.eventType,
  );

const any = (type: 'Acceptance' | 'Rejection' | 'Response', value: object) => ({
  type_url: `type.googleapis.com/temporal.api.update.v1.${type}`,
  value: temporal.api.update.v1[type].encode(value).finish(),
});

function sendUpdate(
  workflowId: string,
  updateId: string,
  stage = Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
): Promise<UpdateResponse> {
  return service().updateWorkflowExecution({
    namespace,
    workflowExecution: { workflowId },
    waitPolicy: { lifecycleStage: stage },
    request: { meta: { updateId, identity: 'test' }, input: { name: 'add', args: { payloads: [] } } },
  });
}

/** Starts a workflow no worker runs and completes its first task (no commands): it just waits. */
async function startIdle(workflowId: string): Promise<string> {
  const taskQueue = `${workflowId}-q`;
  await env.client.workflow.start('byHand', { taskQueue, workflowId });
  const first = await pollTask(taskQueue);
  await service().respondWorkflowTaskCompleted({ namespace, taskToken: first.taskToken, identity: 'by-hand' });
  return taskQueue;
}

function respond(task: Task, messages: object[], commands: object[] = []) {
  return service().respondWorkflowTaskCompleted({
    namespace,
    taskToken: task.taskToken,
    identity: 'by-hand',
    messages,
    commands,
  });
}

const acceptAndComplete = (task: Task, updateId: string) => {
  const request = task.messages![0];
  return respond(
    task,
    [
      {
        id: `${updateId}/accept`,
        protocolInstanceId: updateId,
        body: any('Acceptance', {
          acceptedRequestMessageId: request.id,
          acceptedRequestSequencingEventId: request.eventId,
        }),
      },
      {
        id: `${updateId}/complete`,
        protocolInstanceId: updateId,
        body: any('Response', { meta: { updateId }, outcome: { success: { payloads: [] } } }),
      },
    ],
    [
      {
        commandType: CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE,
        protocolMessageCommandAttributes: { messageId: `${updateId}/accept` },
      },
      {
        commandType: CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE,
        protocolMessageCommandAttributes: { messageId: `${updateId}/complete` },
      },
    ],
  );
};

const runOf = (workflowId: string) => env.server.embedded!.engine.store.latestRun(`${namespace}\u0000${workflowId}`)!;

describe('updates on workflow tasks (the worker played by hand)', () => {
  it('delivers an update as a message on a speculative task that vanishes when the worker rejects it', async () => {
    const taskQueue = await startIdle('proto-reject');
    const before = await eventTypes('proto-reject');
    const update = sendUpdate('proto-reject', 'u-rejected', Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED);

    const task = await pollTask(taskQueue);
    expect(task.messages).toHaveLength(1);
    const [message] = task.messages!;
    expect(message.protocolInstanceId).toBe('u-rejected');
    expect(message.id).toBe('u-rejected/request');
    expect(Number(message.eventId)).toBe(Number(task.startedEventId) - 1);
    expect(message.body!.type_url).toBe('type.googleapis.com/temporal.api.update.v1.Request');
    const request = temporal.api.update.v1.Request.decode(message.body!.value!);
    expect(request.meta?.updateId).toBe('u-rejected');
    expect(request.input?.name).toBe('add');
    // The task's scheduled and started events travel with it but are not in history.
    expect(task.history!.events!.slice(-2).map((e) => e.eventType)).toEqual([
      E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    ]);
    expect(await eventTypes('proto-reject')).toEqual(before);

    const response = await respond(task, [
      {
        id: 'u-rejected/reject',
        protocolInstanceId: 'u-rejected',
        body: any('Rejection', { rejectedRequestMessageId: message.id, failure: { message: 'not now' } }),
      },
    ]);
    expect(Number(response.resetHistoryEventId)).toBe(Number(task.previousStartedEventId));
    const answer = await update;
    expect(answer.stage).toBe(Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED);
    expect(answer.outcome?.failure?.message).toBe('not now');
    expect(await eventTypes('proto-reject')).toEqual(before);
    expect(runOf('proto-reject').wft).toBeNull();
  });

  it('accepts and completes an update through protocol message commands', async () => {
    const taskQueue = await startIdle('proto-accept');
    const update = sendUpdate('proto-accept', 'u-accepted');
    const task = await pollTask(taskQueue);
    const response = await acceptAndComplete(task, 'u-accepted');
    expect(Number(response.resetHistoryEventId ?? 0)).toBe(0);
    const answer = await update;
    expect(answer.stage).toBe(Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED);
    expect(answer.outcome?.success).toBeTruthy();
    expect(answer.updateRef?.workflowExecution?.runId).toBe(runOf('proto-accept').runId);

    const events = (
      await service().getWorkflowExecutionHistory({ namespace, execution: { workflowId: 'proto-accept' } })
    ).history!.events!;
    expect(events.slice(-5).map((e) => e.eventType)).toEqual([
      E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
      E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    ]);
    const accepted = events.at(-2)!.workflowExecutionUpdateAcceptedEventAttributes!;
    expect(accepted.acceptedRequestMessageId).toBe('u-accepted/request');
    expect(Number(accepted.acceptedRequestSequencingEventId)).toBe(Number(task.messages![0].eventId));
    expect(accepted.acceptedRequest?.input?.name).toBe('add');
    expect(Number(events.at(-1)!.workflowExecutionUpdateCompletedEventAttributes!.acceptedEventId)).toBe(
      Number(events.at(-2)!.eventId),
    );
    // The outcome is kept: asking again (same id) answers at once, writing nothing.
    expect((await sendUpdate('proto-accept', 'u-accepted')).outcome?.success).toBeTruthy();
    expect(await eventTypes('proto-accept')).toHaveLength(events.length);
  });

  it('rejects, for the worker, an update its completion ignores', async () => {
    const taskQueue = await startIdle('proto-ignored');
    const update = sendUpdate('proto-ignored', 'u-ignored');
    const task = await pollTask(taskQueue);
    await respond(task, []);
    const answer = await update;
    expect(answer.outcome?.failure?.applicationFailureInfo?.type).toBe('UnprocessedUpdate');
  });

  it('holds an update that arrives while a task runs, then delivers it on a task of its own', async () => {
    const taskQueue = await startIdle('proto-during');
    await env.client.workflow.getHandle('proto-during').signal('poke');
    const running = await pollTask(taskQueue);
    expect(running.messages ?? []).toHaveLength(0);
    const update = sendUpdate('proto-during', 'u-during');
    await until(() => runOf('proto-during').updates.get('u-during')?.state === 'admitted', 'the update to be admitted');

    await respond(running, []);
    expect(runOf('proto-during').updates.get('u-during')?.state).toBe('admitted');
    const next = await pollTask(taskQueue);
    expect(next.messages!.map((m) => m.protocolInstanceId)).toEqual(['u-during']);
    await acceptAndComplete(next, 'u-during');
    expect((await update).outcome?.success).toBeTruthy();
  });

  it('writes a speculative task to history when a signal arrives before it starts', async () => {
    const taskQueue = await startIdle('proto-signal');
    const update = sendUpdate('proto-signal', 'u-signal');
    await until(() => runOf('proto-signal').wft?.speculative === true, 'a speculative task');
    await env.client.workflow.getHandle('proto-signal').signal('poke');
    expect((await eventTypes('proto-signal')).slice(-2)).toEqual([
      E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    ]);

    const task = await pollTask(taskQueue);
    expect(task.messages!.map((m) => m.protocolInstanceId)).toEqual(['u-signal']);
    const response = await respond(task, [
      {
        id: 'u-signal/reject',
        protocolInstanceId: 'u-signal',
        body: any('Rejection', { failure: { message: 'no' } }),
      },
    ]);
    expect(Number(response.resetHistoryEventId ?? 0)).toBe(0);
    expect((await update).outcome?.failure?.message).toBe('no');
    expect((await eventTypes('proto-signal')).slice(-4)).toEqual([
      E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    ]);
  });

  it('fails the task on a message for an unknown update, and the update it carried', async () => {
    const taskQueue = await startIdle('proto-bad');
    const update = sendUpdate('proto-bad', 'u-bad').then(
      () => undefined,
      (err: unknown) => err as { code: number; details: string },
    );
    const task = await pollTask(taskQueue);
    await respond(task, [
      {
        id: 'nobody/accept',
        protocolInstanceId: 'nobody',
        body: any('Acceptance', { acceptedRequestSequencingEventId: 1 }),
      },
    ]);
    const err = await update;
    expect(err?.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(err?.details).toMatch(/unexpected workflow task failure/);
    const events = (await service().getWorkflowExecutionHistory({ namespace, execution: { workflowId: 'proto-bad' } }))
      .history!.events!;
    const failed = events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_FAILED)!;
    expect(failed.workflowTaskFailedEventAttributes!.cause).toBe(
      temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
    );
    expect(failed.workflowTaskFailedEventAttributes!.failure?.message).toMatch(/update nobody wasn't found/);
  });

  it('answers with the stage reached so far when asked to wait for the admitted stage only', async () => {
    await startIdle('proto-admitted');
    void sendUpdate('proto-admitted', 'u-admitted').catch(() => {});
    await until(() => runOf('proto-admitted').updates.has('u-admitted'), 'the update to be admitted');
    const answer = await service().pollWorkflowExecutionUpdate({
      namespace,
      updateRef: { workflowExecution: { workflowId: 'proto-admitted' }, updateId: 'u-admitted' },
      waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED },
    });
    expect(answer.stage).toBe(Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED);
    expect(answer.outcome).toBeFalsy();
    await env.client.workflow.getHandle('proto-admitted').terminate();
  });
});

describe('updates in durable mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitou-updates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps accepted and completed updates across a restart', async () => {
    const taskQueue = 'durable-updates';
    const before = await startEnv({ dataDir: dir, taskQueue });
    const handle = await before.client.workflow.start(tally, {
      args: [{ initial: 1 }],
      taskQueue,
      workflowId: 'durable-upd',
    });
    expect(await handle.executeUpdate(add, { args: [2], updateId: 'done-before' })).toBe(3);
    await handle.startUpdate(addWhenReleased, {
      args: [10],
      updateId: 'accepted-before',
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    await before.shutdown();

    const after = await startEnv({ dataDir: dir, taskQueue });
    try {
      const again = after.client.workflow.getHandle<typeof tally>('durable-upd');
      expect(await again.getUpdateHandle<number>('done-before').result()).toBe(3);
      expect(await again.executeUpdate(add, { args: [2], updateId: 'done-before' })).toBe(3);
      const pending = again.getUpdateHandle<number>('accepted-before').result();
      await again.signal(release);
      expect(await pending).toBe(13);
      await again.signal(finish);
      expect(await again.result()).toBe(13);
      const events = (await again.fetchHistory()).events!;
      expect(
        events
          .filter((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
          .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.protocolInstanceId),
      ).toEqual(['done-before', 'accepted-before']);
      expect(events.filter((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(2);
    } finally {
      await after.shutdown();
    }
  });
});
