// Activity tasks: scheduling, dispatch, heartbeats, retries with backoff, the three timeouts and
// cancellation. Attempts are not written to history: only the final outcome is, preceded by its
// ActivityTaskStarted event (as the real server does).
import type { Engine } from './engine.js';
import { decodeToken, encodeToken } from './engine.js';
import { invalidArgument, notFound } from './errors.js';
import type { Failure, Loose, Payloads, temporal } from './proto.js';
import {
  EventType,
  RetryState,
  TimeoutType,
  api,
  durationToMs,
  msToDuration,
  msToTimestamp,
  toNumber,
} from './proto.js';
import type { ActivityState, EventAttributes, Run } from './run.js';
import { runKey } from './run.js';
import { TaskQueue } from './task-queue.js';

export interface ActivityTask {
  run: Run;
  scheduledEventId: number;
  attempt: number;
}

const DEFAULT_INITIAL_INTERVAL_MS = 1000;

export class ActivityTasks {
  readonly queues = new Map<string, TaskQueue<ActivityTask>>();

  constructor(private readonly engine: Engine) {}

  queue(namespace: string, name: string): TaskQueue<ActivityTask> {
    const key = `${namespace}\u0000${name}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = new TaskQueue()));
    return queue;
  }

  schedule(run: Run, a: temporal.api.command.v1.IScheduleActivityTaskCommandAttributes, wftCompletedId: number): void {
    const now = this.engine.now();
    // Timeouts are completed the way the real server does, and always sent (the SDK requires them).
    const runTimeoutMs = durationToMs(run.startedEvent.workflowExecutionStartedEventAttributes?.workflowRunTimeout);
    const scheduleToCloseMs = durationToMs(a.scheduleToCloseTimeout) || runTimeoutMs;
    const startToCloseMs = durationToMs(a.startToCloseTimeout) || scheduleToCloseMs;
    if (startToCloseMs <= 0)
      throw invalidArgument('a ScheduleToClose or StartToClose timeout is required for an activity');
    const heartbeatMs = Math.min(durationToMs(a.heartbeatTimeout), startToCloseMs);
    const initialMs = durationToMs(a.retryPolicy?.initialInterval) || DEFAULT_INITIAL_INTERVAL_MS;
    const retryPolicy = {
      initialInterval: msToDuration(initialMs),
      backoffCoefficient: a.retryPolicy?.backoffCoefficient || 2,
      maximumInterval: msToDuration(durationToMs(a.retryPolicy?.maximumInterval) || initialMs * 100),
      maximumAttempts: a.retryPolicy?.maximumAttempts ?? 0,
      nonRetryableErrorTypes: a.retryPolicy?.nonRetryableErrorTypes ?? [],
    };
    const taskQueue = a.taskQueue?.name || run.taskQueue;
    const event = this.engine.appendEvent(run, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityTaskScheduledEventAttributes: {
        activityId: a.activityId,
        activityType: a.activityType,
        taskQueue: { name: taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        header: a.header,
        input: a.input,
        scheduleToCloseTimeout: msToDuration(scheduleToCloseMs),
        scheduleToStartTimeout: msToDuration(durationToMs(a.scheduleToStartTimeout) || scheduleToCloseMs),
        startToCloseTimeout: msToDuration(startToCloseMs),
        heartbeatTimeout: msToDuration(heartbeatMs),
        workflowTaskCompletedEventId: wftCompletedId,
        retryPolicy,
      },
    });
    const activity: ActivityState = {
      scheduledEventId: event.eventId as number,
      activityId: a.activityId ?? '',
      activityType: a.activityType?.name ?? '',
      taskQueue,
      input: a.input,
      header: a.header,
      scheduleToCloseMs,
      startToCloseMs,
      heartbeatMs,
      retryPolicy,
      attempt: 1,
      state: 'scheduled',
      scheduledMs: now,
      attemptScheduledMs: now,
      startedMs: 0,
      startedIdentity: '',
      lastHeartbeatMs: 0,
      cancelRequested: false,
      cancelRequestedEventId: 0,
      timers: {},
    };
    run.activities.set(activity.scheduledEventId, activity);
    this.arm(run, activity);
  }

  /** Arms the schedule-to-close timer and queues the current attempt (also used on recovery). */
  arm(run: Run, activity: ActivityState): void {
    if (activity.scheduleToCloseMs > 0) {
      activity.timers.scheduleToClose = this.engine.clock.schedule(
        activity.scheduledMs + activity.scheduleToCloseMs,
        () =>
          this.finalTimeout(run, activity, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, RetryState.RETRY_STATE_TIMEOUT),
      );
    }
    this.enqueue(run, activity);
  }

  private enqueue(run: Run, activity: ActivityState): void {
    activity.state = 'scheduled';
    this.queue(run.namespace, activity.taskQueue).push({
      run,
      scheduledEventId: activity.scheduledEventId,
      attempt: activity.attempt,
    });
    this.engine.changed(run);
  }

  isValid(task: ActivityTask): boolean {
    const a = task.run.activities.get(task.scheduledEventId);
    return task.run.isOpen && a !== undefined && a.attempt === task.attempt && a.state === 'scheduled';
  }

  start(task: ActivityTask, identity: string): Loose<temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse> {
    const { run } = task;
    const a = run.activities.get(task.scheduledEventId)!;
    const now = this.engine.now();
    a.state = 'started';
    a.startedMs = now;
    a.startedIdentity = identity;
    a.lastHeartbeatMs = 0;
    a.timers.attempt = this.engine.clock.schedule(now + a.startToCloseMs, () =>
      this.attemptFailed(
        run,
        a,
        a.attempt,
        timeoutFailure(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE, a.heartbeatDetails),
      ),
    );
    this.armHeartbeatTimeout(run, a);
    this.engine.changed(run);
    return {
      taskToken: encodeToken({
        k: 'act',
        ns: run.namespace,
        wid: run.workflowId,
        rid: run.runId,
        sid: a.scheduledEventId,
        attempt: a.attempt,
      }),
      workflowNamespace: run.namespace,
      workflowType: { name: run.workflowType },
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      activityType: { name: a.activityType },
      activityId: a.activityId,
      header: a.header,
      input: a.input,
      heartbeatDetails: a.heartbeatDetails,
      scheduledTime: msToTimestamp(a.scheduledMs),
      currentAttemptScheduledTime: msToTimestamp(a.attemptScheduledMs),
      startedTime: msToTimestamp(now),
      attempt: a.attempt,
      scheduleToCloseTimeout: msToDuration(a.scheduleToCloseMs),
      startToCloseTimeout: msToDuration(a.startToCloseMs),
      heartbeatTimeout: msToDuration(a.heartbeatMs),
      retryPolicy: a.retryPolicy,
    };
  }

  private armHeartbeatTimeout(run: Run, a: ActivityState): void {
    a.timers.heartbeat?.cancel();
    if (a.heartbeatMs <= 0) return;
    const attempt = a.attempt;
    a.timers.heartbeat = this.engine.clock.schedule(this.engine.now() + a.heartbeatMs, () =>
      this.attemptFailed(run, a, attempt, timeoutFailure(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, a.heartbeatDetails)),
    );
  }

  /** The started activity a token names; NOT_FOUND once it completed, timed out or was retried. */
  private startedActivity(token: Uint8Array | null | undefined): { run: Run; a: ActivityState } {
    const t = decodeToken(token);
    if (t.k !== 'act') throw invalidArgument('task token is not an activity task token');
    const run = this.engine.store.getRun(runKey(t.ns, t.wid, t.rid));
    const a = run?.activities.get(t.sid);
    if (!run || !run.isOpen || !a || a.attempt !== t.attempt || a.state !== 'started')
      throw notFound('activity task not found');
    return { run, a };
  }

  heartbeat(token: Uint8Array | null | undefined, details: Payloads | null | undefined): { cancelRequested: boolean } {
    const { run, a } = this.startedActivity(token);
    if (details) a.heartbeatDetails = details;
    a.lastHeartbeatMs = this.engine.now();
    this.armHeartbeatTimeout(run, a);
    return { cancelRequested: a.cancelRequested };
  }

  completed(token: Uint8Array | null | undefined, result: Payloads | null | undefined, identity: string): void {
    const { run, a } = this.startedActivity(token);
    const started = this.finish(run, a);
    this.engine.addExternalEvent(
      run,
      EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      {
        activityTaskCompletedEventAttributes: { result, scheduledEventId: a.scheduledEventId, identity },
      },
      started,
    );
  }

  failed(
    token: Uint8Array | null | undefined,
    failure: Failure | null | undefined,
    details: Payloads | null | undefined,
    identity: string,
  ): void {
    const { run, a } = this.startedActivity(token);
    if (details) a.heartbeatDetails = details;
    this.attemptFailed(run, a, a.attempt, failure ?? { message: 'activity failed' }, identity);
  }

  canceled(token: Uint8Array | null | undefined, details: Payloads | null | undefined, identity: string): void {
    const { run, a } = this.startedActivity(token);
    const started = this.finish(run, a);
    this.engine.addExternalEvent(
      run,
      EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
      {
        activityTaskCanceledEventAttributes: {
          details,
          latestCancelRequestedEventId: a.cancelRequestedEventId,
          scheduledEventId: a.scheduledEventId,
          identity,
        },
      },
      started,
    );
  }

  requestCancel(run: Run, scheduledEventId: number, wftCompletedId: number, afterTask: (() => void)[]): void {
    const a = run.activities.get(scheduledEventId);
    const request = () =>
      this.engine.appendEvent(run, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, {
        activityTaskCancelRequestedEventAttributes: { scheduledEventId, workflowTaskCompletedEventId: wftCompletedId },
      });
    if (!a) {
      // Its outcome came while this task ran and is held back: as on Temporal's server, the request
      // is recorded (the worker's history must show it) and that outcome stands.
      if (run.buffered.some((e) => outcomeActivity(e.attributes) === scheduledEventId)) request();
      return;
    }
    const requested = request();
    a.cancelRequested = true;
    a.cancelRequestedEventId = requested.eventId as number;
    if (a.state !== 'started') {
      // Not running anywhere: cancel at once (the workflow sees it in its next task).
      afterTask.push(() => {
        if (!run.activities.has(scheduledEventId)) return;
        this.finish(run, a);
        this.engine.addExternalEvent(run, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
          activityTaskCanceledEventAttributes: {
            latestCancelRequestedEventId: a.cancelRequestedEventId,
            scheduledEventId,
          },
        });
      });
    }
  }

  /** A failed or timed-out attempt: retried per the policy, or the activity's final outcome. */
  private attemptFailed(
    run: Run,
    a: ActivityState,
    attempt: number,
    failure: Failure,
    identity = a.startedIdentity,
  ): void {
    if (!run.isOpen || run.activities.get(a.scheduledEventId) !== a || a.attempt !== attempt || a.state !== 'started')
      return;
    const now = this.engine.now();
    const retryState = this.retryState(a, failure, now);
    if (retryState === RetryState.RETRY_STATE_IN_PROGRESS) {
      this.clearAttemptTimers(a);
      a.lastFailure = failure;
      a.state = 'backoff';
      const delay = this.backoffMs(a);
      a.timers.backoff = this.engine.clock.schedule(now + delay, () => {
        if (run.activities.get(a.scheduledEventId) !== a || !run.isOpen) return;
        a.attempt += 1;
        a.attemptScheduledMs = this.engine.now();
        this.engine.store.persistActivityAttempt(run, a);
        this.enqueue(run, a);
      });
      this.engine.changed(run);
      return;
    }
    const started = this.finish(run, a);
    if (failure.timeoutFailureInfo) {
      this.engine.addExternalEvent(
        run,
        EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        {
          activityTaskTimedOutEventAttributes: { failure, scheduledEventId: a.scheduledEventId, retryState },
        },
        started,
      );
    } else {
      this.engine.addExternalEvent(
        run,
        EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        {
          activityTaskFailedEventAttributes: { failure, scheduledEventId: a.scheduledEventId, identity, retryState },
        },
        started,
      );
    }
  }

  private retryState(a: ActivityState, failure: Failure, now: number): number {
    const info = failure.applicationFailureInfo;
    if (info?.nonRetryable || (info?.type && (a.retryPolicy.nonRetryableErrorTypes ?? []).includes(info.type)))
      return RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE;
    if (a.cancelRequested) return RetryState.RETRY_STATE_CANCEL_REQUESTED;
    const max = a.retryPolicy.maximumAttempts ?? 0;
    if (max > 0 && a.attempt >= max) return RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED;
    if (a.scheduleToCloseMs > 0 && now + this.backoffMs(a) >= a.scheduledMs + a.scheduleToCloseMs)
      return RetryState.RETRY_STATE_TIMEOUT;
    return RetryState.RETRY_STATE_IN_PROGRESS;
  }

  private backoffMs(a: ActivityState): number {
    const initial = durationToMs(a.retryPolicy.initialInterval);
    const max = durationToMs(a.retryPolicy.maximumInterval);
    return Math.min(initial * Math.pow(a.retryPolicy.backoffCoefficient ?? 2, a.attempt - 1), max);
  }

  private finalTimeout(run: Run, a: ActivityState, timeoutType: number, retryState: number): void {
    if (!run.isOpen || run.activities.get(a.scheduledEventId) !== a) return;
    const started = this.finish(run, a);
    const failure = timeoutFailure(timeoutType, a.heartbeatDetails);
    if (a.lastFailure) failure.cause = a.lastFailure;
    this.engine.addExternalEvent(
      run,
      EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
      {
        activityTaskTimedOutEventAttributes: { failure, scheduledEventId: a.scheduledEventId, retryState },
      },
      started,
    );
  }

  /** Ends the activity; returns the Started event that must precede its outcome, if an attempt ran. */
  private finish(run: Run, a: ActivityState): EventAttributes | undefined {
    this.clearAttemptTimers(a);
    a.timers.scheduleToClose?.cancel();
    a.timers.backoff?.cancel();
    run.activities.delete(a.scheduledEventId);
    this.queue(run.namespace, a.taskQueue).remove((t) => t.run === run && t.scheduledEventId === a.scheduledEventId);
    if (a.state !== 'started') return undefined;
    return {
      activityTaskStartedEventAttributes: {
        scheduledEventId: a.scheduledEventId,
        identity: a.startedIdentity,
        attempt: a.attempt,
        lastFailure: a.lastFailure,
      },
    };
  }

  private clearAttemptTimers(a: ActivityState): void {
    a.timers.attempt?.cancel();
    a.timers.heartbeat?.cancel();
    a.timers.attempt = undefined;
    a.timers.heartbeat = undefined;
  }

  /** The run closed: its activities are gone (their late completions get NOT_FOUND). */
  abandonAll(run: Run): void {
    for (const a of [...run.activities.values()]) {
      this.clearAttemptTimers(a);
      a.timers.scheduleToClose?.cancel();
      a.timers.backoff?.cancel();
      this.queue(run.namespace, a.taskQueue).remove((t) => t.run === run);
    }
    run.activities.clear();
  }

  describe(run: Run): Loose<temporal.api.workflow.v1.IPendingActivityInfo>[] {
    const State = api.enums.v1.PendingActivityState;
    return [...run.activities.values()].map((a) => ({
      activityId: a.activityId,
      activityType: { name: a.activityType },
      state: a.cancelRequested
        ? State.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
        : a.state === 'started'
          ? State.PENDING_ACTIVITY_STATE_STARTED
          : State.PENDING_ACTIVITY_STATE_SCHEDULED,
      heartbeatDetails: a.heartbeatDetails,
      lastHeartbeatTime: a.lastHeartbeatMs ? msToTimestamp(a.lastHeartbeatMs) : null,
      lastStartedTime: a.startedMs ? msToTimestamp(a.startedMs) : null,
      attempt: a.attempt,
      maximumAttempts: a.retryPolicy.maximumAttempts ?? 0,
      scheduledTime: msToTimestamp(a.attemptScheduledMs),
      expirationTime: a.scheduleToCloseMs ? msToTimestamp(a.scheduledMs + a.scheduleToCloseMs) : null,
      lastFailure: a.lastFailure,
      lastWorkerIdentity: a.startedIdentity,
    }));
  }
}

function timeoutFailure(timeoutType: number, lastHeartbeatDetails: Payloads | null | undefined): Failure {
  // The real server's wording, e.g. "activity StartToClose timeout".
  const upper = api.enums.v1.TimeoutType[timeoutType]?.replace('TIMEOUT_TYPE_', '') ?? 'UNKNOWN';
  const name = upper.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
  return { message: `activity ${name} timeout`, timeoutFailureInfo: { timeoutType, lastHeartbeatDetails } };
}

/** The scheduled event id of the activity an outcome event (completed, failed, timed out, canceled) ends. */
function outcomeActivity(attributes: EventAttributes): number | undefined {
  const outcome =
    attributes.activityTaskCompletedEventAttributes ??
    attributes.activityTaskFailedEventAttributes ??
    attributes.activityTaskTimedOutEventAttributes ??
    attributes.activityTaskCanceledEventAttributes;
  return outcome ? toNumber(outcome.scheduledEventId) : undefined;
}
