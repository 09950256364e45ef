// One workflow run: its history and the mutable state the server keeps beside it.
import type { TimerHandle } from './clock.js';
import type { Failure, HistoryEvent, Payload, Payloads, RetryPolicy } from './proto.js';
import { EventType, WorkflowStatus, msToTimestamp } from './proto.js';
import type { Update, UpdateOutcome } from './updates.js';

export type EventAttributes = Omit<HistoryEvent, 'eventId' | 'eventTime' | 'eventType' | 'taskId'>;

/**
 * An event held back while a workflow task runs. An activity's outcome travels with the
 * ActivityTaskStarted event that must precede it (its id is only known when both are written).
 */
export interface BufferedEvent {
  type: number;
  attributes: EventAttributes;
  activityStarted?: EventAttributes;
}

export interface WorkflowTaskState {
  attempt: number;
  /** Attempts after the first are not written to history until they complete (as the real server). */
  transient: boolean;
  /**
   * Scheduled only to deliver updates: its events are written when it completes, and not at all
   * if the worker just rejects the updates (as the real server's speculative workflow task).
   */
  speculative: boolean;
  state: 'scheduled' | 'started';
  scheduledEventId: number;
  startedEventId: number;
  scheduledMs: number;
  startedMs: number;
  timeout?: TimerHandle;
  /** Distinguishes consecutive tasks, so a stale completion is refused. */
  seq: number;
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  input?: Payloads | null;
  header?: object | null;
  scheduleToCloseMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retryPolicy: Required<
    Pick<
      RetryPolicy,
      'initialInterval' | 'backoffCoefficient' | 'maximumInterval' | 'maximumAttempts' | 'nonRetryableErrorTypes'
    >
  >;
  attempt: number;
  state: 'scheduled' | 'started' | 'backoff';
  scheduledMs: number;
  attemptScheduledMs: number;
  startedMs: number;
  startedIdentity: string;
  heartbeatDetails?: Payloads | null;
  lastHeartbeatMs: number;
  lastFailure?: Failure | null;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  timers: { scheduleToClose?: TimerHandle; attempt?: TimerHandle; heartbeat?: TimerHandle; backoff?: TimerHandle };
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  parentClosePolicy: number;
}

export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

export interface HistoryWaiter {
  /** Called after events were appended or the run closed. */
  wake(): void;
}

export class Run {
  readonly events: HistoryEvent[] = [];
  status: number = WorkflowStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  closeMs = 0;
  /** Wall-clock close time: retention is judged on it, whatever the server's clock. */
  closedWallMs = 0;
  wft: WorkflowTaskState | null = null;
  /** Started event id of the last completed workflow task (the SDK's previousStartedEventId). */
  lastCompletedStartedEventId = 0;
  /** Events that arrived while a workflow task was running: appended after its completion. */
  buffered: BufferedEvent[] = [];
  readonly activities = new Map<number, ActivityState>();
  readonly timers = new Map<string, { startedEventId: number; handle?: TimerHandle }>();
  readonly children = new Map<number, ChildState>();
  readonly requestIds = new Set<string>();
  readonly waiters = new Set<HistoryWaiter>();
  /**
   * Updates admitted or accepted and not completed yet, in the order they were admitted (after
   * the run closed: the accepted ones it failed).
   */
  readonly updates = new Map<string, Update>();
  /** Outcomes of completed updates by update id (their UPDATE_COMPLETED events hold them too). */
  readonly updateOutcomes = new Map<string, UpdateOutcome>();
  searchAttributes: Record<string, Payload | null | undefined> = {};
  memo: Record<string, Payload | null | undefined> = {};
  runTimeout?: TimerHandle;
  newRunId = '';
  cancelRequested = false;
  wftSeq = 0;
  /** An estimate (payload bytes plus a fixed overhead per event) for the SDK's history size. */
  historyBytes = 0;

  constructor(
    readonly namespace: string,
    readonly workflowId: string,
    readonly runId: string,
    readonly firstRunId: string,
    readonly workflowType: string,
    readonly taskQueue: string,
    readonly startMs: number,
    readonly workflowTaskTimeoutMs: number,
    readonly parent: ParentRef | undefined,
    private readonly nextTaskId: () => number,
  ) {}

  get key(): string {
    return runKey(this.namespace, this.workflowId, this.runId);
  }

  get isOpen(): boolean {
    return this.status === WorkflowStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  get nextEventId(): number {
    return this.events.length + 1;
  }

  get startedEvent(): HistoryEvent {
    return this.events[0];
  }

  /** Builds an event with the next id without appending it (transient workflow task events). */
  makeEvent(type: number, attributes: EventAttributes, nowMs: number, eventId = this.nextEventId): HistoryEvent {
    return { eventId, eventTime: msToTimestamp(nowMs), eventType: type, taskId: this.nextTaskId(), ...attributes };
  }

  append(type: number, attributes: EventAttributes, nowMs: number): HistoryEvent {
    const event = this.makeEvent(type, attributes, nowMs);
    this.events.push(event);
    this.historyBytes += EVENT_OVERHEAD_BYTES + payloadBytes(attributes);
    return event;
  }

  wakeWaiters(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  /** True while the server owes this run work: a workflow task or an activity queued or running. */
  get isBusy(): boolean {
    if (!this.isOpen) return false;
    if (this.wft) return true;
    for (const a of this.activities.values()) if (a.state !== 'backoff') return true;
    return false;
  }
}

const EVENT_OVERHEAD_BYTES = 48;

/** Sums payload data sizes in an event's attributes (inputs, results, details). */
function payloadBytes(value: unknown, depth = 0): number {
  if (value == null || typeof value !== 'object' || depth > 6) return 0;
  if (value instanceof Uint8Array) return value.length;
  let total = 0;
  for (const v of Object.values(value)) total += payloadBytes(v, depth + 1);
  return total;
}

export function runKey(namespace: string, workflowId: string, runId: string): string {
  return `${namespace}\u0000${workflowId}\u0000${runId}`;
}

export function workflowKey(namespace: string, workflowId: string): string {
  return `${namespace}\u0000${workflowId}`;
}

export const CLOSE_EVENT_TYPES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);
