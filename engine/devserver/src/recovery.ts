// Durable mode, on start-up: rebuilds every run from the journal. The mutable state (pending
// timers, activities, children, the workflow task, accepted updates) is derived from the history
// itself; only what history does not hold (activity attempts, held-back events, request ids)
// comes from extra records.
import type { Engine } from './engine.js';
import type { JournalRecord } from './journal.js';
import { decodeAttributes, decodeEvent, decodeFailure } from './journal.js';
import type { HistoryEvent } from './proto.js';
import { EventType, WorkflowStatus, durationToMs, timestampToMs, toNumber } from './proto.js';
import type { ActivityState, BufferedEvent, ParentRef } from './run.js';
import { Run } from './run.js';

const CLOSE_STATUS: Record<number, number> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: WorkflowStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
};

interface Recovered {
  run: Run;
  buffered: BufferedEvent[];
  attempts: Map<number, { attempt: number; lastFailure?: object }>;
}

/** Loads the records into the engine and re-arms what was pending; returns the number of runs. */
export function recover(engine: Engine, records: JournalRecord[]): number {
  const byKey = new Map<string, Recovered>();
  for (const r of records) {
    if (r.t === 'run') {
      const run = new Run(r.ns, r.wid, r.rid, r.first, r.type, r.tq, 0, r.wftMs, undefined, engine.nextTaskId);
      for (const id of r.reqs) run.requestIds.add(id);
      byKey.set(r.k, { run, buffered: [], attempts: new Map() });
      continue;
    }
    const rec = byKey.get(r.k);
    if (!rec) continue;
    if (r.t === 'ev') rec.run.events.push(decodeEvent(r.b));
    else if (r.t === 'buf')
      rec.buffered.push({
        type: r.type,
        attributes: decodeAttributes(r.b),
        activityStarted: r.s ? decodeAttributes(r.s) : undefined,
      });
    else if (r.t === 'bufclear') rec.buffered = [];
    else if (r.t === 'att')
      rec.attempts.set(r.sid, { attempt: r.attempt, lastFailure: r.f ? decodeFailure(r.f) : undefined });
    else if (r.t === 'del') byKey.delete(r.k);
  }
  const rebuilt: Recovered[] = [];
  for (const rec of byKey.values()) {
    if (rec.run.events.length === 0) continue;
    const run = withStartState(rec.run, engine);
    engine.store.addRun(run, true);
    rebuilt.push({ ...rec, run });
  }
  // Re-arm after every run is loaded, so parents and children find each other.
  for (const rec of rebuilt) rearm(engine, rec);
  return rebuilt.length;
}

/** A Run carries start facts as readonly fields: rebuild it from its started event. */
function withStartState(shell: Run, engine: Engine): Run {
  const started = shell.events[0].workflowExecutionStartedEventAttributes!;
  const parent: ParentRef | undefined = started.parentWorkflowExecution?.workflowId
    ? {
        namespace: started.parentWorkflowNamespace || shell.namespace,
        workflowId: started.parentWorkflowExecution.workflowId,
        runId: started.parentWorkflowExecution.runId ?? '',
        initiatedEventId: toNumber(started.parentInitiatedEventId),
      }
    : undefined;
  const run = new Run(
    shell.namespace,
    shell.workflowId,
    shell.runId,
    shell.firstRunId,
    shell.workflowType,
    shell.taskQueue,
    timestampToMs(shell.events[0].eventTime),
    shell.workflowTaskTimeoutMs,
    parent,
    engine.nextTaskId,
  );
  run.events.push(...shell.events);
  for (const id of shell.requestIds) run.requestIds.add(id);
  run.memo = { ...(started.memo?.fields ?? {}) };
  run.searchAttributes = { ...(started.searchAttributes?.indexedFields ?? {}) };
  return run;
}

