// The dev server's workflow engine: runs, workflow tasks, commands, signals, cancellation,
// children and continue-as-new. Activities live in activities.ts, queries in queries.ts, updates
// in updates.ts.
// Semantics follow Temporal's own test server (sdk-java temporal-test-server); the protocol facts
// this relies on: docs/temporal-dev-server.md § Protocol facts learned building it.
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { alreadyStarted, invalidArgument, namespaceNotFound, notFound, required, workflowNotFound } from './errors.js';
import type { Command, Failure, HistoryEvent, Loose, Payload, Payloads, temporal } from './proto.js';
import {
  EventType,
  RetryState,
  WorkflowStatus,
  api,
  durationToMs,
  msToDuration,
  msToTimestamp,
  toNumber,
} from './proto.js';
import type { BufferedEvent, ChildState, EventAttributes, ParentRef } from './run.js';
import { CLOSE_EVENT_TYPES, Run, runKey, workflowKey } from './run.js';
import { TaskQueue } from './task-queue.js';
import type { Store } from './store.js';
import { ActivityTasks } from './activities.js';
import { Queries } from './queries.js';
import { Updates } from './updates.js';
import type { MessagePlan } from './updates.js';

const CommandType = api.enums.v1.CommandType;
const ConflictPolicy = api.enums.v1.WorkflowIdConflictPolicy;
const ReusePolicy = api.enums.v1.WorkflowIdReusePolicy;
const ParentClosePolicy = api.enums.v1.ParentClosePolicy;
const WftFailedCause = api.enums.v1.WorkflowTaskFailedCause;

export const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
/** The real server's history.discardSpeculativeWorkflowTaskMaximumEventsCount. */
const MAX_DISCARDED_SPECULATIVE_EVENTS = 10;

export type WorkflowTask = { kind: 'workflow'; run: Run; seq: number } | { kind: 'query'; queryId: string };

export interface StartParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Payloads | null;
  workflowExecutionTimeout?: object | null;
  workflowRunTimeout?: object | null;
  workflowTaskTimeout?: object | null;
  identity?: string | null;
  requestId?: string | null;
  workflowIdReusePolicy?: number | null;
  workflowIdConflictPolicy?: number | null;
  retryPolicy?: object | null;
  memo?: { fields?: Record<string, Payload | null | undefined> | null } | null;
  searchAttributes?: { indexedFields?: Record<string, Payload | null | undefined> | null } | null;
  header?: object | null;
  /** Signal-with-start: the signal recorded right after the start event. */
  signal?: { name: string; input?: Payloads | null; identity?: string | null; header?: object | null };
  parent?: ParentRef;
  continuedFrom?: { run: Run; attributes: temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes };
  firstWorkflowTaskBackoffMs?: number;
  /** Runs on the new run before its first workflow task is scheduled (update-with-start). */
  beforeFirstTask?: (run: Run) => void;
}

export interface EngineHooks {
  /** Called after any change that may make the skipping clock able to move. */
  onStateChange(): void;
}

export class Engine {
  readonly workflowQueues = new Map<string, TaskQueue<WorkflowTask>>();
  readonly activities: ActivityTasks;
  readonly queries: Queries;
  readonly updates: Updates;
  private taskIdCounter = 0;

  constructor(
    readonly clock: Clock,
    readonly store: Store,
    private readonly hooks: EngineHooks,
  ) {
    this.activities = new ActivityTasks(this);
    this.queries = new Queries(this);
    this.updates = new Updates(this);
  }

  // ---- lookups ----------------------------------------------------------------------------

  checkNamespace(namespace: string | null | undefined): string {
    const ns = required(namespace, 'Namespace');
    if (!this.store.hasNamespace(ns)) throw namespaceNotFound(ns);
    return ns;
  }

  /** The run named by workflowId (+ optional runId); the latest run when runId is empty. */
  findRun(namespace: string, execution: { workflowId?: string | null; runId?: string | null } | null | undefined): Run {
    const workflowId = required(execution?.workflowId, 'WorkflowId');
    const runId = execution?.runId || '';
    const run = runId
      ? this.store.getRun(runKey(namespace, workflowId, runId))
      : this.store.latestRun(workflowKey(namespace, workflowId));
    if (!run) throw workflowNotFound(workflowId, runId);
    return run;
  }

  findOpenRun(
    namespace: string,
    execution: { workflowId?: string | null; runId?: string | null } | null | undefined,
  ): Run {
    const run = this.findRun(namespace, execution);
    if (!run.isOpen) throw workflowAlreadyCompleted();
    return run;
  }

  workflowQueue(namespace: string, name: string): TaskQueue<WorkflowTask> {
    const key = `${namespace}\u0000${name}`;
    let queue = this.workflowQueues.get(key);
    if (!queue) this.workflowQueues.set(key, (queue = new TaskQueue()));
    return queue;
  }

  nextTaskId = (): number => ++this.taskIdCounter;

  now(): number {
    return this.clock.now();
  }

  changed(run?: Run): void {
    if (run) this.store.touch(run);
    this.hooks.onStateChange();
  }

  // ---- start ------------------------------------------------------------------------------

