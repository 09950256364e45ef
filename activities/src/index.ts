// The worker's activities, always the full set the interpreter proxies: the flow activities
// (snapshot, admission, splits, exits, positions, ops state), the side effects (built-in and the
// custom actions shipped with Huitou) through an SMS provider (the local sink unless one is
// given), and evaluateCheckpoint. The list is the object createJourneyActivities returns.
export { createJourneyActivities, customActions } from './journey-activities.ts';
export type {
  ActionActivities,
  ActionActivityName,
  BookkeepingActivities,
  JourneyActivities,
  JourneyActivityDeps,
} from './journey-activities.ts';
export { deferralOf, withDeferral, withDeferrals } from './deferral.ts';
export { createFlowActivities } from './flow/index.ts';
export { triggeredRunRow } from './flow/admit.ts';
export type { FlowActivities } from './flow/index.ts';
export type { SideEffectActivities, SmsProvider } from './side-effects/index.ts';
export type * from './contract.ts';