function rearm(engine: Engine, { run, buffered, attempts }: Recovered): void {
  const timers = new Map<string, HistoryEvent>();
  const activities = new Map<number, HistoryEvent>();
  const cancelRequested = new Map<number, number>();
  const childInitiated = new Map<number, HistoryEvent>();
  const childStarted = new Set<number>();
  let wftScheduled: HistoryEvent | undefined;
  let wftStarted: HistoryEvent | undefined;
  let wftRetryPending = false;
  for (const e of run.events) {
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wftScheduled = e;
        wftStarted = undefined;
        wftRetryPending = false;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        wftStarted = e;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        run.lastCompletedStartedEventId = toNumber(e.workflowTaskCompletedEventAttributes!.startedEventId);
        wftScheduled = wftStarted = undefined;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        // Its retry was transient (not in history): it must be scheduled again.
        wftScheduled = wftStarted = undefined;
        wftRetryPending = true;
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        timers.set(e.timerStartedEventAttributes!.timerId!, e);
        break;
      case EventType.EVENT_TYPE_TIMER_FIRED:
        timers.delete(e.timerFiredEventAttributes!.timerId!);
        break;
      case EventType.EVENT_TYPE_TIMER_CANCELED:
        timers.delete(e.timerCanceledEventAttributes!.timerId!);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        activities.set(toNumber(e.eventId), e);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
        cancelRequested.set(
          toNumber(e.activityTaskCancelRequestedEventAttributes!.scheduledEventId),
          toNumber(e.eventId),
        );
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const attrs = (e.activityTaskCompletedEventAttributes ??
          e.activityTaskFailedEventAttributes ??
          e.activityTaskTimedOutEventAttributes ??
          e.activityTaskCanceledEventAttributes)!;
        activities.delete(toNumber(attrs.scheduledEventId));
        break;
      }
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        childInitiated.set(toNumber(e.eventId), e);
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
        childInitiated.delete(toNumber(e.startChildWorkflowExecutionFailedEventAttributes!.initiatedEventId));
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
        childStarted.add(toNumber(e.childWorkflowExecutionStartedEventAttributes!.initiatedEventId));
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: {
        const attrs = (e.childWorkflowExecutionCompletedEventAttributes ??
          e.childWorkflowExecutionFailedEventAttributes ??
          e.childWorkflowExecutionCanceledEventAttributes ??
          e.childWorkflowExecutionTimedOutEventAttributes ??
          e.childWorkflowExecutionTerminatedEventAttributes)!;
        childInitiated.delete(toNumber(attrs.initiatedEventId));
        break;
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        Object.assign(
          run.searchAttributes,
          e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes?.indexedFields ?? {},
        );
        break;
      case EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
        Object.assign(run.memo, e.workflowPropertiesModifiedEventAttributes!.upsertedMemo?.fields ?? {});
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        run.cancelRequested = true;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        run.newRunId = e.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId ?? '';
        break;
    }
  }
  const last = run.events[run.events.length - 1];
  const closeStatus = CLOSE_STATUS[last.eventType as number];
  if (closeStatus) run.status = closeStatus;
  engine.updates.recover(run);
  if (closeStatus) {
    run.closeMs = timestampToMs(last.eventTime);
    run.closedWallMs = run.closeMs;
    engine.store.closed(run, true);
    return;
  }
  for (const [timerId, e] of timers) {
    engine.armTimer(
      run,
      timerId,
      toNumber(e.eventId),
      timestampToMs(e.eventTime) + durationToMs(e.timerStartedEventAttributes!.startToFireTimeout),
    );
  }
  for (const [scheduledEventId, e] of activities) {
    const a = e.activityTaskScheduledEventAttributes!;
    const scheduledMs = timestampToMs(e.eventTime);
    const attempt = attempts.get(scheduledEventId);
    const state: ActivityState = {
      scheduledEventId,
      activityId: a.activityId ?? '',
      activityType: a.activityType?.name ?? '',
      taskQueue: a.taskQueue?.name || run.taskQueue,
      input: a.input,
      header: a.header,
      scheduleToCloseMs: durationToMs(a.scheduleToCloseTimeout),
      startToCloseMs: durationToMs(a.startToCloseTimeout),
      heartbeatMs: durationToMs(a.heartbeatTimeout),
      retryPolicy: {
        initialInterval: a.retryPolicy?.initialInterval ?? null,
        backoffCoefficient: a.retryPolicy?.backoffCoefficient ?? 2,
        maximumInterval: a.retryPolicy?.maximumInterval ?? null,
        maximumAttempts: a.retryPolicy?.maximumAttempts ?? 0,
        nonRetryableErrorTypes: a.retryPolicy?.nonRetryableErrorTypes ?? [],
      },
      attempt: attempt?.attempt ?? 1,
      state: 'scheduled',
      scheduledMs,
      attemptScheduledMs: engine.now(),
      startedMs: 0,
      startedIdentity: '',
      lastHeartbeatMs: 0,
      lastFailure: attempt?.lastFailure,
      cancelRequested: cancelRequested.has(scheduledEventId),
      cancelRequestedEventId: cancelRequested.get(scheduledEventId) ?? 0,
      timers: {},
    };
    run.activities.set(scheduledEventId, state);
    engine.activities.arm(run, state);
  }
  for (const [initiatedEventId, e] of childInitiated) {
    if (!childStarted.has(initiatedEventId)) continue;
    const a = e.startChildWorkflowExecutionInitiatedEventAttributes!;
    const child = engine.store.latestRun(`${a.namespace || run.namespace}\u0000${a.workflowId}`);
    run.children.set(initiatedEventId, {
      initiatedEventId,
      namespace: a.namespace || run.namespace,
      workflowId: a.workflowId ?? '',
      runId: child?.runId ?? '',
      workflowType: a.workflowType?.name ?? '',
      parentClosePolicy: a.parentClosePolicy ?? 0,
    });
  }
  const started = run.startedEvent.workflowExecutionStartedEventAttributes!;
  const runTimeoutMs = durationToMs(started.workflowRunTimeout);
  if (runTimeoutMs > 0) engine.armRunTimeout(run, run.startMs + runTimeoutMs);
  // A workflow task in flight when the process stopped is timed out, as the real server would.
  run.buffered = buffered;
  if (wftScheduled) {
    run.wft = {
      attempt: 1,
      transient: false,
      speculative: false,
      state: wftStarted ? 'started' : 'scheduled',
      scheduledEventId: toNumber(wftScheduled.eventId),
      startedEventId: wftStarted ? toNumber(wftStarted.eventId) : 0,
      scheduledMs: timestampToMs(wftScheduled.eventTime),
      startedMs: 0,
      seq: ++run.wftSeq,
    };
    if (wftStarted) engine.timeOutWorkflowTaskNow(run);
    else engine.requeueWorkflowTask(run);
  } else if (wftRetryPending || buffered.length > 0 || run.events.length === 1) {
    engine.flushAndSchedule(run);
  }
  engine.changed(run);
}