  startWorkflow(p: StartParams): { run: Run; started: boolean } {
    const workflowId = required(p.workflowId, 'WorkflowId');
    required(p.workflowType, 'WorkflowType');
    required(p.taskQueue, 'TaskQueue');
    const requestId = p.requestId || randomUUID();
    const existing = this.store.latestRun(workflowKey(p.namespace, workflowId));
    if (existing && !p.continuedFrom) {
      if (existing.requestIds.has(requestId)) return { run: existing, started: true };
      if (existing.isOpen) {
        const conflict = p.workflowIdConflictPolicy || ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL;
        const reuse = p.workflowIdReusePolicy || 0;
        if (conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
          return { run: existing, started: false };
        if (
          conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING ||
          reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
        ) {
          this.terminate(existing, 'terminated by a new start (workflow id conflict policy)', null, p.identity ?? '');
        } else {
          throw alreadyStarted(requestId, existing.runId);
        }
      } else {
        const reuse = p.workflowIdReusePolicy || ReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE;
        if (reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
          throw alreadyStarted(requestId, existing.runId);
        if (
          reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY &&
          existing.status === WorkflowStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
        ) {
          throw alreadyStarted(requestId, existing.runId);
        }
      }
    }
    const now = this.now();
    const runId = randomUUID();
    const previous = p.continuedFrom?.run;
    const firstRunId = previous ? previous.firstRunId : runId;
    const wftTimeoutMs = durationToMs(p.workflowTaskTimeout as never) || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS;
    const parent = p.parent ?? previous?.parent;
    const run = new Run(
      p.namespace,
      workflowId,
      runId,
      firstRunId,
      p.workflowType,
      p.taskQueue,
      now,
      wftTimeoutMs,
      parent,
      this.nextTaskId,
    );
    run.requestIds.add(requestId);
    run.memo = { ...(p.memo?.fields ?? {}) };
    run.searchAttributes = { ...(p.searchAttributes?.indexedFields ?? {}) };
    const runTimeoutMs = durationToMs(p.workflowRunTimeout as never);
    run.append(
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      {
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: p.workflowType },
          workflowId,
          taskQueue: { name: p.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          input: p.input,
          workflowExecutionTimeout: p.workflowExecutionTimeout ?? msToDuration(0),
          workflowRunTimeout: p.workflowRunTimeout ?? msToDuration(0),
          workflowTaskTimeout: msToDuration(wftTimeoutMs),
          identity: p.identity ?? '',
          originalExecutionRunId: runId,
          firstExecutionRunId: firstRunId,
          continuedExecutionRunId: previous?.runId ?? '',
          initiator: p.continuedFrom?.attributes.initiator ?? 0,
          continuedFailure: p.continuedFrom?.attributes.failure,
          lastCompletionResult: p.continuedFrom?.attributes.lastCompletionResult,
          retryPolicy: p.retryPolicy,
          attempt: 1,
          firstWorkflowTaskBackoff: msToDuration(p.firstWorkflowTaskBackoffMs ?? 0),
          memo: { fields: run.memo },
          searchAttributes: { indexedFields: run.searchAttributes },
          header: p.header,
          parentWorkflowNamespace: parent?.namespace ?? '',
          parentWorkflowExecution: parent ? { workflowId: parent.workflowId, runId: parent.runId } : null,
          parentInitiatedEventId: parent?.initiatedEventId ?? 0,
        },
      },
      now,
    );
    if (p.signal) {
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        {
          workflowExecutionSignaledEventAttributes: {
            signalName: p.signal.name,
            input: p.signal.input,
            identity: p.signal.identity ?? '',
            header: p.signal.header,
          },
        },
        now,
      );
    }
    this.store.addRun(run);
    p.beforeFirstTask?.(run);
    if (runTimeoutMs > 0) this.armRunTimeout(run, now + runTimeoutMs);
    const backoff = p.firstWorkflowTaskBackoffMs ?? 0;
    if (backoff > 0) this.clock.schedule(now + backoff, () => this.scheduleWorkflowTask(run));
    else this.scheduleWorkflowTask(run);
    this.changed(run);
    return { run, started: true };
  }

  // ---- events from outside a workflow task -----------------------------------------------

  /**
   * Records an event that the workflow must see in a new workflow task. While a task is running,
   * the event is held back and appended after the task's completion (as the real server does).
   */
  addExternalEvent(run: Run, type: number, attributes: EventAttributes, activityStarted?: EventAttributes): void {
    if (!run.isOpen) return;
    const event: BufferedEvent = { type, attributes, activityStarted };
    // New events make a speculative task a normal one, as on the real server: its scheduled event
    // is written now, before them (a started one is written when it completes).
    if (run.wft?.speculative && run.wft.state === 'scheduled') this.writeTransientTask(run);
    if (run.wft?.state === 'started') {
      run.buffered.push(event);
      this.store.persistBuffered(run, event);
    } else {
      this.appendBufferedEvent(run, event);
      this.scheduleWorkflowTask(run);
    }
    this.changed(run);
  }

  private appendBufferedEvent(run: Run, { type, attributes, activityStarted }: BufferedEvent): void {
    if (activityStarted) {
      const started = this.appendEvent(run, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityStarted);
      const outcome = Object.values(attributes)[0] as { startedEventId?: unknown };
      outcome.startedEventId = started.eventId;
    }
    this.appendEvent(run, type, attributes);
  }

