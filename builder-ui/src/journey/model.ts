import type { Edge, Node } from '@xyflow/react';
import type { FormField, JourneyGraphInput, JourneyNodeInput, JourneySettingsInput, NodeTypeId } from '@huitou/schemas';
import { ELSE_PORT, formFields, nodeTypeOf } from '@huitou/schemas';
import type { z } from 'zod';
import type { Lang } from '../i18n.ts';

/** What a canvas node carries: exactly the journey node's own data (rendering state lives in contexts). */
export type JourneyNodeData = {
  type: NodeTypeId;
  config: Record<string, unknown>;
  label?: string;
};
export type FlowNode = Node<JourneyNodeData, 'journey'>;
export type FlowEdge = Edge;

/** The document the builder edits: a journey graph in React Flow's shape. */
export interface JourneyDoc {
  readonly name: string;
  readonly description?: string;
  readonly settings: JourneySettingsInput;
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
}

export function edgeId(source: string, port: string, target: string): string {
  return `e_${source}_${port}_${target}`;
}

export function makeEdge(source: string, port: string, target: string): FlowEdge {
  return { id: edgeId(source, port, target), source, sourceHandle: port, target };
}

export function toGraph(doc: JourneyDoc): JourneyGraphInput {
  return {
    name: doc.name,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    settings: doc.settings,
    nodes: doc.nodes.map(
      (n) =>
        ({
          id: n.id,
          type: n.data.type,
          ...(n.data.label ? { label: n.data.label } : {}),
          position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
          config: n.data.config,
        }) as JourneyNodeInput,
    ),
    edges: doc.edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourceHandle ?? 'out',
      target: e.target,
    })),
  };
}

export function fromGraph(graph: JourneyGraphInput): JourneyDoc {
  return {
    name: graph.name,
    ...(graph.description === undefined ? {} : { description: graph.description }),
    settings: graph.settings ?? {},
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: 'journey',
      position: n.position ?? { x: 0, y: 0 },
      data: {
        type: n.type,
        config: structuredClone(n.config) as Record<string, unknown>,
        ...(n.label ? { label: n.label } : {}),
      },
    })),
    edges: graph.edges.map((e) => makeEdge(e.source, e.sourcePort, e.target)),
  };
}

export function fieldsOf(type: NodeTypeId): FormField[] {
  return formFields(nodeTypeOf(type).config);
}

export function fieldSchema(type: NodeTypeId, key: string): z.ZodType {
  return nodeTypeOf(type).config.shape[key] as z.ZodType;
}

/** Output ports of a node as configured now; a half-edited config may not yield any yet. */
export function portsOf(data: JourneyNodeData): readonly string[] {
  try {
    return nodeTypeOf(data.type).portsOf(data.config as never);
  } catch {
    return [];
  }
}

/**
 * A new node's config: the schema's defaults, plus a starting value for widgets whose empty value
 * could never be valid (so a dropped split already has ports). Keyed by widget, not by node type.
 */
export function defaultConfig(type: NodeTypeId, lang: Lang): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of fieldsOf(type)) {
    const parsed = fieldSchema(type, field.key).safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) {
      config[field.key] = parsed.data;
      continue;
    }
    const starter = widgetStarter(field.hint.widget, lang);
    if (starter !== undefined) config[field.key] = starter;
  }
  return config;
}

function widgetStarter(widget: string, lang: Lang): unknown {
  const zh = lang === 'zh';
  switch (widget) {
    case 'segment':
      return { where: { kind: 'all', of: [] }, exclude: [] };
    case 'duration':
      return { amount: 1, unit: 'days' };
    case 'time_windows':
      return [{ from: '09:00', to: '21:00' }];
    case 'branches':
      return [{ key: 'match', name: zh ? '符合' : 'Match', when: { kind: 'all', of: [] } }];
    case 'arms':
      return [
        { key: 'a', name: zh ? 'A 组' : 'Arm A', percent: 50 },
        { key: 'b', name: zh ? 'B 组' : 'Arm B', percent: 50 },
      ];
    case 'date_rule':
      return { on: 'birthday', daysBefore: 0 };
    default:
      return undefined;
  }
}

/** Short, readable, NodeId-safe ids: sms_1, delay_2... */
export function newNodeId(type: NodeTypeId, taken: ReadonlySet<string>): string {
  const prefix = type.split('.').pop() ?? 'node';
  for (let n = 1; ; n++) {
    const id = `${prefix}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function createNode(
  type: NodeTypeId,
  position: { x: number; y: number },
  taken: ReadonlySet<string>,
  lang: Lang,
): FlowNode {
  return { id: newNodeId(type, taken), type: 'journey', position, data: { type, config: defaultConfig(type, lang) } };
}

export function blankDoc(name: string): JourneyDoc {
  return { name, settings: {}, nodes: [], edges: [] };
}

export { ELSE_PORT };
