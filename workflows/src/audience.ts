// An audience run: snapshot the segment into run_members, then one child workflow per shard,
// each interpreting the plan for its members as a set; the result sums the shards' counts.
import { ParentClosePolicy, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { ChildWorkflowHandle, SignalDefinition } from '@temporalio/workflow';
import type { AudienceRunInput, AudienceRunResult, NodeCounts } from './api.ts';
import {
  DEFAULT_SHARD_SIZE,
  countsQuery,
  drainSignal,
  pauseSignal,
  resumeSignal,
  shardWorkflowId,
  stopSignal,
} from './api.ts';
import { withRunKind } from '@huitou/schemas';
import { acts } from './activities.ts';
import { finishRun } from './finish.ts';
import { shardRun } from './shard.ts';
import { addCounts, emptyState } from './state.ts';

export async function audienceRun(input: AudienceRunInput): Promise<AudienceRunResult> {
  const { plan } = input;
  // Recorded histories carry plans from before plans had their kind: withRunKind fills it.
  const { kind } = withRunKind(plan);
  const entry = plan.nodes[plan.entry];
  // (The entry's type narrows its params; an audience plan's entry is always entry.audience.)
  if (kind !== 'audience' || entry?.type !== 'entry.audience')
    throw new Error(`audienceRun needs an audience plan, got ${kind} (${plan.entryType})`);

  const control = { paused: false, draining: false, stopped: false };
  const children: ChildWorkflowHandle<typeof shardRun>[] = [];
  const finished: NodeCounts = {};
  // Controls reach every running shard; a shard that already ended just ignores the failure.
  const forward = async (signal: SignalDefinition) => {
    await Promise.all(children.map((child) => child.signal(signal).catch(() => undefined)));
  };
  setHandler(pauseSignal, async () => {
    control.paused = true;
    await forward(pauseSignal);
  });
  setHandler(resumeSignal, async () => {
    control.paused = false;
    await forward(resumeSignal);
  });
  setHandler(drainSignal, async () => {
    control.draining = true;
    await forward(drainSignal);
  });
  setHandler(stopSignal, async () => {
    control.stopped = true;
    await forward(stopSignal);
  });
  // Finished shards only; query shardWorkflowId(...) for the live counts of a running shard.
  setHandler(countsQuery, () => finished);

  const startedAt = Date.now();
  const snapshot = await acts.snapshotAudience({
    runId: input.runId,
    journeyId: input.journeyId,
    versionId: input.versionId,
    params: entry.params,
    holdoutPercent: plan.settings.holdoutPercent,
    shardSize: input.shardSize ?? DEFAULT_SHARD_SIZE,
    now: startedAt,
    timeZone: plan.settings.timeZone,
  });
  // While paused before the shards start, they start paused; stopped or drained: none start.
  if (control.stopped || control.draining) {
    await finishRun(input.runId);
    return { members: snapshot.members, holdout: snapshot.holdout, shards: 0, counts: finished };
  }

  const parentId = workflowInfo().workflowId;
  for (const { shard, treatment, holdout } of snapshot.sizes) {
    if (treatment + holdout === 0) continue;
    const state = control.paused ? { ...emptyState(), paused: true } : undefined;
    children.push(
      await startChild(shardRun, {
        workflowId: shardWorkflowId(parentId, shard),
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        args: [
          {
            runId: input.runId,
            shard,
            journeyId: input.journeyId,
            versionId: input.versionId,
            plan,
            cohort: snapshot.cohort,
            size: { treatment, holdout },
            enteredAt: startedAt,
            maxHistory: input.maxHistory,
            ...(state ? { state } : {}),
          },
        ],
      }),
    );
  }
  const results = await Promise.all(children.map((child) => child.result()));
  for (const r of results) addCounts(finished, r.counts);
  await finishRun(input.runId);
  return { members: snapshot.members, holdout: snapshot.holdout, shards: children.length, counts: finished };
}
