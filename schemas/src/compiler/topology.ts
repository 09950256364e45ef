import type { GraphError } from '../errors.ts';
import { graphError } from '../errors.ts';
import type { JourneyGraph, JourneyNode } from '../graph.ts';
import { nodeTypeOf } from '../registry.ts';

/**
 * The structure of a schema-valid graph: who follows whom through which port, which edges close a
 * repeat loop, which loops enclose each node, and who dominates whom on the forward (loop-free) graph.
 */
export interface Topology {
  readonly entryId: string;
  readonly nodes: ReadonlyMap<string, { node: JourneyNode; index: number }>;
  /** node -> port -> target, for edges on declared ports (first edge wins when there are several). */
  readonly next: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** `${source}\u0000${port}` of edges that return to their repeat node. */
  readonly backEdges: ReadonlySet<string>;
  /** Repeat node -> the nodes of its body. */
  readonly bodies: ReadonlyMap<string, ReadonlySet<string>>;
  /** Node -> enclosing repeat nodes, outermost first. */
  readonly loopsOf: ReadonlyMap<string, readonly string[]>;
  /** Reachable nodes in topological order of the forward graph (back edges removed). */
  readonly order: readonly string[];
  /** Node -> its immediate dominator on the forward graph (the entry has none). */
  readonly idom: ReadonlyMap<string, string>;
  /** Successors and predecessors on the forward graph. */
  readonly forwardNext: ReadonlyMap<string, readonly string[]>;
  readonly forwardPreds: ReadonlyMap<string, readonly string[]>;
}

/** The nodes on every forward path from the entry to `id`, nearest first, `id` included. */
export function dominatorsOf(topo: Topology, id: string): string[] {
  const out = [id];
  for (let d = topo.idom.get(id); d !== undefined; d = topo.idom.get(d)) out.push(d);
  return out;
}

export const edgeKey = (source: string, port: string) => `${source}\u0000${port}`;

const nodePath = (index: number) => ['nodes', index];
const edgePath = (index: number) => ['edges', index];

