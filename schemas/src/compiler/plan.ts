import type { EntryTypeId, NodeActivity, NodeParams, NodeTypeId } from '../registry.ts';
import type { RunKind } from '../node-type.ts';
import type { JourneySettings } from '../settings.ts';

export const PLAN_SCHEMA_VERSION = 1;

/** Where members go after leaving a node through a port. */
export interface PlanNext {
  readonly node: string;
  /** True when this edge closes a repeat body: the members return to `node` (a loop.repeat) for its next cycle. */
  readonly loopBack: boolean;
}

/** One node of a plan, lowered: params in execution units, ports resolved to their targets. */
export interface PlanNodeOf<T extends NodeTypeId> {
  readonly id: string;
  readonly type: T;
  /** The node type's definition version this node was lowered with. */
  readonly version: number;
  readonly label: string | null;
  /** The activity the handler calls over the member set, or null (timers, signals). */
  readonly activity: NodeActivity<T>;
  readonly params: Readonly<NodeParams<T>>;
  /** Port -> next node. Exit nodes have none. */
  readonly next: Readonly<Record<string, PlanNext>>;
  /** Enclosing repeat nodes, outermost first; the member set carries one cycle counter per entry. */
  readonly loops: readonly string[];
  /** Checkpoints anchored on this node: the interpreter records when each set passes it. */
  readonly anchorsFor: readonly string[];
}

export type PlanNode = { [T in NodeTypeId]: PlanNodeOf<T> }[NodeTypeId];

/**
 * A published journey version, immutable and self-contained: what the interpreter workflow walks.
 * `hash` is SHA-256 over the canonical JSON of every other field but `kind`: the kind follows from
 * `entryType`, and leaving it out keeps the hashes of plans published before it existed (and of the
 * same graph compiled again) unchanged.
 */
export interface ExecutionPlan {
  readonly planSchemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly hash: string;
  readonly entry: string;
  readonly entryType: EntryTypeId;
  /** The run kind the entry node type declares (plans stored before it existed get it on load). */
  readonly kind: RunKind;
  readonly settings: Readonly<JourneySettings>;
  readonly nodes: Readonly<Record<string, PlanNode>>;
  /** Node ids in topological order of the loop-free graph (for display and deterministic walks). */
  readonly order: readonly string[];
  readonly checkpoints: readonly string[];
  /** Upper bound from entry to the last exit or checkpoint, quiet-hour deferrals excluded. */
  readonly maxDurationMs: number;
}

/** What the hash covers. */
export type ExecutionPlanBody = Omit<ExecutionPlan, 'hash' | 'kind'>;

/**
 * One handler per node type, each receiving its own precisely typed plan node. A map missing a
 * node type does not compile, so adding a node type forces its handler to be written.
 */
export type NodeHandlers<Args extends unknown[], R> = {
  readonly [T in NodeTypeId]: (node: PlanNodeOf<T>, ...args: Args) => R;
};

/** Call the handler for a node's type. */
export function dispatchNode<Args extends unknown[], R>(
  handlers: NodeHandlers<Args, R>,
  node: PlanNode,
  ...args: Args
): R {
  const handler = handlers[node.type] as (node: PlanNode, ...args: Args) => R;
  return handler(node, ...args);
}
