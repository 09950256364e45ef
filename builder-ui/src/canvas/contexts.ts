import type { ReactNode } from 'react';
import { createContext, useContext } from 'react';
import type { GraphError } from '@huitou/schemas';

const NO_ERRORS: readonly GraphError[] = [];

/** Validation errors by node id: node views read them here so node data stays pure journey data. */
export const NodeErrorsContext = createContext<ReadonlyMap<string, readonly GraphError[]>>(new Map());
export const ReadOnlyContext = createContext(false);

export function useNodeErrors(nodeId: string): readonly GraphError[] {
  return useContext(NodeErrorsContext).get(nodeId) ?? NO_ERRORS;
}

/** Per-node member counts of the run being monitored; null while editing (no counts shown). */
export interface NodeMemberCount {
  readonly entered: number;
  readonly waiting: number;
  readonly exited: number;
}
export const NodeCountsContext = createContext<ReadonlyMap<string, NodeMemberCount> | null>(null);

/**
 * Extra figures at the foot of each card (e.g. a simulation's per-node results): a render function
 * by node id, null when none. Render them with <NodeFigures> for the cards' large-number look.
 */
export const NodeFooterContext = createContext<((nodeId: string) => ReactNode) | null>(null);
