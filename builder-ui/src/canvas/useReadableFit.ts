import { useCallback } from 'react';
import type { Node } from '@xyflow/react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { nodeTypeOf } from '@huitou/schemas';
import type { Box } from '../journey/layout.ts';
import { DEFAULT_NODE_SIZE } from '../journey/layout.ts';
import type { FlowNode } from '../journey/model.ts';
import { readableViewport } from './viewport.ts';

/** A node's box on the canvas: measured when React Flow has rendered it, else the usual card size. */
export function nodeBox(n: Node): Box {
  return {
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? n.width ?? DEFAULT_NODE_SIZE.width,
    height: n.measured?.height ?? n.height ?? DEFAULT_NODE_SIZE.height,
  };
}

function union(boxes: readonly Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * "Fit" that never zooms below a readable size (canvas/viewport.ts): the editor, a published
 * version, the monitor and the journey report all open with it.
 */
export function useReadableFit(): (options?: { duration?: number }) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (options = {}) => {
      const nodes = flow.getNodes() as FlowNode[];
      const { width, height } = store.getState();
      if (nodes.length === 0 || width === 0 || height === 0) return;
      const boxes = nodes.map(nodeBox);
      const entries = nodes
        .map((n, i) => ({ n, box: boxes[i] }))
        .filter(({ n }) => n.data?.type !== undefined && nodeTypeOf(n.data.type).category === 'entry')
        .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
      const viewport = readableViewport(union(boxes), entries[0]?.box ?? null, { width, height });
      void flow.setViewport(viewport, { duration: options.duration ?? 0 });
    },
    [flow, store],
  );
}
