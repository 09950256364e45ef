// The WorkflowService handlers: request validation and translation to Engine calls. Long polls
// (task queues, history) are parked until work arrives, the call is cancelled, or LONG_POLL_MS.
import type * as grpc from '@grpc/grpc-js';
import type { Engine, WorkflowTask } from './engine.js';
import { Code, RpcError, invalidArgument, required } from './errors.js';
import type { ActivityTask } from './activities.js';
import type { Loose, temporal } from './proto.js';
import { api, msToDuration, msToTimestamp } from './proto.js';
import type { Poller } from './task-queue.js';
import type { HistoryWaiter, Run } from './run.js';
import { CLOSE_EVENT_TYPES } from './run.js';
import { UpdateHandlers } from './update-service.js';
import { filterRuns } from './visibility.js';

type ws = typeof temporal.api.workflowservice.v1;
type Req<K extends keyof ws> = ws[K] extends { create(p?: infer P): unknown } ? NonNullable<P> : never;

export const LONG_POLL_MS = 20_000;
const DEFAULT_HISTORY_PAGE = 1000;
const Filter = api.enums.v1.HistoryEventFilterType;

export interface CallContext {
  /** Registers a callback for the client giving up on the call. */
  onCancel(cb: () => void): void;
}

export class WorkflowServiceHandlers {
  /** Parked pollers by worker identity, so ShutdownWorker can release them at once. */
  private readonly pollersByIdentity = new Map<string, Set<() => void>>();
  private readonly updates: UpdateHandlers;

  constructor(private readonly engine: Engine) {
    this.updates = new UpdateHandlers(engine, LONG_POLL_MS);
  }

