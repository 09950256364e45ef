import type { z } from 'zod';
import type { GraphError, GraphErrorCode } from './errors.ts';
import type { LocalizedText } from './i18n.ts';
import type { Condition } from './segment.ts';
import type { JourneySettings } from './settings.ts';

export type NodeCategory = 'entry' | 'wait' | 'split' | 'loop' | 'action' | 'evaluation' | 'exit';

/** How runs of a journey start, decided by its entry: a segment snapshot, an order event, a daily date scan. */
export type RunKind = 'audience' | 'triggered' | 'dated';

/** What lowering a node may look at besides its own config. */
export interface LowerContext {
  readonly nodeId: string;
  readonly settings: JourneySettings;
}

/** Node-local checks; rules that need the rest of the graph live in rules/. */
export interface LocalCheck {
  error(
    code: GraphErrorCode,
    path: readonly (string | number)[],
    params?: Readonly<Record<string, string | number>>,
  ): GraphError;
}

export interface NodeTypeSpec<Id extends string, C extends z.ZodObject, P, A extends string | null = string | null> {
  /** Stable dotted id; never renamed (published plans and handlers refer to it). */
  readonly id: Id;
  /** Bump when the config or params change shape. */
  readonly version: number;
  readonly label: LocalizedText;
  readonly description: LocalizedText;
  readonly category: NodeCategory;
  /** Key into the builder's icon set. */
  readonly icon: string;
  /** Entry nodes only: the kind of run they start (compiled into the plan's `kind`). */
  readonly runKind?: RunKind;
  /** Output ports, fixed or derived from the config (split branches, random arms). */
  readonly ports: readonly string[] | ((config: z.infer<C>) => readonly string[]);
  readonly config: C;
  /**
   * The activity a handler calls for this node over a member set; null when none (timers, signals).
   * A literal type, so the registry knows every activity name; the workflows check each one is a
   * journey activity (schemas cannot import activities).
   */
  readonly activity: A;
  /** Config -> the execution params stored in the plan (durations in ms, templates parsed...). */
  readonly lower: (config: z.infer<C>, ctx: LowerContext) => P;
  /** Longest a member can stay in this node before leaving by a port (waits); 0 when absent. */
  readonly maxStayMs?: (params: P) => number;
  /** Segment conditions in the config, with their paths, so generic rules can check what they need. */
  readonly conditions?: (
    config: z.infer<C>,
  ) => ReadonlyArray<{ path: readonly (string | number)[]; condition: Condition }>;
  /**
   * Message templates in the config ({nickname}, {coupon.code}...), with their paths, so the generic
   * rules check what their variables need in the graph (a coupon node before, the journey's link,
   * an event entry) for every channel alike. Syntax and unknown names are the node's own check.
   */
  readonly templates?: (config: z.infer<C>) => ReadonlyArray<{ path: readonly (string | number)[]; template: string }>;
  readonly check?: (config: z.infer<C>, local: LocalCheck) => GraphError[];
}

export interface NodeType<
  Id extends string = string,
  C extends z.ZodObject = z.ZodObject,
  P = unknown,
  A extends string | null = string | null,
> extends NodeTypeSpec<Id, C, P, A> {
  portsOf(config: z.infer<C>): readonly string[];
}

/** The one place a node type is defined: everything else (API, palette, compiler, interpreter) derives from it. */
export function defineNodeType<Id extends string, C extends z.ZodObject, P, A extends string | null>(
  spec: NodeTypeSpec<Id, C, P, A>,
): NodeType<Id, C, P, A> {
  const ports = spec.ports;
  return Object.freeze({
    ...spec,
    portsOf: (config: z.infer<C>) => (typeof ports === 'function' ? ports(config) : ports),
  });
}
