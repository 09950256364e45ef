// The journey activities, as ONE object: the worker registers what createJourneyActivities returns,
// and every type the workflows proxy (JourneyActivities, ActionActivities, BookkeepingActivities)
// is derived from it, so an activity is listed once, here or in the section it is spread from.
import type pg from 'pg';
import { bindCustomActivities } from './custom/define-activity.ts';
import type { CustomActivity, CustomActivityContext } from './custom/define-activity.ts';
import type { EmailChannel } from './custom/email/mailer.ts';
import { sendEmail } from './custom/email/send-email.ts';
import { awardPoints } from './custom/examples/award-points.ts';
import { withDeferrals } from './deferral.ts';
import { createEvaluationActivities } from './evaluation/index.ts';
import type { EvaluationActivities } from './evaluation/index.ts';
import { createFlowActivities } from './flow/index.ts';
import type { FlowActivities } from './flow/index.ts';
import { createSideEffectActivities, localSinkProvider } from './side-effects/index.ts';
import type { SideEffectActivities, SmsProvider } from './side-effects/index.ts';

/**
 * Custom activities (defineActivity) that run as palette actions over a cohort and return an
 * ActionResult: one line each registers one (the key is the name its node's `activity` gives).
 */
export const customActions = {
  awardPoints,
  sendEmail,
} as const;

export interface JourneyActivityDeps {
  pool: pg.Pool;
  /** The SMS provider; default: the local sink (records what would be sent in `sms_sink`). */
  provider?: SmsProvider;
  /** Wall clock for the side effects and custom activities (tests may pin it); default: the system clock. */
  now?: () => Date;
  /** Members per side-effect batch (one provider call per batch); default 1000. */
  batchSize?: number;
  /** The e-mail channel (SMTP or the local sink, `email_sink`); default: the local sink. */
  email?: EmailChannel;
}

type CustomActions = typeof customActions;
type BoundCustomActions = { [K in keyof CustomActions]: ReturnType<CustomActions[K]['bind']> };

/** The side effects, built-in and custom: each result carries its deferral (paused, stopped, quiet hours). */
function createActionActivities(deps: JourneyActivityDeps & { now: () => Date }) {
  const { pool, now } = deps;
  const builtIn = createSideEffectActivities({
    pool,
    provider: deps.provider ?? localSinkProvider(pool),
    now,
    batchSize: deps.batchSize,
  });
  return withDeferrals({
    ...builtIn,
    ...bindCustomActions({ pool, now, ...(deps.email ? { email: deps.email } : {}) }, Object.keys(builtIn)),
  });
}

function bindCustomActions(context: CustomActivityContext, reserved: readonly string[]): BoundCustomActions {
  const entries = Object.entries(customActions) as [string, CustomActivity][];
  for (const [key, activity] of entries)
    if (key !== activity.name)
      throw new Error(`custom action ${key} is registered under another name than its own (${activity.name})`);
  return bindCustomActivities(
    entries.map(([, a]) => a),
    context,
    reserved,
  ) as BoundCustomActions;
}

export function createJourneyActivities(deps: JourneyActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    ...createFlowActivities({ pool: deps.pool }),
    ...createActionActivities({ ...deps, now }),
    ...createEvaluationActivities({ pool: deps.pool }),
  };
}

/** Every journey activity by name, as the worker registers them and the interpreter proxies them. */
export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
/** The side effects (heartbeating, deferring): what an action node's `activity` must name. */
export type ActionActivities = ReturnType<typeof createActionActivities>;
export type ActionActivityName = keyof ActionActivities;
export type { BookkeepingActivities } from './flow/index.ts';

// A custom action must not take a built-in activity's name (the spread would silently replace it).
type Shadowed = keyof CustomActions & keyof (FlowActivities & SideEffectActivities & EvaluationActivities);
const noCustomActionShadowsABuiltIn: [Shadowed] extends [never] ? true : Shadowed = true;
void noCustomActionShadowsABuiltIn;
