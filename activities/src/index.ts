// The worker's activities: the flow activities (snapshot, admission, splits, exits, positions, ops
// state). The side-effect activities (sendSms, issueCoupon, createStaffTask, tagCustomers,
// callWebhook, evaluateCheckpoint) join here through createSideEffectActivities when they land.
import type pg from 'pg';
import { createFlowActivities } from './flow/index.ts';
import type { FlowActivities } from './flow/index.ts';

export interface JourneyActivityDeps {
  pool: pg.Pool;
  /** The SMS provider for the side-effect activities (not used by the flow activities). */
  provider?: unknown;
}

export function createJourneyActivities(deps: JourneyActivityDeps): FlowActivities {
  return { ...createFlowActivities({ pool: deps.pool }) };
}

export { createFlowActivities };
export type { FlowActivities };
export type * from './contract.ts';
