// The worker's activities, always the full set the interpreter proxies: the flow activities
// (snapshot, admission, splits, exits, positions, ops state), the side-effect activities (sendSms,
// issueCoupon, createStaffTask, tagCustomers, callWebhook) through an SMS provider (the local sink
// unless one is given), evaluateCheckpoint, and the custom activities shipped with Huitou.
import type pg from 'pg';
import type { JourneyActivities } from './contract.ts';
import { bindCustomActivities, customActivities } from './custom/index.ts';
import { createEvaluationActivities } from './evaluation/index.ts';
import { createFlowActivities } from './flow/index.ts';
import type { FlowActivities } from './flow/index.ts';
import { createSideEffectActivities, localSinkProvider } from './side-effects/index.ts';
import type { SideEffectActivities, SmsProvider } from './side-effects/index.ts';

export interface JourneyActivityDeps {
  pool: pg.Pool;
  /** The SMS provider; default: the local sink (records what would be sent in `sms_sink`). */
  provider?: SmsProvider;
  /** Wall clock for the side effects and custom activities (tests may pin it); default: the system clock. */
  now?: () => Date;
}

/** The built-in activities plus the custom ones, by name, as the worker registers them. */
export type WorkerActivities = JourneyActivities & Record<string, (input: never) => Promise<unknown>>;

export function createJourneyActivities(deps: JourneyActivityDeps): WorkerActivities {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());
  const builtIn: JourneyActivities = {
    ...createFlowActivities({ pool }),
    ...createSideEffectActivities({ pool, provider: deps.provider ?? localSinkProvider(pool), now }),
    ...createEvaluationActivities({ pool }),
  };
  const custom = bindCustomActivities(customActivities, { pool, now }, Object.keys(builtIn));
  return { ...custom, ...builtIn };
}

export { createFlowActivities };
export type { FlowActivities, SideEffectActivities, SmsProvider };
export type * from './contract.ts';
