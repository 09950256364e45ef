// The worker's activities, always the full set the interpreter proxies: the flow activities
// (snapshot, admission, splits, exits, positions, ops state), the side-effect activities (sendSms,
// issueCoupon, createStaffTask, tagCustomers, callWebhook) through an SMS provider (the local sink
// unless one is given), evaluateCheckpoint, and the custom activities shipped with Huitou.
import type pg from 'pg';
import type { ActionResult, Deferral, DeferralReason, JourneyActivities } from './contract.ts';
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
  /** Members per side-effect batch (one provider call per batch); default 1000. */
  batchSize?: number;
}

/** The built-in activities plus the custom ones, by name, as the worker registers them. */
export type WorkerActivities = JourneyActivities & Record<string, (input: never) => Promise<unknown>>;

export function createJourneyActivities(deps: JourneyActivityDeps): WorkerActivities {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());
  const effects = createSideEffectActivities({ pool, provider: deps.provider ?? localSinkProvider(pool), now, batchSize: deps.batchSize });
  const builtIn: JourneyActivities = {
    ...createFlowActivities({ pool }),
    sendSms: async (call) => withDeferral(await effects.sendSms(call)),
    issueCoupon: async (call) => withDeferral(await effects.issueCoupon(call)),
    createStaffTask: async (call) => withDeferral(await effects.createStaffTask(call)),
    tagCustomers: async (call) => withDeferral(await effects.tagCustomers(call)),
    callWebhook: async (call) => withDeferral(await effects.callWebhook(call)),
    ...createEvaluationActivities({ pool }),
  };
  const custom = Object.fromEntries(
    Object.entries(bindCustomActivities(customActivities, { pool, now }, Object.keys(builtIn))).map(([name, run]) => [
      name,
      async (input: unknown) => {
        const result = await run(input);
        return isActionResult(result) ? withDeferral(result) : result;
      },
    ]),
  );
  return { ...custom, ...builtIn };
}

const DEFERRAL_REASONS: readonly DeferralReason[] = ['paused', 'stopped', 'quiet_hours'];

/** The members an action result owes (skipped for a reason that means "not now"). */
export function deferralOf(skipped: Record<string, number>): Deferral {
  const reasons: Deferral['reasons'] = {};
  let members = 0;
  for (const reason of DEFERRAL_REASONS) {
    const n = skipped[reason] ?? 0;
    if (n > 0) {
      reasons[reason] = n;
      members += n;
    }
  }
  return { members, reasons };
}

/** Adds `deferred` to an action result, so the interpreter runs the node again for those members. */
export function withDeferral<R extends ActionResult>(result: R): R {
  const deferred = deferralOf(result.skipped);
  return deferred.members > 0 ? { ...result, deferred } : result;
}

function isActionResult(value: unknown): value is ActionResult {
  return typeof value === 'object' && value !== null && typeof (value as ActionResult).skipped === 'object' && typeof (value as ActionResult).done === 'number';
}

export { createFlowActivities };
export type { FlowActivities, SideEffectActivities, SmsProvider };
export type * from './contract.ts';
