// The flow activities: everything the interpreter needs besides side effects.
import { admitActivity, admitDatedActivity } from './admit.ts';
import { cohortActivities } from './cohort.ts';
import { memberActivities } from './members.ts';
import { partitionActivities } from './partition.ts';
import { snapshotActivity } from './snapshot.ts';
import type { FlowDeps } from './types.ts';

/**
 * A run's bookkeeping in Postgres: admitting, mirroring positions and exits, recording the end.
 * Quick, idempotent and Postgres-only, so triggered runs call them as local activities.
 */
export function createBookkeepingActivities(deps: FlowDeps) {
  const members = memberActivities(deps);
  return {
    admitTriggered: admitActivity(deps),
    admitDated: admitDatedActivity(deps),
    ...cohortActivities(deps),
    recordPosition: members.recordPosition,
    exitMembers: members.exitMembers,
    finishRun: members.finishRun,
  };
}

export function createFlowActivities(deps: FlowDeps) {
  return {
    snapshotAudience: snapshotActivity(deps),
    ...partitionActivities(deps),
    journeyState: memberActivities(deps).journeyState,
    ...createBookkeepingActivities(deps),
  };
}

export type FlowActivities = ReturnType<typeof createFlowActivities>;
export type BookkeepingActivities = ReturnType<typeof createBookkeepingActivities>;
export type { FlowDeps };
