// The worker's activities: the flow activities (snapshot, admission, splits, exits, positions, ops
// state) and, given an SMS provider, the side-effect activities (sendSms, issueCoupon,
// createStaffTask, tagCustomers, callWebhook). evaluateCheckpoint joins when it lands.
import type pg from 'pg';
import { createFlowActivities } from './flow/index.ts';
import type { FlowActivities } from './flow/index.ts';
import { createSideEffectActivities } from './side-effects/index.ts';
import type { SideEffectActivities, SmsProvider } from './side-effects/index.ts';

export interface JourneyActivityDeps {
  pool: pg.Pool;
  /** Without a provider only the flow activities are created (tests stub the side effects). */
  provider?: SmsProvider;
}

export function createJourneyActivities(deps: JourneyActivityDeps): FlowActivities & Partial<SideEffectActivities> {
  const flow = createFlowActivities({ pool: deps.pool });
  return deps.provider ? { ...flow, ...createSideEffectActivities({ pool: deps.pool, provider: deps.provider }) } : flow;
}

export { createFlowActivities };
export type { FlowActivities };
export type * from './contract.ts';
