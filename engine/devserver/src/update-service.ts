// The update RPCs: UpdateWorkflowExecution, PollWorkflowExecutionUpdate and update-with-start
// (ExecuteMultiOperation). Like the real frontend, each waits until the update reaches the stage
// asked for, or answers with the stage reached after the long-poll period (the SDK then asks again).
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine.js';
import {
  ABORTED_OPERATION,
  Code,
  RpcError,
  invalidArgument,
  multiOperationFailure,
  notFound,
  required,
  workflowNotFound,
} from './errors.js';
import type { Loose, temporal } from './proto.js';
import { api, durationToMs } from './proto.js';
import type { Run } from './run.js';
import { workflowKey } from './run.js';
import type { Update, UpdateOutcome, UpdateRequest } from './updates.js';
import type { CallContext } from './workflow-service.js';

const Stage = api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
type ws = typeof temporal.api.workflowservice.v1;
type Req<K extends keyof ws> = ws[K] extends { create(p?: infer P): unknown } ? NonNullable<P> : never;
type UpdateResponse = Loose<temporal.api.workflowservice.v1.IUpdateWorkflowExecutionResponse>;
type StageReached = { stage: number; outcome?: UpdateOutcome };

export class UpdateHandlers {
  constructor(
    private readonly engine: Engine,
    private readonly longPollMs: number,
  ) {}

  async UpdateWorkflowExecution(req: Req<'UpdateWorkflowExecutionRequest'>, ctx: CallContext): Promise<UpdateResponse> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const { request, waitStage } = checkUpdate(req);
    const run = this.engine.findRun(namespace, req.workflowExecution);
    if (req.firstExecutionRunId && run.firstRunId !== req.firstExecutionRunId)
      throw workflowNotFound(run.workflowId, req.workflowExecution?.runId);
    const update = this.engine.updates.admit(run, request);
    return answer(update, await this.waitFor(update, waitStage, ctx));
  }

  async PollWorkflowExecutionUpdate(
    req: Req<'PollWorkflowExecutionUpdateRequest'>,
    ctx: CallContext,
  ): Promise<Loose<temporal.api.workflowservice.v1.IPollWorkflowExecutionUpdateResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const ref = required(req.updateRef, 'UpdateRef');
    const run = this.engine.findRun(namespace, ref.workflowExecution);
    // A rejected update is not kept anywhere: it is not found, as on the real server.
    const update = this.engine.updates.find(run, ref.updateId ?? '');
    if (!update) throw notFound(`update "${ref.updateId ?? ''}" not found`);
    return answer(
      update,
      await this.waitFor(
        update,
        req.waitPolicy?.lifecycleStage ?? Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED,
        ctx,
      ),
    );
  }

  /**
   * Update-with-start: the update goes to the running workflow when the conflict policy is
   * USE_EXISTING (or the call is a retry), otherwise to a new run before its first workflow task.
   */
  async ExecuteMultiOperation(
    req: Req<'ExecuteMultiOperationRequest'>,
    ctx: CallContext,
  ): Promise<Loose<temporal.api.workflowservice.v1.IExecuteMultiOperationResponse>> {
    const namespace = this.engine.checkNamespace(req.namespace);
    const operations = req.operations ?? [];
    const start = operations[0]?.startWorkflow;
    const updateReq = operations[1]?.updateWorkflow;
    if (operations.length !== 2 || !start || !updateReq)
      throw invalidArgument('Operations have to be exactly [Start, Update].');
    let checked: ReturnType<typeof checkUpdate> | undefined;
    const startError = failureOf(() => checkStart(start, namespace));
    const updateError = failureOf(() => {
      checked = checkUpdateOfStart(updateReq, start, namespace);
    });
    if (startError || updateError)
      throw multiOperationFailure([startError ?? ABORTED_OPERATION, updateError ?? ABORTED_OPERATION]);
    const { request, waitStage } = checked!;
    const updateId = request.meta!.updateId!;

    const existing = this.engine.store.latestRun(workflowKey(namespace, start.workflowId!));
    if (existing) {
      const outcome = existing.updateOutcomes.get(updateId);
      if (outcome)
        return both(
          existing,
          false,
          answerFor(existing, updateId, { stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome }),
        );
      const useExisting =
        existing.requestIds.has(start.requestId ?? '') ||
        this.engine.updates.find(existing, updateId) !== undefined ||
        start.workflowIdConflictPolicy ===
          api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING;
      if (existing.isOpen && useExisting) {
        const reached = await asOperation(ABORTED_OPERATION, async () => {
          const update = this.engine.updates.admit(existing, request);
          return answer(update, await this.waitFor(update, waitStage, ctx));
        });
        return both(existing, false, reached);
      }
    }

    let update: Update | undefined;
    const { run, started } = await asOperation('start', () =>
      this.engine.startWorkflow({
        ...start,
        namespace,
        workflowId: start.workflowId!,
        workflowType: start.workflowType?.name ?? '',
        taskQueue: start.taskQueue?.name ?? '',
        firstWorkflowTaskBackoffMs: 0,
        // Admitted before the first task is scheduled, so that task carries the update.
        beforeFirstTask: (newRun) => {
          update = this.engine.updates.admit(newRun, request, false);
        },
      }),
    );
    const reached = await asOperation(null, async () => {
      const admitted = update ?? this.engine.updates.admit(run, request);
      return answer(admitted, await this.waitFor(admitted, waitStage, ctx));
    });
    return both(run, started, reached);
  }

  /** Waits until the update reaches `waitStage`; after the long-poll period, answers with the stage reached. */
  private waitFor(update: Update, waitStage: number, ctx: CallContext): Promise<StageReached> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        unlisten();
      };
      const settle = () => {
        const reached = stageReached(update, waitStage);
        if (!reached) return;
        done();
        if (reached instanceof RpcError) reject(reached);
        else resolve(reached);
      };
      const giveUp = () => {
        done();
        resolve({ stage: currentStage(update) });
      };
      const unlisten = update.onChange(settle);
      const timer = setTimeout(giveUp, this.longPollMs);
      ctx.onCancel(giveUp);
      settle();
    });
  }
}

