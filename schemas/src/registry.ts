import type { z } from 'zod';
import type { LocalizedText } from './i18n.ts';
import { text } from './i18n.ts';
import type { NodeCategory, NodeType } from './node-type.ts';
import { actionCoupon, actionSms, actionTag, actionTask, actionWebhook } from './nodes/actions.ts';
import { entryAudience, entryDate, entryEvent } from './nodes/entries.ts';
import { evalCheckpoint, exitNode } from './nodes/evaluation.ts';
import { loopRepeat } from './nodes/loop.ts';
import { actionEmail } from './nodes/email.ts';
import { actionPoints } from './nodes/points.ts';
import { splitRandom, splitSegment } from './nodes/splits.ts';
import { waitDelay, waitEvent, waitWindow } from './nodes/waits.ts';

/** Every node type, keyed by its stable id. Adding a node type = one definition + one line here. */
export const nodeTypes = {
  'entry.audience': entryAudience,
  'entry.event': entryEvent,
  'entry.date': entryDate,
  'wait.delay': waitDelay,
  'wait.window': waitWindow,
  'wait.event': waitEvent,
  'split.segment': splitSegment,
  'split.random': splitRandom,
  'loop.repeat': loopRepeat,
  'action.sms': actionSms,
  'action.coupon': actionCoupon,
  'action.task': actionTask,
  'action.tag': actionTag,
  'action.webhook': actionWebhook,
  'action.points': actionPoints,
  'action.email': actionEmail,
  'eval.checkpoint': evalCheckpoint,
  exit: exitNode,
} as const;

export type NodeTypeId = keyof typeof nodeTypes;
export type NodeTypeDef<T extends NodeTypeId> = (typeof nodeTypes)[T];
export type NodeConfig<T extends NodeTypeId> = z.infer<NodeTypeDef<T>['config']>;
export type NodeConfigInput<T extends NodeTypeId> = z.input<NodeTypeDef<T>['config']>;
/** The activity a node of type T runs over its member set (a literal name), or null. */
export type NodeActivity<T extends NodeTypeId> = NodeTypeDef<T>['activity'];
/** Every activity a registered node type names: the workflows check each is a journey activity. */
export type NodeActivityName = Exclude<NodeActivity<NodeTypeId>, null>;
/** What the compiler stores for a node of type T in the ExecutionPlan. */
export type NodeParams<T extends NodeTypeId> = ReturnType<NodeTypeDef<T>['lower']>;

export const nodeTypeIds = Object.keys(nodeTypes) as [NodeTypeId, ...NodeTypeId[]];

export type EntryTypeId = Extract<NodeTypeId, `entry.${string}`>;

export function isNodeTypeId(id: string): id is NodeTypeId {
  return Object.prototype.hasOwnProperty.call(nodeTypes, id);
}

/** The definition behind an id, with its precise types erased (for generic code). */
export function nodeTypeOf(id: NodeTypeId): NodeType {
  return nodeTypes[id] as unknown as NodeType;
}

/** Activities the worker must register for the node types (names only; activities/ implements them). */
export const activityNames: readonly NodeActivityName[] = [
  ...new Set(
    nodeTypeIds
      .map((id): NodeActivity<NodeTypeId> => nodeTypes[id].activity)
      .filter((a): a is NodeActivityName => a !== null),
  ),
].sort();

export const categoryLabels: Record<NodeCategory, LocalizedText> = {
  entry: text('入口', 'Entries'),
  wait: text('等待', 'Waits'),
  split: text('分支', 'Splits'),
  loop: text('循环', 'Loops'),
  action: text('动作', 'Actions'),
  evaluation: text('评估', 'Evaluation'),
  exit: text('结束', 'Exit'),
};

export interface PaletteEntry {
  readonly type: NodeTypeId;
  readonly label: LocalizedText;
  readonly description: LocalizedText;
  readonly icon: string;
}

/** The builder palette, grouped by category in a fixed order. */
export function palette(): Array<{ category: NodeCategory; label: LocalizedText; types: PaletteEntry[] }> {
  return (Object.keys(categoryLabels) as NodeCategory[]).map((category) => ({
    category,
    label: categoryLabels[category],
    types: nodeTypeIds
      .filter((id) => nodeTypes[id].category === category)
      .map((id) => ({
        type: id,
        label: nodeTypes[id].label,
        description: nodeTypes[id].description,
        icon: nodeTypes[id].icon,
      })),
  }));
}
