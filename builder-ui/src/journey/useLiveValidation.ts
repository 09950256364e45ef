import { useMemo, useRef } from 'react';
import type { GraphError } from '@huitou/schemas';
import { validateJourney } from '@huitou/schemas';
import type { JourneyDoc } from './model.ts';
import { toGraph } from './model.ts';
import { problemText } from '../messages.ts';
import { useShopCategories } from './useShopCategories.ts';

export interface LiveValidation {
  readonly errors: readonly GraphError[];
  readonly byNode: ReadonlyMap<string, readonly GraphError[]>;
}

/** Returns the previous array while the items are the same, so memos ignore drags and selection. */
function useShallowStable<T>(items: readonly T[]): readonly T[] {
  const ref = useRef(items);
  const prev = ref.current;
  if (prev.length !== items.length || prev.some((x, i) => x !== items[i])) ref.current = items;
  return ref.current;
}

/**
 * The shared compiler, run in the browser on every meaningful edit: the same validateJourney the
 * API runs at publish, its problems worded plainly (messages.ts). Node moves and selection do not re-run it.
 */
export function useLiveValidation(doc: JourneyDoc): LiveValidation {
  const nodeParts = useShallowStable(doc.nodes.flatMap((n) => [n.id, n.data]));
  const edgeParts = useShallowStable(doc.edges.flatMap((e) => [e.source, e.sourceHandle ?? 'out', e.target]));
  const { name, settings } = doc;
  // Category keys are checked against the shop's list once it is known (as publish does).
  const shopCategories = useShopCategories();
  // The closure's doc is the one of the render where a dependency changed: exactly what to check.
  return useMemo(() => {
    const result = validateJourney(
      toGraph(doc),
      shopCategories ? { categories: shopCategories.map((c) => c.key) } : {},
    );
    // The compiler's own texts name keys and codes; every consumer shows these plain words instead.
    const dataById = new Map(doc.nodes.map((n) => [n.id, n.data]));
    const context = { node: (id: string) => dataById.get(id) };
    const errors = result.errors.map((error) => ({ ...error, message: problemText(error, context) }));
    const byNode = new Map<string, GraphError[]>();
    for (const error of errors) {
      if (error.nodeId === undefined) continue;
      byNode.set(error.nodeId, [...(byNode.get(error.nodeId) ?? []), error]);
    }
    return { errors, byNode };
  }, [nodeParts, edgeParts, name, settings, shopCategories]);
}
