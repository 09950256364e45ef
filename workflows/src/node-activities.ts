// The node registry names activities by literal keys (schemas cannot import activities); here,
// where both are known, the compiler checks that they match the journey activities the worker
// registers. A mismatch fails `tsc` with the offending name in the message.
import type { NodeActivity, NodeActivityName, NodeParams, NodeTypeId } from '@huitou/schemas';
import type { NodeCall } from '@huitou/activities/contract';
import type { ActionActivities, JourneyActivities } from '@huitou/activities';

/** Action node types: all run by the one generic action handler (handlers.ts). */
export type ActionTypeId = Extract<NodeTypeId, `action.${string}`>;

export const isActionType = (id: NodeTypeId): id is ActionTypeId => id.startsWith('action.');

type Holds<T extends true> = T;

/** Activities a node names that the worker does not register. */
type UnknownActivity = Exclude<NodeActivityName, keyof JourneyActivities>;
export type EveryNodeActivityIsRegistered = Holds<[UnknownActivity] extends [never] ? true : UnknownActivity>;

/** Action node types whose activity is not a side effect taking the node's params. */
type MismatchedAction = {
  [T in ActionTypeId]: NodeActivity<T> extends keyof ActionActivities
    ? NodeCall<NodeParams<T>> extends Parameters<ActionActivities[NodeActivity<T>]>[0]
      ? never
      : T
    : T;
}[ActionTypeId];
export type EveryActionRunsASideEffect = Holds<[MismatchedAction] extends [never] ? true : MismatchedAction>;