  GetSystemInfo(): Loose<temporal.api.workflowservice.v1.IGetSystemInfoResponse> {
    return {
      serverVersion: '1.24.0-huitou-dev',
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        encodedFailureAttributes: true,
        upsertMemo: true,
        sdkMetadata: true,
        countGroupByExecutionStatus: true,
      },
    };
  }

  DescribeNamespace(
    req: Req<'DescribeNamespaceRequest'>,
  ): Loose<temporal.api.workflowservice.v1.IDescribeNamespaceResponse> {
    const ns = this.engine.checkNamespace(req.namespace);
    return namespaceDescription(ns);
  }

  ListNamespaces(): Loose<temporal.api.workflowservice.v1.IListNamespacesResponse> {
    return { namespaces: this.engine.store.listNamespaces().map(namespaceDescription) };
  }

  RegisterNamespace(req: Req<'RegisterNamespaceRequest'>): object {
    const ns = required(req.namespace, 'Namespace');
    if (this.engine.store.hasNamespace(ns)) throw new RpcError(Code.ALREADY_EXISTS, `namespace ${ns} already exists`);
    this.engine.store.addNamespace(ns);
    return {};
  }

  GetClusterInfo(): object {
    return {
      serverVersion: '1.24.0-huitou-dev',
      clusterName: 'huitou-dev',
      historyShardCount: 1,
      persistenceStore: 'memory',
      visibilityStore: 'memory',
    };
  }

  StartWorkflowExecution(
    req: Req<'StartWorkflowExecutionRequest'>,
  ): Loose<temporal.api.workflowservice.v1.IStartWorkflowExecutionResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const { run, started } = this.engine.startWorkflow({
      ...req,
      namespace,
      workflowId: req.workflowId ?? '',
      workflowType: req.workflowType?.name ?? '',
      taskQueue: req.taskQueue?.name ?? '',
      firstWorkflowTaskBackoffMs: 0,
    });
    return { runId: run.runId, started, status: run.status };
  }

  SignalWithStartWorkflowExecution(
    req: Req<'SignalWithStartWorkflowExecutionRequest'>,
  ): Loose<temporal.api.workflowservice.v1.ISignalWithStartWorkflowExecutionResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const signalName = required(req.signalName, 'SignalName');
    const workflowId = required(req.workflowId, 'WorkflowId');
    const existing = this.engine.store.latestRun(`${namespace}\u0000${workflowId}`);
    if (existing?.isOpen) {
      this.engine.signal(existing, signalName, req.signalInput, req.identity ?? '', req.header, req.requestId);
      return { runId: existing.runId, started: false };
    }
    const { run } = this.engine.startWorkflow({
      ...req,
      namespace,
      workflowId,
      workflowType: req.workflowType?.name ?? '',
      taskQueue: req.taskQueue?.name ?? '',
      signal: { name: signalName, input: req.signalInput, identity: req.identity, header: req.header },
    });
    return { runId: run.runId, started: true };
  }

  SignalWorkflowExecution(req: Req<'SignalWorkflowExecutionRequest'>): object {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findOpenRun(namespace, req.workflowExecution);
    this.engine.signal(
      run,
      required(req.signalName, 'SignalName'),
      req.input,
      req.identity ?? '',
      req.header,
      req.requestId,
    );
    return {};
  }

  RequestCancelWorkflowExecution(req: Req<'RequestCancelWorkflowExecutionRequest'>): object {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findOpenRun(namespace, req.workflowExecution);
    this.engine.requestCancel(run, req.identity ?? '', req.requestId, req.reason ?? '');
    return {};
  }

  TerminateWorkflowExecution(req: Req<'TerminateWorkflowExecutionRequest'>): object {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findOpenRun(namespace, req.workflowExecution);
    this.engine.terminate(run, req.reason ?? '', req.details, req.identity ?? '');
    return {};
  }

  DescribeWorkflowExecution(
    req: Req<'DescribeWorkflowExecutionRequest'>,
  ): Loose<temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findRun(namespace, req.execution);
    const started = run.startedEvent.workflowExecutionStartedEventAttributes!;
    return {
      executionConfig: {
        taskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        workflowExecutionTimeout: started.workflowExecutionTimeout,
        workflowRunTimeout: started.workflowRunTimeout,
        defaultWorkflowTaskTimeout: msToDuration(run.workflowTaskTimeoutMs),
      },
      workflowExecutionInfo: executionInfo(run),
      pendingActivities: this.engine.activities.describe(run),
      pendingChildren: [...run.children.values()].map((c) => ({
        workflowId: c.workflowId,
        runId: c.runId,
        workflowTypeName: c.workflowType,
        initiatedId: c.initiatedEventId,
        parentClosePolicy: c.parentClosePolicy,
      })),
      pendingWorkflowTask: pendingWorkflowTask(run),
    };
  }

  async GetWorkflowExecutionHistory(
    req: Req<'GetWorkflowExecutionHistoryRequest'>,
    ctx: CallContext,
  ): Promise<Loose<temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findRun(namespace, req.execution);
    const closeOnly = req.historyEventFilterType === Filter.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
    const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : DEFAULT_HISTORY_PAGE;
    const from =
      req.nextPageToken && req.nextPageToken.length > 0 ? Number(Buffer.from(req.nextPageToken).toString('utf8')) : 0;
    if (!Number.isInteger(from) || from < 0) throw invalidArgument('malformed next page token');
    const answer = (): Loose<temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse> | undefined => {
      if (closeOnly) {
        if (run.isOpen) return undefined;
        const last = run.events[run.events.length - 1];
        return { history: { events: CLOSE_EVENT_TYPES.has(last.eventType as number) ? [last] : [] } };
      }
      if (from >= run.events.length && run.isOpen) return undefined;
      const events = run.events.slice(from, from + pageSize);
      const next = from + events.length;
      const more = next < run.events.length || (req.waitNewEvent && run.isOpen);
      return { history: { events }, nextPageToken: more ? Buffer.from(String(next)) : null };
    };
    const now = answer();
    if (now || !req.waitNewEvent) return now ?? { history: { events: [] }, nextPageToken: Buffer.from(String(from)) };
    // Time stays locked while a client waits here, as on Temporal's test server: the SDK's test
    // client lifts the lock itself (TestService) around result().
    return new Promise((resolve) => {
      let done = false;
      const finish = (response: Loose<temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        run.waiters.delete(waiter);
        resolve(response);
      };
      const waiter: HistoryWaiter = {
        wake: () => {
          const r = answer();
          if (r) finish(r);
        },
      };
      const timer = setTimeout(
        () => finish({ history: { events: [] }, nextPageToken: req.nextPageToken?.length ? req.nextPageToken : null }),
        LONG_POLL_MS,
      );
      run.waiters.add(waiter);
      ctx.onCancel(() => finish({}));
    });
  }

  PollWorkflowTaskQueue(
    req: Req<'PollWorkflowTaskQueueRequest'>,
    ctx: CallContext,
  ): Promise<Loose<temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const identity = req.identity ?? '';
    // Stickiness is not used: every task carries the full history, so a worker's sticky pollers
    // simply serve its normal queue (otherwise most of its pollers would sit idle).
    const sticky = req.taskQueue?.kind === api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY;
    const name = sticky ? req.taskQueue?.normalName : req.taskQueue?.name;
    if (sticky && !name) return this.park(identity, ctx);
    const queue = this.engine.workflowQueue(namespace, required(name, 'TaskQueue'));
    return this.longPoll<WorkflowTask, Loose<temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse>>(
      identity,
      ctx,
      (poller) => queue.poll(poller, (t) => this.engine.isWorkflowTaskValid(t)),
      (poller) => queue.removePoller(poller),
      (task) => {
        if (!this.engine.isWorkflowTaskValid(task)) return undefined;
        if (task.kind === 'query') return this.engine.queries.taskFor(task.queryId);
        return this.engine.startWorkflowTask(task.run, identity, '');
      },
      (task) => queue.push(task),
    );
  }

  PollActivityTaskQueue(
    req: Req<'PollActivityTaskQueueRequest'>,
    ctx: CallContext,
  ): Promise<Loose<temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const name = required(req.taskQueue?.name, 'TaskQueue');
    const identity = req.identity ?? '';
    const queue = this.engine.activities.queue(namespace, name);
    return this.longPoll<ActivityTask, Loose<temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse>>(
      identity,
      ctx,
      (poller) => queue.poll(poller, (t) => this.engine.activities.isValid(t)),
      (poller) => queue.removePoller(poller),
      (task) => (this.engine.activities.isValid(task) ? this.engine.activities.start(task, identity) : undefined),
      (task) => queue.push(task),
    );
  }

  /**
   * Parks a poller until a task arrives. `take` turns a task into the response (undefined if the
   * task went stale, and the poller keeps waiting); a task delivered to a cancelled call is re-queued.
   */
  private longPoll<T, R extends object>(
    identity: string,
    ctx: CallContext,
    register: (p: Poller<T>) => void,
    unregister: (p: Poller<T>) => void,
    take: (task: T) => R | undefined,
    requeue: (task: T) => void,
  ): Promise<R> {
    return new Promise<R>((resolve) => {
      let alive = true;
      const release = () => {
        if (!alive) return;
        alive = false;
        clearTimeout(timer);
        unregister(poller);
        this.pollersByIdentity.get(identity)?.delete(release);
        resolve({} as R);
      };
      const poller: Poller<T> = {
        isAlive: () => alive,
        deliver: (task) => {
          if (!alive) return requeue(task);
          const response = take(task);
          if (!response) return register(poller);
          alive = false;
          clearTimeout(timer);
          this.pollersByIdentity.get(identity)?.delete(release);
          resolve(response);
        },
      };
      const timer = setTimeout(release, LONG_POLL_MS);
      this.track(identity, release);
      ctx.onCancel(release);
      register(poller);
    });
  }

  /** A poll that never gets a task: answered empty after the long-poll period or on shutdown. */
  private park(identity: string, ctx: CallContext): Promise<object> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.pollersByIdentity.get(identity)?.delete(release);
        resolve({});
      };
      const timer = setTimeout(release, LONG_POLL_MS);
      this.track(identity, release);
      ctx.onCancel(release);
    });
  }

  private track(identity: string, release: () => void): void {
    let set = this.pollersByIdentity.get(identity);
    if (!set) this.pollersByIdentity.set(identity, (set = new Set()));
    set.add(release);
  }

  /** Answers a worker's parked polls at once so its shutdown does not wait for the long-poll timeout. */
  ShutdownWorker(req: Req<'ShutdownWorkerRequest'>): object {
    const set = this.pollersByIdentity.get(req.identity ?? '');
    if (set) for (const release of [...set]) release();
    return {};
  }

  releaseAllPollers(): void {
    for (const set of this.pollersByIdentity.values()) for (const release of [...set]) release();
  }

  RespondWorkflowTaskCompleted(
    req: Req<'RespondWorkflowTaskCompletedRequest'>,
  ): Loose<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse> {
    return this.engine.completeWorkflowTask(req);
  }

  RespondWorkflowTaskFailed(req: Req<'RespondWorkflowTaskFailedRequest'>): object {
    this.engine.failWorkflowTask(req);
    return {};
  }

  RespondQueryTaskCompleted(req: Req<'RespondQueryTaskCompletedRequest'>): object {
    this.engine.queries.respond(req);
    return {};
  }

  async QueryWorkflow(
    req: Req<'QueryWorkflowRequest'>,
  ): Promise<Loose<temporal.api.workflowservice.v1.IQueryWorkflowResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const run = this.engine.findRun(namespace, req.execution);
    required(req.query?.queryType, 'QueryType');
    return this.engine.queries.query(run, req.query!, req.queryRejectCondition ?? 0);
  }

  UpdateWorkflowExecution(
    req: Req<'UpdateWorkflowExecutionRequest'>,
    ctx: CallContext,
  ): ReturnType<UpdateHandlers['UpdateWorkflowExecution']> {
    return this.updates.UpdateWorkflowExecution(req, ctx);
  }

  PollWorkflowExecutionUpdate(
    req: Req<'PollWorkflowExecutionUpdateRequest'>,
    ctx: CallContext,
  ): ReturnType<UpdateHandlers['PollWorkflowExecutionUpdate']> {
    return this.updates.PollWorkflowExecutionUpdate(req, ctx);
  }

  ExecuteMultiOperation(
    req: Req<'ExecuteMultiOperationRequest'>,
    ctx: CallContext,
  ): ReturnType<UpdateHandlers['ExecuteMultiOperation']> {
    return this.updates.ExecuteMultiOperation(req, ctx);
  }

  RecordActivityTaskHeartbeat(req: Req<'RecordActivityTaskHeartbeatRequest'>): object {
    return this.engine.activities.heartbeat(req.taskToken, req.details);
  }

  RespondActivityTaskCompleted(req: Req<'RespondActivityTaskCompletedRequest'>): object {
    this.engine.activities.completed(req.taskToken, req.result, req.identity ?? '');
    return {};
  }

  RespondActivityTaskFailed(req: Req<'RespondActivityTaskFailedRequest'>): object {
    this.engine.activities.failed(req.taskToken, req.failure, req.lastHeartbeatDetails, req.identity ?? '');
    return {};
  }

  RespondActivityTaskCanceled(req: Req<'RespondActivityTaskCanceledRequest'>): object {
    this.engine.activities.canceled(req.taskToken, req.details, req.identity ?? '');
    return {};
  }

  ListWorkflowExecutions(
    req: Req<'ListWorkflowExecutionsRequest'>,
  ): Loose<temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const runs = filterRuns(this.engine.store.allRuns(), namespace, req.query ?? '');
    runs.sort((a, b) => b.startMs - a.startMs);
    const offset =
      req.nextPageToken && req.nextPageToken.length > 0 ? Number(Buffer.from(req.nextPageToken).toString('utf8')) : 0;
    const pageSize = req.pageSize && req.pageSize > 0 ? req.pageSize : 1000;
    const page = runs.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return {
      executions: page.map(executionInfo),
      nextPageToken: next < runs.length ? Buffer.from(String(next)) : null,
    };
  }

  CountWorkflowExecutions(
    req: Req<'CountWorkflowExecutionsRequest'>,
  ): Loose<temporal.api.workflowservice.v1.ICountWorkflowExecutionsResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const runs = filterRuns(this.engine.store.allRuns(), namespace, req.query ?? '');
    return { count: runs.length };
  }

  GetSearchAttributes(): object {
    return { keys: {} };
  }
}

