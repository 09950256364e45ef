import type { DragEvent } from 'react';
import { useCallback } from 'react';
import type { Connection, EdgeChange, IsValidConnection, NodeChange, NodeTypes } from '@xyflow/react';
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { NodeTypeId } from '@huitou/schemas';
import { isNodeTypeId, nodeTypeOf } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { DEFAULT_NODE_SIZE } from '../journey/layout.ts';
import type { FlowEdge, FlowNode } from '../journey/model.ts';
import { JourneyNodeView } from './JourneyNodeView.tsx';
import { DRAG_MIME } from './Palette.tsx';
import { usePersistentFlag } from './usePersistentFlag.ts';

const nodeTypes: NodeTypes = { journey: JourneyNodeView };

/**
 * From this many cards only those in view are rendered (a 300-node journey stays fluid). Below it
 * every card is rendered and measured: auto layout and placement read real sizes, and the live
 * counts of cards scrolled out of view (the canvas opens readable, not fitted) are still there.
 */
const VIRTUALIZE_FROM = 120;

/** Minimap colours per category, matching the node cards' accents. */
const categoryColors: Record<string, string> = {
  entry: '#2563eb',
  wait: '#d97706',
  split: '#7c3aed',
  loop: '#0891b2',
  action: '#059669',
  evaluation: '#db2777',
  exit: '#64748b',
};

export interface CanvasProps {
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
  readonly readOnly: boolean;
  readonly onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  readonly onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  readonly onConnect: (connection: Connection) => void;
  readonly onNodeDragStart: () => void;
  readonly onDropType: (type: NodeTypeId, position: { x: number; y: number }) => void;
}

export function Canvas(props: CanvasProps) {
  const { t } = useI18n();
  const { screenToFlowPosition } = useReactFlow();
  const { nodes, readOnly, onDropType } = props;
  const [minimapOpen, toggleMinimap] = usePersistentFlag('huitou.canvas.minimap', true);

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (readOnly || !isNodeTypeId(type)) return;
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Drop point = the card's centre rather than its corner.
      onDropType(type, { x: point.x - DEFAULT_NODE_SIZE.width / 2, y: point.y - DEFAULT_NODE_SIZE.height / 2 });
    },
    [readOnly, screenToFlowPosition, onDropType],
  );

  // Entries take no input, a node never feeds itself, and a port feeds one node (onConnect replaces).
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c) => {
      if (c.source === c.target) return false;
      const target = nodes.find((n) => n.id === c.target);
      return target !== undefined && nodeTypeOf(target.data.type).category !== 'entry';
    },
    [nodes],
  );

  return (
    <div className="canvas" onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
      <ReactFlow<FlowNode, FlowEdge>
        nodes={props.nodes}
        edges={props.edges}
        nodeTypes={nodeTypes}
        onNodesChange={props.onNodesChange}
        onEdgesChange={props.onEdgesChange}
        onConnect={props.onConnect}
        onNodeDragStart={props.onNodeDragStart}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length >= VIRTUALIZE_FROM}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        {minimapOpen && (
          <MiniMap
            pannable
            zoomable
            style={{ width: 168, height: 108 }}
            nodeColor={(n) => categoryColors[nodeTypeOf((n as FlowNode).data.type).category] ?? '#94a3b8'}
            nodeStrokeWidth={2}
          />
        )}
        <Controls showInteractive={false} />
      </ReactFlow>
      <button
        type="button"
        className={`minimap-toggle ${minimapOpen ? 'is-open' : ''}`}
        onClick={toggleMinimap}
        title={minimapOpen ? t('minimapHide') : t('minimapShow')}
        aria-label={minimapOpen ? t('minimapHide') : t('minimapShow')}
        aria-pressed={minimapOpen}
        data-testid="minimap-toggle"
      >
        {minimapOpen ? '▾' : '▴'} ▦
      </button>
      {props.nodes.length === 0 && <div className="canvas-empty">{t('emptyCanvas')}</div>}
      {!readOnly && <div className="statusbar">{t('shortcutsHint')}</div>}
    </div>
  );
}
