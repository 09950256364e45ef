// One shard of an audience run: its members start together in one cohort at the entry node.
import { continueAsNew } from '@temporalio/workflow';
import type { NodeCounts, ShardRunInput } from './api.ts';
import { DEFAULT_MAX_HISTORY } from './api.ts';
import { installControls } from './controls.ts';
import { Interpreter } from './interpreter.ts';
import { emptyState } from './state.ts';

export async function shardRun(input: ShardRunInput): Promise<{ counts: NodeCounts }> {
  const fresh =
    input.state === undefined || (input.state.cohorts.length === 0 && Object.keys(input.state.counts).length === 0);
  const state = input.state ?? emptyState();
  const rt = new Interpreter(
    {
      runId: input.runId,
      shard: input.shard,
      journeyId: input.journeyId,
      versionId: input.versionId,
      plan: input.plan,
      maxHistory: input.maxHistory ?? DEFAULT_MAX_HISTORY,
    },
    state,
  );
  installControls(rt);
  if (fresh) {
    rt.place({
      id: input.cohort,
      node: input.plan.entry,
      viaLoopBack: false,
      cycles: [],
      enteredAt: input.enteredAt,
      anchors: {},
      size: input.size,
    });
  }
  if ((await rt.runUntilDone()) === 'continue') await continueAsNew<typeof shardRun>({ ...input, state });
  return { counts: rt.counts() };
}
