import type { z } from 'zod';
import { unknownCategoryKeys } from '../catalogue.ts';
import type { KnownSavedSegment } from '../saved-segments.ts';
import { resolveSavedSegments, savedSegmentProblems } from '../saved-segments.ts';
import type { GraphError } from '../errors.ts';
import { graphError, issueParams, issuePath } from '../errors.ts';
import type { JourneyGraph } from '../graph.ts';
import { JourneyGraph as JourneyGraphSchema } from '../graph.ts';
import { canonicalJson, canonicalize, sha256Hex } from '../hash.ts';
import type { EntryTypeId, NodeTypeId } from '../registry.ts';
import { nodeTypeOf } from '../registry.ts';
import { DAY_MS } from '../duration.ts';
import type { LoweredNode } from './max-duration.ts';
import { maxJourneyDurationMs } from './max-duration.ts';
import type { ExecutionPlan, ExecutionPlanBody, PlanNext, PlanNode } from './plan.ts';
import { PLAN_SCHEMA_VERSION } from './plan.ts';
import { checkRules } from './rules.ts';
import { entryRunKind } from './run-kind.ts';
import type { Topology } from './topology.ts';
import { analyzeTopology, edgeKey } from './topology.ts';

/** Journeys longer than this are rejected: five 30-day cycles fit many times over, runaway configs do not. */
export const MAX_JOURNEY_DAYS = 2 * 366;

export type ValidationResult =
  | { readonly ok: true; readonly graph: JourneyGraph; readonly maxDurationMs: number; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly GraphError[] };

export type CompileResult =
  | { readonly ok: true; readonly plan: ExecutionPlan; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly GraphError[] };

/**
 * What the compiler may be told about the shop. It stays pure: the engine reads the shop's category
 * keys and passes them in; without them category keys are only checked for their form.
 */
export interface CompileOptions {
  readonly categories?: Iterable<string>;
  /**
   * The shop's saved segments by id. With them, references to unknown or archived ones are errors
   * and the plan carries each referenced segment's definition (a snapshot taken at publish).
   */
  readonly savedSegments?: ReadonlyMap<string, KnownSavedSegment>;
  /**
   * The shop's coupon pools by name, with their face value (null: a pool without terms). With them,
   * a coupon node naming an unknown pool, or an amount other than its pool's, is an error.
   */
  readonly couponPools?: ReadonlyMap<string, { readonly value: number | null }>;
}

/** Check any JSON against the journey language. Never throws. */
export function validateJourney(input: unknown, options: CompileOptions = {}): ValidationResult {
  const result = analyze(input, options);
  return result.ok ? { ok: true, graph: result.graph, maxDurationMs: result.maxDurationMs, errors: [] } : result;
}

/** Validate and lower a journey graph to an immutable ExecutionPlan. Pure, deterministic; never throws. */
export function compileJourney(input: unknown, options: CompileOptions = {}): CompileResult {
  const result = analyze(input, options);
  if (!result.ok) return result;
  try {
    return { ok: true, plan: deepFreeze(assemble(result)), errors: [] };
  } catch (e) {
    return { ok: false, errors: [internalError(e)] };
  }
}

/** Recompute a stored plan's hash, e.g. after loading it from the database. */
export function planHash(plan: ExecutionPlanBody | ExecutionPlan): string {
  const { hash: _hash, kind: _kind, ...body } = plan as ExecutionPlan;
  return sha256Hex(canonicalJson(body));
}

interface Analysis {
  ok: true;
  graph: JourneyGraph;
  topo: Topology;
  lowered: Map<string, LoweredNode>;
  maxDurationMs: number;
}

function analyze(input: unknown, options: CompileOptions): Analysis | { ok: false; errors: GraphError[] } {
  try {
    const parsed = JourneyGraphSchema.safeParse(input);
    if (!parsed.success) return { ok: false, errors: schemaErrors(input, parsed.error) };
    const graph = options.savedSegments ? resolveSavedSegments(parsed.data, options.savedSegments) : parsed.data;
    const { topology, errors } = analyzeTopology(graph);
    if (topology === undefined) return { ok: false, errors };
    const ruleErrors = [
      ...errors,
      ...checkRules(graph, topology),
      ...categoryErrors(graph, options),
      ...savedSegmentErrors(parsed.data, options),
      ...couponPoolErrors(graph, options),
    ];
    if (ruleErrors.length > 0) return { ok: false, errors: ruleErrors };

    const lowered = new Map<string, LoweredNode>();
    for (const id of topology.order) {
      const { node } = topology.nodes.get(id) as { node: JourneyGraph['nodes'][number] };
      const params = nodeTypeOf(node.type).lower(node.config, { nodeId: id, settings: graph.settings });
      lowered.set(id, { type: node.type, params });
    }
    const maxDurationMs = maxJourneyDurationMs(topology, lowered);
    if (maxDurationMs > MAX_JOURNEY_DAYS * DAY_MS) {
      const days = Math.ceil(maxDurationMs / DAY_MS);
      return { ok: false, errors: [graphError('JOURNEY_TOO_LONG', ['nodes'], { days, max: MAX_JOURNEY_DAYS })] };
    }
    return { ok: true, graph, topo: topology, lowered, maxDurationMs };
  } catch (e) {
    return { ok: false, errors: [internalError(e)] };
  }
}

