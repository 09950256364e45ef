// Queries, the legacy way: a query task carries the full history and the query itself; it is only
// handed out while no workflow task is scheduled or running, so the worker sees a settled state.
// Works for running and closed workflows.
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine.js';
import { decodeToken, encodeToken } from './engine.js';
import { Code, RpcError, invalidArgument, notFound } from './errors.js';
import type { Loose, temporal } from './proto.js';
import { api, msToTimestamp } from './proto.js';
import type { Run } from './run.js';

const QUERY_TIMEOUT_MS = 30_000;

interface PendingQuery {
  id: string;
  run: Run;
  query: temporal.api.query.v1.IWorkflowQuery;
  dispatched: boolean;
  resolve(response: Loose<temporal.api.workflowservice.v1.IQueryWorkflowResponse>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class Queries {
  private readonly pending = new Map<string, PendingQuery>();

  constructor(private readonly engine: Engine) {}

  pendingCount(): number {
    return this.pending.size;
  }

  query(
    run: Run,
    query: temporal.api.query.v1.IWorkflowQuery,
    rejectCondition: number,
  ): Promise<Loose<temporal.api.workflowservice.v1.IQueryWorkflowResponse>> {
    const Reject = api.enums.v1.QueryRejectCondition;
    const rejected =
      (rejectCondition === Reject.QUERY_REJECT_CONDITION_NOT_OPEN && !run.isOpen) ||
      (rejectCondition === Reject.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY &&
        !run.isOpen &&
        run.status !== api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    if (rejected) return Promise.resolve({ queryRejected: { status: run.status } });
    return new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.engine.changed();
        reject(new RpcError(Code.DEADLINE_EXCEEDED, 'query timed out: no worker answered'));
      }, QUERY_TIMEOUT_MS);
      this.pending.set(id, { id, run, query, dispatched: false, resolve, reject, timer });
      this.dispatchPending(run);
      this.engine.changed();
    });
  }

  /** Hands waiting queries of this run to its task queue, once no workflow task is in the way. */
  dispatchPending(run: Run): void {
    if (run.wft) return;
    for (const q of this.pending.values()) {
      if (q.run !== run || q.dispatched) continue;
      q.dispatched = true;
      this.engine.workflowQueue(run.namespace, run.taskQueue).push({ kind: 'query', queryId: q.id });
    }
  }

  /** A queued query task is stale once a workflow task got in first: it is re-queued after that. */
  isDispatchable(queryId: string): boolean {
    const q = this.pending.get(queryId);
    if (!q) return false;
    if (q.run.wft) {
      q.dispatched = false;
      return false;
    }
    return true;
  }

  taskFor(queryId: string): Loose<temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse> {
    const q = this.pending.get(queryId)!;
    const { run } = q;
    const now = this.engine.now();
    return {
      taskToken: encodeToken({ k: 'query', id: q.id }),
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      workflowType: { name: run.workflowType },
      previousStartedEventId: run.lastCompletedStartedEventId,
      startedEventId: run.lastCompletedStartedEventId,
      attempt: 1,
      history: { events: run.events },
      query: q.query,
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: msToTimestamp(now),
      startedTime: msToTimestamp(now),
    };
  }

  respond(req: temporal.api.workflowservice.v1.IRespondQueryTaskCompletedRequest): void {
    const t = decodeToken(req.taskToken);
    if (t.k !== 'query') throw invalidArgument('task token is not a query task token');
    const q = this.pending.get(t.id);
    if (!q) throw notFound('query not found (it timed out or was answered)');
    this.pending.delete(t.id);
    clearTimeout(q.timer);
    if (req.completedType === api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
      q.resolve({ queryResult: req.queryResult });
    } else {
      q.reject(new RpcError(Code.INVALID_ARGUMENT, req.errorMessage || req.failure?.message || 'query failed'));
    }
    this.engine.changed();
  }

  /** The worker that took a query task went away: hand it out again. */
  requeue(queryId: string): void {
    const q = this.pending.get(queryId);
    if (!q) return;
    q.dispatched = false;
    this.dispatchPending(q.run);
  }

  close(): void {
    for (const q of this.pending.values()) {
      clearTimeout(q.timer);
      q.reject(new RpcError(Code.UNAVAILABLE, 'server shutting down'));
    }
    this.pending.clear();
  }
}
