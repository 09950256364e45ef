// Cancels that race an outcome held back while the cancelling workflow task runs: a timer's fire,
// an activity's completion. The worker is played by hand over gRPC, so the outcome lands inside the
// task every time (with a real worker it is a race: the cohort workflow's nondeterminism on
// replay, "Timer machine does not handle this event"). The embedded server does what Temporal's
// server does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv, until } from './env.js';

const E = temporal.api.enums.v1.EventType;
const CommandType = temporal.api.enums.v1.CommandType;
const namespace = 'default';
type Task = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;

/** The server under test (each describe starts its own). */
let env: TestEnv;
const service = () => env.client.workflowService;
const pollTask = (taskQueue: string): Promise<Task> =>
  service().pollWorkflowTaskQueue({ namespace, taskQueue: { name: taskQueue }, identity: 'by-hand' });
const complete = (task: Task, commands: object[]) =>
  service().respondWorkflowTaskCompleted({ namespace, taskToken: task.taskToken, identity: 'by-hand', commands });
const history = async (workflowId: string) =>
  (await service().getWorkflowExecutionHistory({ namespace, execution: { workflowId } })).history?.events ?? [];
const runOf = (workflowId: string) => env.server.embedded!.engine.store.latestRun(`${namespace}\u0000${workflowId}`)!;

/** A workflow whose first task started timer '1' (50 ms), now running a second task (a signal's). */
async function timerFiredDuringTask(workflowId: string): Promise<{ task: Task; taskQueue: string }> {
  const taskQueue = `${workflowId}-q`;
  const handle = await env.client.workflow.start('byHand', { taskQueue, workflowId });
  await complete(await pollTask(taskQueue), [
    {
      commandType: CommandType.COMMAND_TYPE_START_TIMER,
      startTimerCommandAttributes: { timerId: '1', startToFireTimeout: { nanos: 50_000_000 } },
    },
  ]);
  await handle.signal('poke');
  const task = await pollTask(taskQueue);
  await until(
    () => runOf(workflowId).buffered.some((e) => e.type === E.EVENT_TYPE_TIMER_FIRED),
    'the timer to fire while the task runs',
  );
  return { task, taskQueue };
}

describe('a timer cancelled by the task it fired during', () => {
  beforeAll(async () => {
    env = await startEnv({ worker: undefined });
  });
  afterAll(async () => env?.shutdown());

  it('is cancelled: its held-back fire is dropped, as on Temporal’s server', async () => {
    const { task } = await timerFiredDuringTask('timer-cancel');
    await complete(task, [
      { commandType: CommandType.COMMAND_TYPE_CANCEL_TIMER, cancelTimerCommandAttributes: { timerId: '1' } },
    ]);
    const events = await history('timer-cancel');
    const types = events.map((e) => E[e.eventType!]);
    expect(types.slice(-4)).toEqual([
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_TIMER_CANCELED',
    ]);
    expect(types).not.toContain('EVENT_TYPE_TIMER_FIRED');
    const started = events.find((e) => e.eventType === E.EVENT_TYPE_TIMER_STARTED)!;
    expect(Number(events.at(-1)!.timerCanceledEventAttributes!.startedEventId)).toBe(Number(started.eventId));
    // Nothing is left held back, so no task is scheduled for a fire the workflow never sees.
    expect(runOf('timer-cancel').buffered).toEqual([]);
    expect(runOf('timer-cancel').wft).toBeNull();
  });

  it('fires after the task when the task leaves it be', async () => {
    const { task, taskQueue } = await timerFiredDuringTask('timer-kept');
    await complete(task, []);
    const types = (await history('timer-kept')).map((e) => E[e.eventType!]);
    expect(types.slice(-3)).toEqual([
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_TIMER_FIRED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
    ]);
    const next = await pollTask(taskQueue);
    expect(next.history?.events?.some((e) => e.eventType === E.EVENT_TYPE_TIMER_FIRED)).toBe(true);
  });
});

describe('in durable mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitou-timers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays cancelled after a restart: the journal no longer holds the dropped fire', async () => {
    env = await startEnv({ dataDir: dir, worker: undefined });
    try {
      const { task } = await timerFiredDuringTask('timer-durable');
      await complete(task, [
        { commandType: CommandType.COMMAND_TYPE_CANCEL_TIMER, cancelTimerCommandAttributes: { timerId: '1' } },
      ]);
    } finally {
      await env.shutdown();
    }
    env = await startEnv({ dataDir: dir, worker: undefined });
    try {
      const types = (await history('timer-durable')).map((e) => E[e.eventType!]);
      expect(types.at(-1)).toBe('EVENT_TYPE_TIMER_CANCELED');
      expect(types).not.toContain('EVENT_TYPE_TIMER_FIRED');
      expect(runOf('timer-durable').wft).toBeNull();
    } finally {
      await env.shutdown();
    }
  });
});

describe('an activity cancelled by the task its completion came during', () => {
  beforeAll(async () => {
    env = await startEnv({ worker: undefined });
  });
  afterAll(async () => env?.shutdown());

  it('has the request recorded before its completion, which stands', async () => {
    const workflowId = 'activity-cancel';
    const taskQueue = `${workflowId}-q`;
    const handle = await env.client.workflow.start('byHand', { taskQueue, workflowId });
    await complete(await pollTask(taskQueue), [
      {
        commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
        scheduleActivityTaskCommandAttributes: {
          activityId: '1',
          activityType: { name: 'work' },
          taskQueue: { name: taskQueue },
          startToCloseTimeout: { seconds: 60 },
        },
      },
    ]);
    const activity = await service().pollActivityTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      identity: 'by-hand',
    });
    await handle.signal('poke');
    const task = await pollTask(taskQueue);
    await service().respondActivityTaskCompleted({ namespace, taskToken: activity.taskToken, identity: 'by-hand' });
    expect(runOf(workflowId).buffered.map((e) => E[e.type])).toEqual(['EVENT_TYPE_ACTIVITY_TASK_COMPLETED']);

    const scheduled = (await history(workflowId)).find((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)!;
    await complete(task, [
      {
        commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
        requestCancelActivityTaskCommandAttributes: { scheduledEventId: scheduled.eventId },
      },
    ]);
    const events = await history(workflowId);
    expect(events.slice(-5).map((e) => E[e.eventType!])).toEqual([
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED',
      'EVENT_TYPE_ACTIVITY_TASK_STARTED',
      'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
    ]);
    expect(Number(events.at(-4)!.activityTaskCancelRequestedEventAttributes!.scheduledEventId)).toBe(
      Number(scheduled.eventId),
    );
  });
});
