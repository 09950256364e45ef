import type { FlowEdge, FlowNode } from './model.ts';
import { makeEdge, newNodeId } from './model.ts';

const PASTE_OFFSET = 40;

export interface Clip {
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
}

/** The selected nodes and the edges between them. */
export function copySelection(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: structuredClone(picked),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/** Copies of the clip's nodes with fresh ids, shifted and selected, with their inner edges re-pointed. */
export function pasteClip(clip: Clip, taken: ReadonlySet<string>, times: number): Clip {
  const used = new Set(taken);
  const renamed = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = newNodeId(n.data.type, used);
    used.add(id);
    renamed.set(n.id, id);
    const shift = PASTE_OFFSET * times;
    return {
      ...structuredClone(n),
      id,
      selected: true,
      position: { x: n.position.x + shift, y: n.position.y + shift },
    };
  });
  const edges = clip.edges.map((e) =>
    makeEdge(renamed.get(e.source) as string, e.sourceHandle ?? 'out', renamed.get(e.target) as string),
  );
  return { nodes, edges };
}