export function executionInfo(run: Run): Loose<temporal.api.workflow.v1.IWorkflowExecutionInfo> {
  const parent = run.parent;
  return {
    execution: { workflowId: run.workflowId, runId: run.runId },
    type: { name: run.workflowType },
    startTime: msToTimestamp(run.startMs),
    closeTime: run.isOpen ? null : msToTimestamp(run.closeMs),
    executionTime: msToTimestamp(run.startMs),
    status: run.status,
    historyLength: run.events.length,
    memo: { fields: run.memo },
    searchAttributes: { indexedFields: run.searchAttributes },
    taskQueue: run.taskQueue,
    parentExecution: parent ? { workflowId: parent.workflowId, runId: parent.runId } : null,
    firstRunId: run.firstRunId,
  };
}

/** The workflow task in flight, as DescribeWorkflowExecution reports it (its attempt shows a failing task). */
function pendingWorkflowTask(run: Run): Loose<temporal.api.workflow.v1.IPendingWorkflowTaskInfo> | null {
  const wft = run.wft;
  if (!wft) return null;
  const started = wft.state === 'started';
  const State = api.enums.v1.PendingWorkflowTaskState;
  return {
    state: started ? State.PENDING_WORKFLOW_TASK_STATE_STARTED : State.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
    scheduledTime: msToTimestamp(wft.scheduledMs),
    originalScheduledTime: msToTimestamp(wft.scheduledMs),
    startedTime: started ? msToTimestamp(wft.startedMs) : null,
    attempt: wft.attempt,
  };
}

