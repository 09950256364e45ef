// The API's side of the interpreter workflows: start an audience run, signal ops controls, read
// live counts. The workflow (by reference), signal and query names come from @huitou/workflows, the
// one definition.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Client, QueryDefinition } from '@temporalio/client';
import type { ExecutionPlan } from '@huitou/schemas';
import type { RunControl as ApiRunControl } from '@huitou/schemas/http';
import {
  audienceRun,
  countsQuery,
  drainSignal,
  pauseSignal,
  resumeSignal,
  shardWorkflowId,
  stopSignal,
  waitingQuery,
} from '@huitou/workflows';
import type { AudienceRunInput, NodeCounts, Waiting } from '@huitou/workflows';
import { addCounts } from '@huitou/workflows/state';

/** The ops controls, by action name: the API's routes, the run states they lead to, the signals. */
export const RUN_CONTROLS = {
  pause: { signal: pauseSignal, state: 'paused', from: ['running', 'draining'] },
  resume: { signal: resumeSignal, state: 'running', from: ['paused'] },
  drain: { signal: drainSignal, state: 'draining', from: ['running'] },
  stop: { signal: stopSignal, state: 'stopped', from: ['pending', 'scheduled', 'running', 'paused', 'draining'] },
} as const satisfies Record<ApiRunControl, unknown>;
export type RunControl = keyof typeof RUN_CONTROLS;
export const runControls = Object.keys(RUN_CONTROLS) as RunControl[];

export const runWorkflowId = (runId: string) => `run:${runId}`;

export async function startAudienceWorkflow(
  client: Client,
  taskQueue: string,
  input: { runId: string; journeyId: string; versionId: string; plan: ExecutionPlan },
): Promise<string> {
  const workflowId = runWorkflowId(input.runId);
  const args: [AudienceRunInput] = [
    { runId: input.runId, journeyId: input.journeyId, versionId: input.versionId, plan: input.plan },
  ];
  try {
    // The id is the run's and is never reused, even once the workflow has closed: a late second
    // start (a retried request, the pending-run sweep) must not run the campaign again.
    await client.workflow.start(audienceRun, {
      args,
      taskQueue,
      workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    // A second start (scheduler retry, sweep) finds the first one, which is what we want.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

/** Sends the control; false when the workflow no longer exists or has ended. */
export async function signalRun(client: Client, workflowId: string, control: RunControl): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(RUN_CONTROLS[control].signal);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

const within = <T>(ms: number, promise: Promise<T>): Promise<T | undefined> =>
  Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

/** The run's workflow and its shards' (audience runs), each a handle to query. */
const runHandles = (client: Client, workflowId: string, shardCount: number) => [
  client.workflow.getHandle(workflowId),
  ...Array.from({ length: Math.min(shardCount, 200) }, (_, shard) =>
    client.workflow.getHandle(shardWorkflowId(workflowId, shard)),
  ),
];

/** One query to the run's workflow and every shard; undefined for each that does not answer in time. */
const queryAll = <T>(
  client: Client,
  workflowId: string,
  shardCount: number,
  query: QueryDefinition<T>,
  timeoutMs: number,
): Promise<(T | undefined)[]> =>
  Promise.all(
    runHandles(client, workflowId, shardCount).map((h) =>
      within(
        timeoutMs,
        h.query(query).catch(() => undefined),
      ),
    ),
  );

/**
 * Where a running run's cohorts wait and until when, and when its evaluations are due: every
 * running shard's (an audience run's parent holds none and does not answer). Undefined when
 * nothing answers in time.
 */
export async function liveWaiting(
  client: Client,
  workflowId: string,
  shardCount: number,
  timeoutMs = 3000,
): Promise<Waiting | undefined> {
  const answers = await queryAll(client, workflowId, shardCount, waitingQuery, timeoutMs);
  const found = answers.filter((a) => a !== undefined);
  if (found.length === 0) return undefined;
  return { cohorts: found.flatMap((a) => a.cohorts), checkpointsDue: found.flatMap((a) => a.checkpointsDue) };
}

/**
 * Per-node counts of a running audience run: the parent's (finished shards) plus every running
 * shard's own. Undefined when the workflow is not running or does not answer in time.
 */
export async function liveCounts(
  client: Client,
  workflowId: string,
  shardCount: number,
  timeoutMs = 3000,
): Promise<NodeCounts | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await within(
    timeoutMs,
    handle.describe().catch(() => undefined),
  );
  if (description?.status.name !== 'RUNNING') return undefined;
  const answers = await queryAll(client, workflowId, shardCount, countsQuery, timeoutMs);
  const total: NodeCounts = {};
  for (const counts of answers) if (counts) addCounts(total, counts);
  return answers[0] === undefined ? undefined : total;
}
