import { z } from 'zod';
import { NodeId } from './nodes/shared.ts';
import type { NodeConfig, NodeConfigInput, NodeTypeId } from './registry.ts';
import { nodeTypeIds, nodeTypes } from './registry.ts';
import { JourneySettings } from './settings.ts';

export const Position = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

/** A node as drawn: its type's config schema decides what `config` may hold. */
export type JourneyNode = {
  [T in NodeTypeId]: { id: string; type: T; label?: string; position: { x: number; y: number }; config: NodeConfig<T> };
}[NodeTypeId];
export type JourneyNodeInput = {
  [T in NodeTypeId]: {
    id: string;
    type: T;
    label?: string;
    position?: { x: number; y: number };
    config: NodeConfigInput<T>;
  };
}[NodeTypeId];
export type JourneyNodeOf<T extends NodeTypeId> = Extract<JourneyNode, { type: T }>;

export const JourneyNode = z.discriminatedUnion(
  'type',
  nodeTypeIds.map((type) =>
    z.strictObject({
      id: NodeId,
      type: z.literal(type),
      label: z.string().trim().min(1).max(60).optional(),
      position: Position.default({ x: 0, y: 0 }),
      config: nodeTypes[type].config,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<JourneyNode, JourneyNodeInput>;

/** Members leaving `source` through `sourcePort` go to `target`. */
export const JourneyEdge = z.strictObject({
  id: z.string().max(100).optional(),
  source: NodeId,
  sourcePort: z.string().min(1).max(40),
  target: NodeId,
});
export type JourneyEdge = z.infer<typeof JourneyEdge>;

export const GRAPH_LIMITS = { maxNodes: 1000, maxEdges: 3000 } as const;

export const JourneyGraph = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  name: z.string().trim().min(1).max(80),
  description: z.string().max(500).optional(),
  settings: JourneySettings.prefault({}),
  nodes: z.array(JourneyNode).min(1).max(GRAPH_LIMITS.maxNodes),
  edges: z.array(JourneyEdge).max(GRAPH_LIMITS.maxEdges),
});
export type JourneyGraph = z.infer<typeof JourneyGraph>;
export type JourneyGraphInput = z.input<typeof JourneyGraph>;
