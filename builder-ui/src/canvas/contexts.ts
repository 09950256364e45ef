import { createContext, createElement, useContext } from 'react';
import type { ReactNode } from 'react';
import type { GraphError } from '@huitou/schemas';
import type { FlowEdge, FlowNode } from '../journey/model.ts';

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

/** Per-node figures of the last simulation (members reached, SMS sent); null before any. */
export interface NodeSimFigures {
  readonly reached: number;
  readonly sent: number | null;
}
export const SimulationFiguresContext = createContext<ReadonlyMap<string, NodeSimFigures> | null>(null);

/** The graph being edited and the node in the inspector: the SMS preview looks upstream for its coupon. */
export interface EditedGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
  readonly nodeId: string | null;
}
export const EditedGraphContext = createContext<EditedGraph | null>(null);

/** The editor's contexts around the canvas and the inspector, in one element. */
export function EditorContexts(props: {
  readOnly: boolean;
  simulated: ReadonlyMap<string, NodeSimFigures> | null;
  edited: EditedGraph;
  children: ReactNode;
}) {
  return createElement(
    ReadOnlyContext.Provider,
    { value: props.readOnly },
    createElement(
      SimulationFiguresContext.Provider,
      { value: props.simulated },
      createElement(EditedGraphContext.Provider, { value: props.edited }, props.children),
    ),
  );
}
