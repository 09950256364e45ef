/**
 * A small layered layout for journeys, which read left to right: columns by longest path from the
 * entry (loop-back edges ignored), rows ordered so branches fan out in port order. Columns and rows
 * are as wide and tall as the cards really are (React Flow's measured sizes), so tall SMS cards and
 * wide split cards never overlap.
 */
export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
  readonly port: string;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}
/** A card's box on the canvas (flow coordinates, top-left corner). */
export interface Box extends Size {
  readonly x: number;
  readonly y: number;
}

/** Space between columns (room for port captions and edges) and between cards in a column. */
export const COLUMN_GAP = 90;
export const ROW_GAP = 40;
/** A card not measured yet (never rendered, e.g. off screen). */
export const DEFAULT_NODE_SIZE: Size = { width: 220, height: 110 };

export function layeredLayout(
  nodeIds: readonly string[],
  edges: readonly LayoutEdge[],
  portOrder: (nodeId: string) => readonly string[],
  sizeOf: (nodeId: string) => Size = () => DEFAULT_NODE_SIZE,
): Map<string, { x: number; y: number }> {
  const known = new Set(nodeIds);
  const usable = edges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target);
  const portIndex = (e: LayoutEdge) => {
    const i = portOrder(e.source).indexOf(e.port);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const outgoing = new Map<string, LayoutEdge[]>(nodeIds.map((id) => [id, []]));
  const indegree = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const e of usable) {
    outgoing.get(e.source)?.push(e);
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  }
  for (const list of outgoing.values()) list.sort((a, b) => portIndex(a) - portIndex(b));

  // Depth-first from the roots: edges to a node still on the stack close a loop (repeat bodies).
  const discovery = new Map<string, number>();
  const onStack = new Set<string>();
  const back = new Set<LayoutEdge>();
  const visit = (id: string) => {
    discovery.set(id, discovery.size);
    onStack.add(id);
    for (const e of outgoing.get(id) ?? []) {
      if (onStack.has(e.target)) back.add(e);
      else if (!discovery.has(e.target)) visit(e.target);
    }
    onStack.delete(id);
  };
  for (const id of nodeIds) if ((indegree.get(id) ?? 0) === 0 && !discovery.has(id)) visit(id);
  for (const id of nodeIds) if (!discovery.has(id)) visit(id);

  // Longest path over the forward edges (Kahn's order).
  const forward = usable.filter((e) => !back.has(e));
  const pending = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const e of forward) pending.set(e.target, (pending.get(e.target) ?? 0) + 1);
  const layer = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  const queue = nodeIds.filter((id) => pending.get(id) === 0);
  const forwardOut = new Map<string, LayoutEdge[]>(nodeIds.map((id) => [id, []]));
  for (const e of forward) forwardOut.get(e.source)?.push(e);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of forwardOut.get(id) ?? []) {
      layer.set(e.target, Math.max(layer.get(e.target) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (pending.get(e.target) ?? 1) - 1;
      pending.set(e.target, left);
      if (left === 0) queue.push(e.target);
    }
  }

  // Rows: parents' rows (nudged by port position) decide the order, discovery order breaks ties.
  const columns = new Map<number, string[]>();
  for (const id of nodeIds) {
    const l = layer.get(id) ?? 0;
    columns.set(l, [...(columns.get(l) ?? []), id]);
  }
  const row = new Map<string, number>();
  const incoming = new Map<string, LayoutEdge[]>(nodeIds.map((id) => [id, []]));
  for (const e of forward) incoming.get(e.target)?.push(e);
  for (const l of [...columns.keys()].sort((a, b) => a - b)) {
    const ids = columns.get(l) as string[];
    const weight = (id: string) => {
      const parents = (incoming.get(id) ?? []).filter((e) => row.has(e.source));
      if (parents.length === 0) return discovery.get(id) ?? 0;
      const sum = parents.reduce(
        (s, e) => s + (row.get(e.source) as number) + portIndex(e) / (portOrder(e.source).length + 1),
        0,
      );
      return sum / parents.length;
    };
    const weights = new Map(ids.map((id) => [id, weight(id)]));
    ids.sort(
      (a, b) =>
        (weights.get(a) as number) - (weights.get(b) as number) || (discovery.get(a) ?? 0) - (discovery.get(b) ?? 0),
    );
    ids.forEach((id, i) => row.set(id, i));
  }

  // Each column is as wide as its widest card; its cards stack around y = 0.
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const l of [...columns.keys()].sort((a, b) => a - b)) {
    const ids = columns.get(l) as string[];
    const sizes = ids.map(sizeOf);
    const height = sizes.reduce((h, s) => h + s.height, 0) + ROW_GAP * (ids.length - 1);
    let y = -height / 2;
    ids.forEach((id, i) => {
      positions.set(id, { x, y });
      y += sizes[i].height + ROW_GAP;
    });
    x += Math.max(...sizes.map((s) => s.width)) + COLUMN_GAP;
  }
  return positions;
}