  appendEvent(run: Run, type: number, attributes: EventAttributes): HistoryEvent {
    const event = run.append(type, attributes, this.now());
    this.store.persistEvent(run, event);
    run.wakeWaiters();
    return event;
  }

  signal(
    run: Run,
    name: string,
    input: Payloads | null | undefined,
    identity: string,
    header: object | null | undefined,
    requestId: string | null | undefined,
  ): void {
    if (!run.isOpen) throw workflowAlreadyCompleted();
    if (requestId) {
      if (run.requestIds.has(requestId)) return;
      run.requestIds.add(requestId);
    }
    this.addExternalEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
      workflowExecutionSignaledEventAttributes: { signalName: name, input, identity, header },
    });
  }

  requestCancel(
    run: Run,
    identity: string,
    requestId: string | null | undefined,
    cause = '',
    external?: { initiatedEventId: number; execution: object },
  ): void {
    if (!run.isOpen) throw workflowAlreadyCompleted();
    if (requestId) {
      if (run.requestIds.has(requestId)) return;
      run.requestIds.add(requestId);
    }
    // Like the real server: a second cancel request is accepted but records nothing new.
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    this.addExternalEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
      workflowExecutionCancelRequestedEventAttributes: {
        cause,
        identity,
        externalInitiatedEventId: external?.initiatedEventId ?? 0,
        externalWorkflowExecution: external?.execution ?? null,
      },
    });
  }

  terminate(run: Run, reason: string, details: Payloads | null | undefined, identity: string): void {
    if (!run.isOpen) throw workflowAlreadyCompleted();
    this.flushBuffered(run);
    this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, {
      workflowExecutionTerminatedEventAttributes: { reason, details, identity },
    });
    this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  armRunTimeout(run: Run, atMs: number): void {
    run.runTimeout = this.clock.schedule(atMs, () => this.timeOut(run));
  }

  private timeOut(run: Run): void {
    if (!run.isOpen) return;
    this.flushBuffered(run);
    this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, {
      workflowExecutionTimedOutEventAttributes: { retryState: RetryState.RETRY_STATE_TIMEOUT },
    });
    this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
  }

  // ---- workflow tasks ---------------------------------------------------------------------

  /** Schedules a workflow task unless one is pending; a speculative one only delivers updates. */
  scheduleWorkflowTask(run: Run, attempt = 1, speculative = false): void {
    if (!run.isOpen || run.wft) return;
    const now = this.now();
    const transient = attempt > 1 || speculative;
    let scheduledEventId = 0;
    if (!transient) {
      scheduledEventId = this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, {
        workflowTaskScheduledEventAttributes: {
          taskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          startToCloseTimeout: msToDuration(run.workflowTaskTimeoutMs),
          attempt,
        },
      }).eventId as number;
    }
    const seq = ++run.wftSeq;
    run.wft = {
      attempt,
      transient,
      speculative,
      state: 'scheduled',
      scheduledEventId,
      startedEventId: 0,
      scheduledMs: now,
      startedMs: 0,
      seq,
    };
    this.workflowQueue(run.namespace, run.taskQueue).push({ kind: 'workflow', run, seq });
    this.changed(run);
  }

  isWorkflowTaskValid(task: WorkflowTask): boolean {
    if (task.kind === 'query') return this.queries.isDispatchable(task.queryId);
    const wft = task.run.wft;
    return task.run.isOpen && wft !== null && wft.seq === task.seq && wft.state === 'scheduled';
  }

  /** Marks the task started and builds the poll response (full history; transient events appended). */
  startWorkflowTask(
    run: Run,
    identity: string,
    requestId: string,
  ): Loose<temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse> {
    const wft = run.wft!;
    const now = this.now();
    wft.state = 'started';
    wft.startedMs = now;
    const startedAttrs: EventAttributes = {
      workflowTaskStartedEventAttributes: {
        scheduledEventId: 0,
        identity,
        requestId,
        historySizeBytes: run.historyBytes,
      },
    };
    let transientEvents: HistoryEvent[] = [];
    if (wft.transient) {
      wft.scheduledEventId = run.nextEventId;
      wft.startedEventId = run.nextEventId + 1;
      transientEvents = [
        run.makeEvent(
          EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
          {
            workflowTaskScheduledEventAttributes: {
              taskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
              startToCloseTimeout: msToDuration(run.workflowTaskTimeoutMs),
              attempt: wft.attempt,
            },
          },
          wft.scheduledMs,
          wft.scheduledEventId,
        ),
        run.makeEvent(
          EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
          {
            workflowTaskStartedEventAttributes: {
              scheduledEventId: wft.scheduledEventId,
              identity,
              requestId,
              historySizeBytes: run.historyBytes,
            },
          },
          now,
          wft.startedEventId,
        ),
      ];
    } else {
      startedAttrs.workflowTaskStartedEventAttributes!.scheduledEventId = wft.scheduledEventId;
      wft.startedEventId = this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, startedAttrs)
        .eventId as number;
    }
    wft.timeout = this.clock.schedule(now + run.workflowTaskTimeoutMs, () => this.workflowTaskTimedOut(run, wft.seq));
    this.changed(run);
    return {
      taskToken: encodeToken({ k: 'wft', ns: run.namespace, wid: run.workflowId, rid: run.runId, seq: wft.seq }),
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      workflowType: { name: run.workflowType },
      previousStartedEventId: run.lastCompletedStartedEventId,
      startedEventId: wft.startedEventId,
      attempt: wft.attempt,
      history: { events: [...run.events, ...transientEvents] },
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: msToTimestamp(wft.scheduledMs),
      startedTime: msToTimestamp(now),
      messages: this.updates.messagesFor(run, wft.startedEventId),
    };
  }

  /** The run and task a workflow task token names, or NOT_FOUND if the task is gone. */
  runningWorkflowTask(token: Uint8Array | null | undefined): Run {
    const t = decodeToken(token);
    if (t.k !== 'wft') throw invalidArgument('task token is not a workflow task token');
    const run = this.store.getRun(runKey(t.ns, t.wid, t.rid));
    if (!run || !run.isOpen || !run.wft || run.wft.seq !== t.seq || run.wft.state !== 'started') {
      throw notFound('workflow task not found');
    }
    return run;
  }

  completeWorkflowTask(
    req: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest,
  ): Loose<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse> {
    const run = this.runningWorkflowTask(req.taskToken);
    const commands = req.commands ?? [];
    const plan = this.updates.plan(run, commands, req.messages ?? []);
    if (typeof plan === 'string') {
      this.failWorkflowTaskWith(
        run,
        WftFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
        { message: plan },
        req.identity ?? '',
        false,
      );
      return {};
    }
    const closing = commands.some((c) => isCloseCommand(c.commandType ?? 0));
    if (closing && run.buffered.length > 0) {
      // New events arrived while the task ran: the workflow must see them before it may close.
      // (Updates that arrived meanwhile do not hold it back: they are aborted when it closes.)
      this.failWorkflowTaskWith(
        run,
        WftFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
        { message: 'unhandled command: new events arrived while the workflow task ran' },
        req.identity ?? '',
        false,
      );
      return {};
    }
    const wft = run.wft!;
    wft.timeout?.cancel();
    for (const rejection of plan.rejections) this.updates.apply(run, rejection);
    if (wft.speculative && this.canDiscard(run, req, plan)) return this.discardSpeculativeTask(run);
    this.writeTransientTask(run);
    const completed = this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
      workflowTaskCompletedEventAttributes: {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        identity: req.identity ?? '',
        binaryChecksum: req.binaryChecksum ?? '',
        sdkMetadata: req.sdkMetadata,
        meteringMetadata: req.meteringMetadata,
        workerVersion: req.workerVersionStamp,
      },
    });
    run.lastCompletedStartedEventId = wft.startedEventId;
    run.wft = null;
    const completedEventId = completed.eventId as number;
    const afterTask: (() => void)[] = [];
    for (const command of commands) {
      if (!run.isOpen) break;
      if (command.commandType === CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
        this.updates.apply(run, plan.byCommand.get(command.protocolMessageCommandAttributes!.messageId!)!);
      } else {
        this.applyCommand(run, command, completedEventId, afterTask);
      }
    }
    if (run.isOpen) {
      for (const message of plan.rest) this.updates.apply(run, message);
      // A heartbeat (forced new task) may answer the updates it carries on a later task.
      if (!req.forceCreateNewWorkflowTask) this.updates.rejectUnprocessed(run);
      const hadBuffered = this.flushBuffered(run);
      if (hadBuffered || req.forceCreateNewWorkflowTask) this.scheduleWorkflowTask(run);
      else if (this.updates.hasUndelivered(run)) this.scheduleWorkflowTask(run, 1, true);
    }
    for (const action of afterTask) action();
    this.queries.dispatchPending(run);
    this.changed(run);
    return {};
  }

  /**
   * A speculative task whose worker only rejected updates leaves no trace, as on the real server
   * (see its skipWorkflowTaskCompletedEvent): the worker is told to roll back to its last task.
   * Not if it changed anything, nor if it shipped more than a few events the SDK would get again.
   */
  private canDiscard(
    run: Run,
    req: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest,
    plan: MessagePlan,
  ): boolean {
    if (
      (req.commands ?? []).length > 0 ||
      req.forceCreateNewWorkflowTask ||
      run.buffered.length > 0 ||
      plan.rest.length > 0
    )
      return false;
    // Events since the last completed task's WorkflowTaskCompleted (command events it produced).
    const shipped = run.nextEventId - (run.lastCompletedStartedEventId + 2);
    const maxShipped = req.capabilities?.discardSpeculativeWorkflowTaskWithEvents
      ? MAX_DISCARDED_SPECULATIVE_EVENTS
      : 0;
    return shipped <= maxShipped;
  }

  private discardSpeculativeTask(
    run: Run,
  ): Loose<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse> {
    run.wft = null;
    this.updates.rejectUnprocessed(run);
    if (this.updates.hasUndelivered(run)) this.scheduleWorkflowTask(run, 1, true);
    this.queries.dispatchPending(run);
    this.changed(run);
    return { resetHistoryEventId: run.lastCompletedStartedEventId };
  }

  failWorkflowTask(req: temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest): void {
    const run = this.runningWorkflowTask(req.taskToken);
    this.failWorkflowTaskWith(run, req.cause ?? 0, req.failure ?? null, req.identity ?? '', true);
  }

  /**
   * A failed (or timed-out) task. Only the first attempt is written to history; later attempts
   * stay transient, so a workflow stuck on a bug does not grow its history.
   */
  private failWorkflowTaskWith(
    run: Run,
    cause: number,
    failure: Failure | null,
    identity: string,
    countsAsAttempt: boolean,
    timedOut = false,
  ): void {
    const wft = run.wft!;
    wft.timeout?.cancel();
    if (wft.attempt === 1) {
      // A failing speculative task goes into history first: its failure must be visible.
      this.writeTransientTask(run);
      if (timedOut) {
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, {
          workflowTaskTimedOutEventAttributes: {
            scheduledEventId: wft.scheduledEventId,
            startedEventId: wft.startedEventId,
            timeoutType: api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
          },
        });
      } else {
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
          workflowTaskFailedEventAttributes: {
            scheduledEventId: wft.scheduledEventId,
            startedEventId: wft.startedEventId,
            cause,
            failure,
            identity,
          },
        });
      }
    }
    run.wft = null;
    // A completion the server refused (the one failure not counted as an attempt) fails the
    // updates the workflow saw, as on the real server; others are delivered again.
    if (!countsAsAttempt) this.updates.abortSent(run);
    const hadBuffered = this.flushBuffered(run);
    this.scheduleWorkflowTask(run, countsAsAttempt && !hadBuffered ? wft.attempt + 1 : 1);
    this.queries.dispatchPending(run);
    this.changed(run);
  }

  // ---- recovery (durable mode) --------------------------------------------------------------

  /** A task that was running when the process stopped: its worker is gone. */
  timeOutWorkflowTaskNow(run: Run): void {
    this.failWorkflowTaskWith(run, 0, null, '', true, true);
  }

  requeueWorkflowTask(run: Run): void {
    this.workflowQueue(run.namespace, run.taskQueue).push({ kind: 'workflow', run, seq: run.wft!.seq });
  }

  flushAndSchedule(run: Run): void {
    this.flushBuffered(run);
    this.scheduleWorkflowTask(run);
  }

  private workflowTaskTimedOut(run: Run, seq: number): void {
    if (!run.isOpen || !run.wft || run.wft.seq !== seq || run.wft.state !== 'started') return;
    this.failWorkflowTaskWith(run, 0, null, '', true, true);
  }

  /** A transient task that completes is written to history at last. */
  private writeTransientTask(run: Run): void {
    const wft = run.wft!;
    if (!wft.transient) return;
    const scheduled = this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, {
      workflowTaskScheduledEventAttributes: {
        taskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        startToCloseTimeout: msToDuration(run.workflowTaskTimeoutMs),
        attempt: wft.attempt,
      },
    });
    wft.scheduledEventId = scheduled.eventId as number;
    if (wft.state === 'started') {
      const started = this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
        workflowTaskStartedEventAttributes: { scheduledEventId: scheduled.eventId, historySizeBytes: run.historyBytes },
      });
      wft.startedEventId = started.eventId as number;
    }
    wft.transient = false;
    wft.speculative = false;
  }

  /** Appends held-back events; true if there were any. */
  private flushBuffered(run: Run): boolean {
    if (run.buffered.length === 0) return false;
    const buffered = run.buffered;
    run.buffered = [];
    for (const event of buffered) this.appendBufferedEvent(run, event);
    this.store.clearBuffered(run);
    return true;
  }

  // ---- commands ---------------------------------------------------------------------------

  private applyCommand(run: Run, command: Command, wftCompletedId: number, afterTask: (() => void)[]): void {
    switch (command.commandType) {
      case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
        this.activities.schedule(run, command.scheduleActivityTaskCommandAttributes!, wftCompletedId);
        return;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
        this.activities.requestCancel(
          run,
          toNumber(command.requestCancelActivityTaskCommandAttributes!.scheduledEventId),
          wftCompletedId,
          afterTask,
        );
        return;
      case CommandType.COMMAND_TYPE_START_TIMER: {
        const a = command.startTimerCommandAttributes!;
        const timerId = a.timerId ?? '';
        const started = this.appendEvent(run, EventType.EVENT_TYPE_TIMER_STARTED, {
          timerStartedEventAttributes: {
            timerId,
            startToFireTimeout: a.startToFireTimeout,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        this.armTimer(run, timerId, started.eventId as number, this.now() + durationToMs(a.startToFireTimeout));
        return;
      }
      case CommandType.COMMAND_TYPE_CANCEL_TIMER: {
        const timerId = command.cancelTimerCommandAttributes!.timerId ?? '';
        const timer = run.timers.get(timerId);
        let startedEventId: number;
        if (timer) {
          timer.handle?.cancel();
          run.timers.delete(timerId);
          startedEventId = timer.startedEventId;
        } else {
          const fired = this.takeBufferedTimerFired(run, timerId);
          if (fired === undefined) return;
          startedEventId = fired;
        }
        this.appendEvent(run, EventType.EVENT_TYPE_TIMER_CANCELED, {
          timerCanceledEventAttributes: { timerId, startedEventId, workflowTaskCompletedEventId: wftCompletedId },
        });
        return;
      }
      case CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, {
          workflowExecutionCompletedEventAttributes: {
            result: command.completeWorkflowExecutionCommandAttributes!.result,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        return;
      case CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
          workflowExecutionFailedEventAttributes: {
            failure: command.failWorkflowExecutionCommandAttributes!.failure,
            retryState: RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
        return;
      case CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, {
          workflowExecutionCanceledEventAttributes: {
            details: command.cancelWorkflowExecutionCommandAttributes!.details,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        return;
      case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
        this.continueAsNew(run, command.continueAsNewWorkflowExecutionCommandAttributes!, wftCompletedId);
        return;
      case CommandType.COMMAND_TYPE_RECORD_MARKER: {
        const a = command.recordMarkerCommandAttributes!;
        this.appendEvent(run, EventType.EVENT_TYPE_MARKER_RECORDED, {
          markerRecordedEventAttributes: {
            markerName: a.markerName,
            details: a.details,
            header: a.header,
            failure: a.failure,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        return;
      }
      case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const a = command.upsertWorkflowSearchAttributesCommandAttributes!;
        Object.assign(run.searchAttributes, a.searchAttributes?.indexedFields ?? {});
        this.appendEvent(run, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
          upsertWorkflowSearchAttributesEventAttributes: {
            searchAttributes: a.searchAttributes,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        return;
      }
      case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
        const a = command.modifyWorkflowPropertiesCommandAttributes!;
        Object.assign(run.memo, a.upsertedMemo?.fields ?? {});
        this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, {
          workflowPropertiesModifiedEventAttributes: {
            upsertedMemo: a.upsertedMemo,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        return;
      }
      case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
        this.initiateChild(run, command.startChildWorkflowExecutionCommandAttributes!, wftCompletedId, afterTask);
        return;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
        this.cancelExternal(
          run,
          command.requestCancelExternalWorkflowExecutionCommandAttributes!,
          wftCompletedId,
          afterTask,
        );
        return;
      case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
        this.signalExternal(run, command.signalExternalWorkflowExecutionCommandAttributes!, wftCompletedId, afterTask);
        return;
      default:
        throw invalidArgument(
          `unsupported command type ${command.commandType} (${CommandType[command.commandType ?? 0]}) on the embedded dev server`,
        );
    }
  }

  /**
   * A timer that fired while the task cancelling it ran: as on Temporal's server, the cancel wins and
   * its fired event, still held back, is dropped (the worker saw no fire; writing one after its
   * cancel breaks the replay with a nondeterminism error). Returns the timer's started event id.
   */
  private takeBufferedTimerFired(run: Run, timerId: string): number | undefined {
    const i = run.buffered.findIndex(
      (e) => e.type === EventType.EVENT_TYPE_TIMER_FIRED && e.attributes.timerFiredEventAttributes?.timerId === timerId,
    );
    if (i < 0) return undefined;
    const [fired] = run.buffered.splice(i, 1);
    // The journal holds the held-back events as written: write the ones left again.
    this.store.clearBuffered(run);
    for (const event of run.buffered) this.store.persistBuffered(run, event);
    return toNumber(fired.attributes.timerFiredEventAttributes!.startedEventId);
  }

  armTimer(run: Run, timerId: string, startedEventId: number, fireAtMs: number): void {
    const timer: { startedEventId: number; handle?: ReturnType<Clock['schedule']> } = { startedEventId };
    run.timers.set(timerId, timer);
    timer.handle = this.clock.schedule(fireAtMs, () => {
      if (run.timers.get(timerId) !== timer) return;
      run.timers.delete(timerId);
      this.addExternalEvent(run, EventType.EVENT_TYPE_TIMER_FIRED, {
        timerFiredEventAttributes: { timerId, startedEventId },
      });
    });
  }

  private continueAsNew(
    run: Run,
    a: temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes,
    wftCompletedId: number,
  ): void {
    const started = run.startedEvent.workflowExecutionStartedEventAttributes!;
    const next = this.startWorkflow({
      namespace: run.namespace,
      workflowId: run.workflowId,
      workflowType: a.workflowType?.name || run.workflowType,
      taskQueue: a.taskQueue?.name || run.taskQueue,
      input: a.input,
      workflowRunTimeout: a.workflowRunTimeout ?? started.workflowRunTimeout,
      workflowTaskTimeout: a.workflowTaskTimeout ?? started.workflowTaskTimeout,
      workflowExecutionTimeout: started.workflowExecutionTimeout,
      retryPolicy: a.retryPolicy ?? started.retryPolicy,
      memo: a.memo ?? { fields: run.memo },
      searchAttributes: a.searchAttributes ?? { indexedFields: run.searchAttributes },
      header: a.header,
      continuedFrom: { run, attributes: a },
      firstWorkflowTaskBackoffMs: durationToMs(a.backoffStartInterval),
    });
    run.newRunId = next.run.runId;
    this.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, {
      workflowExecutionContinuedAsNewEventAttributes: {
        newExecutionRunId: next.run.runId,
        workflowType: { name: next.run.workflowType },
        taskQueue: { name: next.run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: a.input,
        workflowRunTimeout: a.workflowRunTimeout,
        workflowTaskTimeout: a.workflowTaskTimeout,
        workflowTaskCompletedEventId: wftCompletedId,
        backoffStartInterval: a.backoffStartInterval,
        initiator: a.initiator,
        failure: a.failure,
        lastCompletionResult: a.lastCompletionResult,
        header: a.header,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
      },
    });
    this.close(run, WorkflowStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
  }

  // ---- children and external workflows ------------------------------------------------------

  private initiateChild(
    run: Run,
    a: temporal.api.command.v1.IStartChildWorkflowExecutionCommandAttributes,
    wftCompletedId: number,
    afterTask: (() => void)[],
  ): void {
    const namespace = a.namespace || run.namespace;
    const initiated = this.appendEvent(run, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, {
      startChildWorkflowExecutionInitiatedEventAttributes: {
        ...a,
        namespace,
        workflowTaskCompletedEventId: wftCompletedId,
      },
    });
    const initiatedEventId = initiated.eventId as number;
    afterTask.push(() => {
      if (!run.isOpen) return;
      const workflowType = a.workflowType?.name ?? '';
      let child: Run;
      try {
        child = this.startWorkflow({
          namespace,
          workflowId: a.workflowId ?? '',
          workflowType,
          taskQueue: a.taskQueue?.name || run.taskQueue,
          input: a.input,
          workflowExecutionTimeout: a.workflowExecutionTimeout,
          workflowRunTimeout: a.workflowRunTimeout,
          workflowTaskTimeout: a.workflowTaskTimeout,
          workflowIdReusePolicy: a.workflowIdReusePolicy,
          retryPolicy: a.retryPolicy,
          memo: a.memo,
          searchAttributes: a.searchAttributes,
          header: a.header,
          parent: { namespace: run.namespace, workflowId: run.workflowId, runId: run.runId, initiatedEventId },
        }).run;
      } catch (_err) {
        this.addExternalEvent(run, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, {
          startChildWorkflowExecutionFailedEventAttributes: {
            namespace,
            workflowId: a.workflowId,
            workflowType: a.workflowType,
            cause:
              api.enums.v1.StartChildWorkflowExecutionFailedCause
                .START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
            control: a.control,
            initiatedEventId,
            workflowTaskCompletedEventId: wftCompletedId,
          },
        });
        return;
      }
      const childState: ChildState = {
        initiatedEventId,
        namespace,
        workflowId: child.workflowId,
        runId: child.runId,
        workflowType,
        parentClosePolicy: a.parentClosePolicy || ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
      };
      run.children.set(initiatedEventId, childState);
      this.addExternalEvent(run, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, {
        childWorkflowExecutionStartedEventAttributes: {
          namespace,
          initiatedEventId,
          workflowExecution: { workflowId: child.workflowId, runId: child.runId },
          workflowType: { name: workflowType },
          header: a.header,
        },
      });
    });
  }

  private childStartedEventId(parent: Run, initiatedEventId: number): number {
    for (let i = parent.events.length - 1; i >= 0; i--) {
      const e = parent.events[i];
      if (
        e.childWorkflowExecutionStartedEventAttributes &&
        toNumber(e.childWorkflowExecutionStartedEventAttributes.initiatedEventId) === initiatedEventId
      ) {
        return e.eventId as number;
      }
    }
    return 0;
  }

  /** Tells the parent (if any) that its child's chain of runs ended. */
  private notifyParent(child: Run, closeEvent: HistoryEvent): void {
    const ref = child.parent;
    if (!ref) return;
    const parent = this.store.getRun(runKey(ref.namespace, ref.workflowId, ref.runId));
    if (!parent || !parent.isOpen) return;
    const state = parent.children.get(ref.initiatedEventId);
    if (!state) return;
    parent.children.delete(ref.initiatedEventId);
    const common = {
      namespace: child.namespace,
      workflowExecution: { workflowId: child.workflowId, runId: child.runId },
      workflowType: { name: child.workflowType },
      initiatedEventId: ref.initiatedEventId,
      startedEventId: this.childStartedEventId(parent, ref.initiatedEventId),
    };
    const t = closeEvent.eventType;
    if (t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
      this.addExternalEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, {
        childWorkflowExecutionCompletedEventAttributes: {
          ...common,
          result: closeEvent.workflowExecutionCompletedEventAttributes!.result,
        },
      });
    } else if (t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED) {
      const f = closeEvent.workflowExecutionFailedEventAttributes!;
      this.addExternalEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED, {
        childWorkflowExecutionFailedEventAttributes: { ...common, failure: f.failure, retryState: f.retryState },
      });
    } else if (t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED) {
      this.addExternalEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, {
        childWorkflowExecutionCanceledEventAttributes: {
          ...common,
          details: closeEvent.workflowExecutionCanceledEventAttributes!.details,
        },
      });
    } else if (t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT) {
      this.addExternalEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT, {
        childWorkflowExecutionTimedOutEventAttributes: { ...common, retryState: RetryState.RETRY_STATE_TIMEOUT },
      });
    } else if (t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED) {
      this.addExternalEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED, {
        childWorkflowExecutionTerminatedEventAttributes: common,
      });
    }
  }

  private cancelExternal(
    run: Run,
    a: temporal.api.command.v1.IRequestCancelExternalWorkflowExecutionCommandAttributes,
    wftCompletedId: number,
    afterTask: (() => void)[],
  ): void {
    const namespace = a.namespace || run.namespace;
    const execution = { workflowId: a.workflowId ?? '', runId: a.runId ?? '' };
    const initiated = this.appendEvent(run, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
      requestCancelExternalWorkflowExecutionInitiatedEventAttributes: {
        workflowTaskCompletedEventId: wftCompletedId,
        namespace,
        workflowExecution: execution,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        reason: a.reason,
      },
    });
    const initiatedEventId = initiated.eventId as number;
    afterTask.push(() => {
      const target = this.tryFindOpenRun(namespace, execution);
      if (target) {
        this.requestCancel(target, `${run.workflowId}`, `${run.runId}:${initiatedEventId}`, a.reason ?? '', {
          initiatedEventId,
          execution: { workflowId: run.workflowId, runId: run.runId },
        });
        this.addExternalEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
          externalWorkflowExecutionCancelRequestedEventAttributes: {
            initiatedEventId,
            namespace,
            workflowExecution: execution,
          },
        });
      } else {
        this.addExternalEvent(run, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
          requestCancelExternalWorkflowExecutionFailedEventAttributes: {
            cause:
              api.enums.v1.CancelExternalWorkflowExecutionFailedCause
                .CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
            workflowTaskCompletedEventId: wftCompletedId,
            namespace,
            workflowExecution: execution,
            initiatedEventId,
            control: a.control,
          },
        });
      }
    });
  }

  private signalExternal(
    run: Run,
    a: temporal.api.command.v1.ISignalExternalWorkflowExecutionCommandAttributes,
    wftCompletedId: number,
    afterTask: (() => void)[],
  ): void {
    const namespace = a.namespace || run.namespace;
    const execution = { workflowId: a.execution?.workflowId ?? '', runId: a.execution?.runId ?? '' };
    const initiated = this.appendEvent(run, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
      signalExternalWorkflowExecutionInitiatedEventAttributes: {
        workflowTaskCompletedEventId: wftCompletedId,
        namespace,
        workflowExecution: execution,
        signalName: a.signalName,
        input: a.input,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        header: a.header,
      },
    });
    const initiatedEventId = initiated.eventId as number;
    afterTask.push(() => {
      const target = this.tryFindOpenRun(namespace, execution);
      if (target) {
        this.signal(target, a.signalName ?? '', a.input, run.workflowId, a.header, `${run.runId}:${initiatedEventId}`);
        this.addExternalEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, {
          externalWorkflowExecutionSignaledEventAttributes: {
            initiatedEventId,
            namespace,
            workflowExecution: execution,
            control: a.control,
          },
        });
      } else {
        this.addExternalEvent(run, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
          signalExternalWorkflowExecutionFailedEventAttributes: {
            cause:
              api.enums.v1.SignalExternalWorkflowExecutionFailedCause
                .SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
            workflowTaskCompletedEventId: wftCompletedId,
            namespace,
            workflowExecution: execution,
            initiatedEventId,
            control: a.control,
          },
        });
      }
    });
  }

  private tryFindOpenRun(namespace: string, execution: { workflowId: string; runId: string }): Run | undefined {
    try {
      const target = this.findRun(namespace, execution);
      return target.isOpen ? target : undefined;
    } catch {
      return undefined;
    }
  }

  // ---- closing ----------------------------------------------------------------------------

  private close(run: Run, status: number): void {
    run.status = status;
    run.closeMs = this.now();
    run.closedWallMs = Date.now();
    run.wft?.timeout?.cancel();
    run.wft = null;
    run.buffered = [];
    run.runTimeout?.cancel();
    for (const timer of run.timers.values()) timer.handle?.cancel();
    run.timers.clear();
    this.activities.abandonAll(run);
    this.updates.onClose(
      run,
      run.newRunId ? this.store.getRun(runKey(run.namespace, run.workflowId, run.newRunId)) : undefined,
    );
    this.applyParentClosePolicy(run);
    const closeEvent = run.events[run.events.length - 1];
    if (
      status !== WorkflowStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW &&
      CLOSE_EVENT_TYPES.has(closeEvent.eventType as number)
    ) {
      this.notifyParent(run, closeEvent);
    }
    this.store.closed(run);
    this.queries.dispatchPending(run);
    run.wakeWaiters();
    this.changed(run);
  }

  private applyParentClosePolicy(run: Run): void {
    for (const child of run.children.values()) {
      const target = this.tryFindOpenRun(child.namespace, { workflowId: child.workflowId, runId: '' });
      if (!target) continue;
      if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE) {
        this.terminate(target, 'by parent close policy', null, run.workflowId);
      } else if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
        this.requestCancel(target, run.workflowId, null, 'by parent close policy');
      }
    }
    run.children.clear();
  }

  /** Whether nothing is runnable anywhere (for the time-skipping clock). */
  isIdle(): boolean {
    return this.store.busyCount() === 0 && this.queries.pendingCount() === 0;
  }
}

function isCloseCommand(type: number): boolean {
  return (
    type === CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION ||
    type === CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION ||
    type === CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION ||
    type === CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION
  );
}

export function workflowAlreadyCompleted(): Error {
  return notFound('workflow execution already completed');
}

// ---- task tokens ------------------------------------------------------------------------------

export type TaskToken =
  | { k: 'wft'; ns: string; wid: string; rid: string; seq: number }
  | { k: 'act'; ns: string; wid: string; rid: string; sid: number; attempt: number }
  | { k: 'query'; id: string };

export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token));
}

export function decodeToken(bytes: Uint8Array | null | undefined): TaskToken {
  if (!bytes || bytes.length === 0) throw invalidArgument('task token is not set on request');
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as TaskToken;
  } catch {
    throw invalidArgument('malformed task token');
  }
}