function namespaceDescription(name: string): Loose<temporal.api.workflowservice.v1.IDescribeNamespaceResponse> {
  return {
    namespaceInfo: {
      name,
      state: api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED,
      id: name,
      description: 'embedded dev server namespace',
    },
    config: { workflowExecutionRetentionTtl: msToDuration(24 * 3600 * 1000) },
    isGlobalNamespace: false,
  };
}

export type UnaryHandler = (req: unknown, ctx: CallContext) => unknown;

export function wrapGrpc(
  handler: UnaryHandler,
  onError: (err: unknown) => void,
): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    let cancelled = false;
    const cancelCallbacks: (() => void)[] = [];
    call.on('cancelled', () => {
      cancelled = true;
      for (const cb of cancelCallbacks) cb();
    });
    const ctx: CallContext = { onCancel: (cb) => (cancelled ? cb() : cancelCallbacks.push(cb)) };
    Promise.resolve()
      .then(() => handler(call.request, ctx))
      .then(
        (response) => callback(null, response as object),
        (err: unknown) => {
          if (err instanceof RpcError) {
            callback({ code: err.code, details: err.message, metadata: err.metadata() });
          } else {
            onError(err);
            callback({ code: Code.INTERNAL, details: err instanceof Error ? err.message : String(err) });
          }
        },
      );
  };
}