function assemble({ graph, topo, lowered, maxDurationMs }: Analysis): ExecutionPlan {
  const anchorsFor = new Map<string, string[]>();
  const checkpoints: string[] = [];
  for (const id of topo.order) {
    const node = lowered.get(id) as LoweredNode;
    if (node.type !== 'eval.checkpoint') continue;
    checkpoints.push(id);
    for (const anchor of (node.params as { anchors: string[] }).anchors)
      anchorsFor.set(anchor, [...(anchorsFor.get(anchor) ?? []), id]);
  }
  const nodes: Record<string, PlanNode> = {};
  for (const id of [...topo.order].sort()) {
    const { node } = topo.nodes.get(id) as { node: JourneyGraph['nodes'][number] };
    const def = nodeTypeOf(node.type);
    const next: Record<string, PlanNext> = {};
    for (const port of def.portsOf(node.config)) {
      next[port] = { node: topo.next.get(id)?.get(port) as string, loopBack: topo.backEdges.has(edgeKey(id, port)) };
    }
    nodes[id] = {
      id,
      type: node.type,
      version: def.version,
      label: node.label ?? null,
      activity: def.activity,
      params: (lowered.get(id) as LoweredNode).params,
      next,
      loops: topo.loopsOf.get(id) ?? [],
      anchorsFor: (anchorsFor.get(id) ?? []).sort(),
    } as PlanNode;
  }
  const entryType = (topo.nodes.get(topo.entryId) as { node: { type: NodeTypeId } }).node.type as EntryTypeId;
  const body: ExecutionPlanBody = {
    planSchemaVersion: PLAN_SCHEMA_VERSION,
    entry: topo.entryId,
    entryType,
    settings: graph.settings,
    nodes,
    order: topo.order,
    checkpoints,
    maxDurationMs,
  };
  // A canonical plain-data copy: exactly what gets hashed and stored.
  const plain = canonicalize(body) as ExecutionPlanBody;
  return { ...plain, kind: entryRunKind(entryType), hash: sha256Hex(JSON.stringify(plain)) };
}

/** Category keys the shop does not have, each at its path (pinned to its node when inside one). */
function categoryErrors(graph: JourneyGraph, options: CompileOptions): GraphError[] {
  if (!options.categories) return [];
  return unknownCategoryKeys(graph, options.categories).map(({ path, key }) => {
    const nodeId = path[0] === 'nodes' && typeof path[1] === 'number' ? graph.nodes[path[1]]?.id : undefined;
    return graphError('CATEGORY_UNKNOWN', path, { key }, nodeId);
  });
}

/** References to saved segments the shop does not have, or has archived. */
function savedSegmentErrors(graph: JourneyGraph, options: CompileOptions): GraphError[] {
  if (!options.savedSegments) return [];
  return savedSegmentProblems(graph, options.savedSegments).map(({ path, segmentId, problem }) => {
    const nodeId = path[0] === 'nodes' && typeof path[1] === 'number' ? graph.nodes[path[1]]?.id : undefined;
    const code = problem === 'unknown' ? 'SAVED_SEGMENT_UNKNOWN' : 'SAVED_SEGMENT_ARCHIVED';
    return graphError(code, path, { segmentId }, nodeId);
  });
}

/**
 * Coupon nodes against the pools they name: the pool must exist, and a pool's codes carry its face
 * value, so the node's amount (what the builder and the simulation show) must be the same.
 */
function couponPoolErrors(graph: JourneyGraph, options: CompileOptions): GraphError[] {
  const pools = options.couponPools;
  if (!pools) return [];
  return graph.nodes.flatMap((node, i) => {
    if (node.type !== 'action.coupon' || node.config.pool === null) return [];
    const pool = pools.get(node.config.pool);
    if (!pool)
      return [graphError('COUPON_POOL_UNKNOWN', ['nodes', i, 'config', 'pool'], { pool: node.config.pool }, node.id)];
    if (pool.value !== null && pool.value !== node.config.amount)
      return [
        graphError(
          'COUPON_POOL_VALUE',
          ['nodes', i, 'config', 'amount'],
          { pool: node.config.pool, value: pool.value },
          node.id,
        ),
      ];
    return [];
  });
}

function schemaErrors(input: unknown, error: z.ZodError): GraphError[] {
  const nodesIn = (input as { nodes?: unknown } | null)?.nodes;
  return error.issues.map((issue) => {
    const path = issuePath(issue);
    const where = path.join('.') || '(root)';
    if (path[0] === 'nodes' && typeof path[1] === 'number') {
      const raw = Array.isArray(nodesIn) ? (nodesIn[path[1]] as { id?: unknown } | undefined) : undefined;
      const nodeId = typeof raw?.id === 'string' ? raw.id : undefined;
      if (path[2] === 'type' || (path.length === 2 && issue.code === 'invalid_union')) {
        return graphError('UNKNOWN_NODE_TYPE', [...path.slice(0, 2), 'type'], {}, nodeId);
      }
      if (path[2] === 'config')
        return graphError(
          'NODE_CONFIG_INVALID',
          path,
          { where: path.slice(3).join('.') || 'config', detail: issue.message, ...issueParams(issue) },
          nodeId,
        );
    }
    return graphError('SCHEMA_INVALID', path, { where, detail: issue.message, ...issueParams(issue) });
  });
}

function internalError(e: unknown): GraphError {
  return graphError('INTERNAL_ERROR', [], { detail: e instanceof Error ? e.message : String(e) });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
