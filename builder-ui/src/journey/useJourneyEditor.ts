import { useCallback, useRef } from 'react';
import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import { applyEdgeChanges, applyNodeChanges, useReactFlow, useStoreApi } from '@xyflow/react';
import type { JourneyGraphInput, JourneySettingsInput, NodeTypeId } from '@huitou/schemas';
import { nodeTypeOf } from '@huitou/schemas';
import { nodeBox, useReadableFit } from '../canvas/useReadableFit.ts';
import { READABLE_ZOOM } from '../canvas/viewport.ts';
import type { Lang } from '../i18n.ts';
import type { Clip } from './clipboard.ts';
import { copySelection, pasteClip } from './clipboard.ts';
import { useHistory } from './history.ts';
import { DEFAULT_NODE_SIZE, layeredLayout } from './layout.ts';
import type { FlowEdge, FlowNode, JourneyDoc } from './model.ts';
import { createNode, fromGraph, makeEdge, portsOf } from './model.ts';
import { freePort, placeNewNode } from './placement.ts';

/** Every edit the builder can make to the draft, each one undoable. */
export function useJourneyEditor(initial: () => JourneyDoc, lang: Lang) {
  const history = useHistory(initial);
  const { commit, transient } = history;
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const store = useStoreApi<FlowNode, FlowEdge>();
  const clipboard = useRef<{ clip: Clip; pastes: number } | null>(null);
  const readableFit = useReadableFit();

  const fitSoon = useCallback(() => {
    // After React has rendered (and React Flow measured) the new nodes.
    setTimeout(() => readableFit({ duration: 250 }), 60);
  }, [readableFit]);

  /** Pans (keeping the zoom) so the card just added, now the selected one, comes into view if off screen. */
  const revealSelectedSoon = useCallback(
    () =>
      setTimeout(() => {
        const node = flow.getNodes().find((n) => n.selected);
        if (!node) return;
        const box = nodeBox(node);
        const { width, height } = store.getState();
        const { x, y, zoom } = flow.getViewport();
        const left = box.x * zoom + x;
        const top = box.y * zoom + y;
        if (left >= 0 && top >= 0 && left + box.width * zoom <= width && top + box.height * zoom <= height) return;
        void flow.setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom, duration: 250 });
      }, 60),
    [flow, store],
  );

  // Removals arrive through deleteSelection (one undo step for nodes and their edges).
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) =>
      transient((d) => ({
        ...d,
        nodes: applyNodeChanges(
          changes.filter((c) => c.type !== 'remove'),
          d.nodes,
        ),
      })),
    [transient],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) =>
      transient((d) => ({
        ...d,
        edges: applyEdgeChanges(
          changes.filter((c) => c.type !== 'remove'),
          d.edges,
        ),
      })),
    [transient],
  );

  /** A port feeds exactly one node: connecting it again replaces its edge. */
  const onConnect = useCallback(
    (c: Connection) => {
      const port = c.sourceHandle;
      if (!port) return;
      commit((d) => ({
        ...d,
        edges: [
          ...d.edges.filter((e) => !(e.source === c.source && e.sourceHandle === port)),
          makeEdge(c.source, port, c.target),
        ],
      }));
    },
    [commit],
  );

  const onNodeDragStart = useCallback(() => history.checkpoint(), [history]);

  /**
   * A dropped node lands where it was dropped. A clicked one goes after the selected node (connected
   * from its first free port) or, with nothing selected, after the end of the flow; never on a card.
   */
  const addNode = useCallback(
    (type: NodeTypeId, position?: { x: number; y: number }) => {
      // An empty canvas: the first card goes near the left of what the user sees, half way down.
      const pane = store.getState().domNode?.getBoundingClientRect();
      const start = pane
        ? flow.screenToFlowPosition({ x: pane.left + 60, y: pane.top + pane.height / 2 - 60 })
        : { x: 0, y: 0 };
      commit((d) => {
        const from = d.nodes.filter((n) => n.selected);
        const after = from.length === 1 ? from[0] : undefined;
        const at =
          position ?? placeNewNode(d.nodes.map(nodeBox), after ? nodeBox(after) : null, DEFAULT_NODE_SIZE, start);
        const node = { ...createNode(type, at, new Set(d.nodes.map((n) => n.id)), lang), selected: true };
        const port =
          after && !position && nodeTypeOf(type).category !== 'entry'
            ? freePort(portsOf(after.data), d.edges, after.id)
            : null;
        return {
          ...d,
          nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          edges: after && port ? [...d.edges, makeEdge(after.id, port, node.id)] : d.edges,
        };
      });
      if (!position) revealSelectedSoon();
    },
    [commit, flow, store, lang, revealSelectedSoon],
  );

  const deleteSelection = useCallback(() => {
    commit((d) => {
      const gone = new Set(d.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = d.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (gone.size === 0 && edges.length === d.edges.length) return d;
      return { ...d, nodes: d.nodes.filter((n) => !gone.has(n.id)), edges };
    });
  }, [commit]);

  const deleteNode = useCallback(
    (id: string) =>
      commit((d) => ({
        ...d,
        nodes: d.nodes.filter((n) => n.id !== id),
        edges: d.edges.filter((e) => e.source !== id && e.target !== id),
      })),
    [commit],
  );

  const updateNode = useCallback(
    (id: string, update: (data: FlowNode['data']) => FlowNode['data'], key: string) =>
      commit((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, data: update(n.data) } : n)) }), key),
    [commit],
  );

  const updateConfig = useCallback(
    (id: string, field: string, value: unknown) =>
      updateNode(
        id,
        (data) => {
          const config = { ...data.config };
          if (value === undefined) delete config[field];
          else config[field] = value;
          return { ...data, config };
        },
        `config:${id}:${field}`,
      ),
    [updateNode],
  );

  const updateLabel = useCallback(
    (id: string, label: string | undefined) =>
      updateNode(
        id,
        (data) => {
          const { label: _old, ...rest } = data;
          return label === undefined ? rest : { ...rest, label };
        },
        `label:${id}`,
      ),
    [updateNode],
  );

  const updateSettings = useCallback(
    (update: (s: JourneySettingsInput) => JourneySettingsInput, key: string) =>
      commit((d) => ({ ...d, settings: update(d.settings) }), key),
    [commit],
  );

  const rename = useCallback((name: string) => commit((d) => ({ ...d, name }), 'name'), [commit]);

  const copy = useCallback(() => {
    const clip = copySelection(history.present.nodes, history.present.edges);
    if (clip) clipboard.current = { clip, pastes: 0 };
  }, [history.present]);

  const paste = useCallback(() => {
    const held = clipboard.current;
    if (!held) return;
    held.pastes += 1;
    const times = held.pastes;
    commit((d) => {
      const pasted = pasteClip(held.clip, new Set(d.nodes.map((n) => n.id)), times);
      return {
        ...d,
        nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
        edges: [...d.edges, ...pasted.edges],
      };
    });
  }, [commit]);

  const autoLayout = useCallback(() => {
    commit((d) => {
      const byId = new Map(d.nodes.map((n) => [n.id, n]));
      const positions = layeredLayout(
        d.nodes.map((n) => n.id),
        d.edges.map((e) => ({ source: e.source, target: e.target, port: e.sourceHandle ?? 'out' })),
        (id) => {
          const node = byId.get(id);
          return node ? portsOf(node.data) : [];
        },
        (id) => {
          const node = byId.get(id);
          return node ? nodeBox(node) : DEFAULT_NODE_SIZE;
        },
      );
      return { ...d, nodes: d.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
    });
    fitSoon();
  }, [commit, fitSoon]);

  const selectNode = useCallback(
    (id: string) => {
      transient((d) => ({
        ...d,
        nodes: d.nodes.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id })),
        edges: d.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      }));
      void flow.fitView({ nodes: [{ id }], minZoom: READABLE_ZOOM, maxZoom: 1.1, duration: 250, padding: 0.6 });
    },
    [transient, flow],
  );

  const fitView = useCallback(() => readableFit({ duration: 250 }), [readableFit]);

  /** A template or blank journey becomes the draft: one undo step. */
  const replaceWith = useCallback(
    (graph: JourneyGraphInput) => {
      commit(() => fromGraph(graph));
      fitSoon();
    },
    [commit, fitSoon],
  );

  return {
    doc: history.present,
    history,
    onNodesChange,
    onEdgesChange,
    onConnect,
    onNodeDragStart,
    addNode,
    deleteSelection,
    deleteNode,
    updateConfig,
    updateLabel,
    updateSettings,
    rename,
    copy,
    paste,
    autoLayout,
    selectNode,
    replaceWith,
    fitView,
  };
}

export type JourneyEditor = ReturnType<typeof useJourneyEditor>;
