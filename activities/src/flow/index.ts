// The flow activities: everything the interpreter needs besides side effects.
import type { JourneyActivities } from '../contract.ts';
import { admitActivity, admitDatedActivity } from './admit.ts';
import { memberActivities } from './members.ts';
import { partitionActivities } from './partition.ts';
import { snapshotActivity } from './snapshot.ts';
import type { FlowDeps } from './types.ts';

export type FlowActivityName = 'snapshotAudience' | 'admitTriggered' | 'admitDated' | 'partitionBySegment' | 'partitionRandom' | 'exitMembers' | 'recordPosition' | 'journeyState' | 'finishRun';
export type FlowActivities = Pick<JourneyActivities, FlowActivityName>;

export function createFlowActivities(deps: FlowDeps): FlowActivities {
  return {
    snapshotAudience: snapshotActivity(deps),
    admitTriggered: admitActivity(deps),
    admitDated: admitDatedActivity(deps),
    ...partitionActivities(deps),
    ...memberActivities(deps),
  };
}

export type { FlowDeps };