/** The topology and the structural errors; no topology when the errors make one meaningless. */
export function analyzeTopology(graph: JourneyGraph): { topology?: Topology; errors: GraphError[] } {
  const errors: GraphError[] = [];
  const nodes = new Map<string, { node: JourneyNode; index: number }>();
  graph.nodes.forEach((node, index) => {
    if (nodes.has(node.id))
      errors.push(graphError('DUPLICATE_NODE_ID', [...nodePath(index), 'id'], { id: node.id }, node.id));
    else nodes.set(node.id, { node, index });
  });

  const portsOf = (id: string) => {
    const entry = nodes.get(id);
    return entry === undefined ? [] : nodeTypeOf(entry.node.type).portsOf(entry.node.config);
  };
  const next = new Map<string, Map<string, string>>();
  for (const id of nodes.keys()) next.set(id, new Map());
  const incoming = new Map<string, number>();
  graph.edges.forEach((edge, index) => {
    let ok = true;
    for (const end of ['source', 'target'] as const) {
      if (!nodes.has(edge[end])) {
        errors.push(graphError('EDGE_UNKNOWN_NODE', [...edgePath(index), end], { id: edge[end] }));
        ok = false;
      }
    }
    if (!ok) return;
    if (!portsOf(edge.source).includes(edge.sourcePort)) {
      errors.push(
        graphError('EDGE_UNKNOWN_PORT', [...edgePath(index), 'sourcePort'], { port: edge.sourcePort }, edge.source),
      );
      return;
    }
    const ports = next.get(edge.source) as Map<string, string>;
    if (ports.has(edge.sourcePort)) {
      errors.push(graphError('PORT_MULTIPLY_CONNECTED', [...edgePath(index)], { port: edge.sourcePort }, edge.source));
      return;
    }
    ports.set(edge.sourcePort, edge.target);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  });

  const entries = graph.nodes.filter((n) => nodeTypeOf(n.type).category === 'entry');
  if (entries.length === 0) errors.push(graphError('ENTRY_MISSING', ['nodes']));
  for (const extra of entries.slice(1)) {
    errors.push(graphError('ENTRY_MULTIPLE', nodePath((nodes.get(extra.id) ?? { index: 0 }).index), {}, extra.id));
  }
  for (const entry of entries) {
    if ((incoming.get(entry.id) ?? 0) > 0)
      errors.push(graphError('ENTRY_HAS_INCOMING', nodePath(nodes.get(entry.id)?.index ?? 0), {}, entry.id));
  }
  if (errors.length > 0 || entries.length !== 1) return { errors };
  const entryId = entries[0].id;

  // Reachability over every edge.
  const reachable = reach(entryId, (id) => [...(next.get(id) as Map<string, string>).values()]);
  for (const [id, { node, index }] of nodes) {
    if (!reachable.has(id)) {
      errors.push(graphError('NODE_UNREACHABLE', nodePath(index), {}, id));
      continue;
    }
    for (const port of portsOf(id)) {
      if (!(next.get(id) as Map<string, string>).has(port))
        errors.push(graphError('PORT_UNCONNECTED', nodePath(index), { port }, node.id));
    }
  }

  // Repeat bodies: what the body port reaches without passing the repeat node again.
  const bodies = new Map<string, Set<string>>();
  const backEdges = new Set<string>();
  for (const [id, { node, index }] of nodes) {
    if (node.type !== 'loop.repeat' || !reachable.has(id)) continue;
    const start = next.get(id)?.get('body');
    if (start === undefined) continue;
    const body =
      start === id
        ? new Set<string>()
        : reach(start, (n) => [...(next.get(n) as Map<string, string>).values()].filter((t) => t !== id));
    bodies.set(id, body);
    let returns = start === id;
    for (const member of body) {
      for (const [port, target] of next.get(member) as Map<string, string>) {
        if (target === id) {
          backEdges.add(edgeKey(member, port));
          returns = true;
        }
      }
    }
    if (start === id) backEdges.add(edgeKey(id, 'body'));
    if (!returns) errors.push(graphError('LOOP_BODY_NOT_RETURNING', nodePath(index), {}, id));
    for (const [source, ports] of next) {
      if (body.has(source) || !reachable.has(source)) continue;
      for (const [port, target] of ports) {
        if (body.has(target) && !(source === id && port === 'body')) {
          errors.push(
            graphError(
              'LOOP_BODY_ENTERED_FROM_OUTSIDE',
              nodePath(nodes.get(source)?.index ?? 0),
              { id: target },
              source,
            ),
          );
        }
      }
    }
  }

  // The forward graph must be acyclic: every other cycle bypasses a repeat node.
  const forward = (id: string) =>
    [...(next.get(id) as Map<string, string>)].filter(([port]) => !backEdges.has(edgeKey(id, port))).map(([, t]) => t);
  const order = topologicalOrder(entryId, forward);
  const acyclic = order.length === reachable.size;
  if (!acyclic) {
    const placed = new Set(order);
    for (const cycle of cyclesAmong(
      [...reachable].filter((id) => !placed.has(id)),
      forward,
    )) {
      const first = [...cycle].sort()[0];
      errors.push(
        graphError(
          'CYCLE_OUTSIDE_REPEAT',
          nodePath(nodes.get(first)?.index ?? 0),
          { ids: [...cycle].sort().join(', ') },
          first,
        ),
      );
    }
  }
  // Unreachable nodes or open ports still leave a usable structure, so later rules can report more at once.
  if (!acyclic) return { errors };

  const loopsOf = new Map<string, string[]>();
  const outerFirst = [...bodies].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
  for (const id of order)
    loopsOf.set(
      id,
      outerFirst.filter(([, body]) => body.has(id)).map(([repeat]) => repeat),
    );

  const forwardNext = new Map<string, string[]>(order.map((id) => [id, forward(id)]));
  const forwardPreds = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order) for (const t of forwardNext.get(id) as string[]) forwardPreds.get(t)?.push(id);
  // On a DAG in topological order, a node's immediate dominator is the nearest common dominator of its predecessors.
  const rank = new Map(order.map((id, i) => [id, i]));
  const idom = new Map<string, string>();
  const common = (a: string, b: string) => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((rank.get(x) as number) > (rank.get(y) as number)) x = idom.get(x) as string;
      while ((rank.get(y) as number) > (rank.get(x) as number)) y = idom.get(y) as string;
    }
    return x;
  };
  for (const id of order) {
    const preds = forwardPreds.get(id) as string[];
    if (preds.length > 0) idom.set(id, preds.reduce(common));
  }

  return {
    topology: { entryId, nodes, next, backEdges, bodies, loopsOf, order, idom, forwardNext, forwardPreds },
    errors,
  };
}

export function reach(start: string, successors: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const t of successors(stack.pop() as string)) {
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  return seen;
}

/** Kahn's algorithm from `start`; nodes on or behind a cycle are left out. Ties break by id for determinism. */
function topologicalOrder(start: string, successors: (id: string) => readonly string[]): string[] {
  const nodes = reach(start, successors);
  const indegree = new Map<string, number>([...nodes].map((id) => [id, 0]));
  for (const id of nodes) for (const t of successors(id)) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const ready = [...nodes].filter((id) => indegree.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const t of successors(id)) {
      const d = (indegree.get(t) as number) - 1;
      indegree.set(t, d);
      if (d === 0) {
        const at = ready.findIndex((r) => r > t);
        ready.splice(at < 0 ? ready.length : at, 0, t);
      }
    }
  }
  return order;
}

/** Groups of nodes that lie on a common cycle (mutually reachable), among `candidates`. */
function cyclesAmong(candidates: readonly string[], successors: (id: string) => readonly string[]): Set<string>[] {
  const pool = new Set(candidates);
  const within = (id: string) => successors(id).filter((t) => pool.has(t));
  const groups: Set<string>[] = [];
  const assigned = new Set<string>();
  for (const id of [...candidates].sort()) {
    if (assigned.has(id)) continue;
    const forward = reach(id, within);
    const group = new Set([...forward].filter((other) => reach(other, within).has(id)));
    const onCycle = group.size > 1 || within(id).includes(id);
    for (const member of group) assigned.add(member);
    if (onCycle) groups.push(group);
  }
  return groups;
}