/** The stage answer for `waitStage`, the update's error, or undefined while it must wait. */
function stageReached(update: Update, waitStage: number): StageReached | RpcError | undefined {
  if (update.error) return update.error;
  if (update.outcome)
    return { stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome: update.outcome };
  const stage = currentStage(update);
  if (waitStage === Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED) return undefined;
  if (waitStage === Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED && stage !== waitStage) return undefined;
  return { stage };
}

function currentStage(update: Update): number {
  return update.state === 'accepted'
    ? Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED
    : Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED;
}

function answer(update: Update, reached: StageReached): UpdateResponse {
  return answerFor(update.run, update.id, reached);
}

function answerFor(run: Run, updateId: string, { stage, outcome }: StageReached): UpdateResponse {
  return {
    updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId },
    outcome,
    stage,
  };
}

function both(
  run: Run,
  started: boolean,
  update: UpdateResponse,
): Loose<temporal.api.workflowservice.v1.IExecuteMultiOperationResponse> {
  return {
    responses: [{ startWorkflow: { runId: run.runId, started, status: run.status } }, { updateWorkflow: update }],
  };
}

/** The frontend's checks of an update request; a missing update id gets one. */
function checkUpdate(req: Req<'UpdateWorkflowExecutionRequest'>): { request: UpdateRequest; waitStage: number } {
  required(req.workflowExecution?.workflowId, 'WorkflowId');
  const request = req.request;
  if (!request?.meta) throw invalidArgument('Update meta is not set on request.');
  if (!request.input) throw invalidArgument('Update input is not set on request.');
  if (!request.input.name) throw invalidArgument('Update name is not set on request.');
  if (!request.meta.updateId) request.meta.updateId = randomUUID();
  const waitStage = req.waitPolicy?.lifecycleStage || Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
  if (waitStage === Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED) {
    throw new RpcError(
      Code.PERMISSION_DENIED,
      'UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.',
    );
  }
  return { request, waitStage };
}

function checkStart(start: temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest, namespace: string): void {
  if (start.namespace && start.namespace !== namespace)
    throw invalidArgument("Operation namespace did not match request's namespace.");
  required(start.workflowId, 'WorkflowId');
  required(start.workflowType?.name, 'WorkflowType');
  required(start.taskQueue?.name, 'TaskQueue');
  if (start.cronSchedule) throw invalidArgument('CronSchedule is not allowed.');
  if (start.requestEagerExecution) throw invalidArgument('RequestEagerExecution is not supported.');
  if (durationToMs(start.workflowStartDelay) > 0) throw invalidArgument('WorkflowStartDelay is not supported.');
}

function checkUpdateOfStart(
  req: Req<'UpdateWorkflowExecutionRequest'>,
  start: temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest,
  namespace: string,
): ReturnType<typeof checkUpdate> {
  if (req.namespace && req.namespace !== namespace)
    throw invalidArgument("Operation namespace did not match request's namespace.");
  const checked = checkUpdate(req);
  if (req.firstExecutionRunId) throw invalidArgument('FirstExecutionRunId is not allowed.');
  if (req.workflowExecution?.runId) throw invalidArgument('RunId is not allowed.');
  if (start.workflowId && req.workflowExecution?.workflowId !== start.workflowId)
    throw invalidArgument('WorkflowId is not consistent with previous operation(s).');
  return checked;
}

function failureOf(check: () => void): RpcError | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
}

/**
 * Runs one operation of update-with-start; its error becomes the multi-operation error, with the
 * start's status given: aborted, OK (null, it succeeded), or 'start' for the failing one itself.
 */
async function asOperation<T>(
  startStatus: typeof ABORTED_OPERATION | null | 'start',
  operation: () => T | Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    throw multiOperationFailure(startStatus === 'start' ? [err, ABORTED_OPERATION] : [startStatus, err]);
  }
}
