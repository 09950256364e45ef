// What a staff task asks for (the inbox groups, counts and notifies by it). One definition for the
// task node's config, the activity that writes staff_tasks, the API and the builder.
import { z } from 'zod';
import { text } from './i18n.ts';

export const taskKinds = ['large_order_call', 'review_alert', 'replenishment_call', 'follow_up', 'other'] as const;
export const TaskKind = z.enum(taskKinds);
export type TaskKind = z.infer<typeof TaskKind>;

export const taskKindLabels: Readonly<Record<TaskKind, ReturnType<typeof text>>> = {
  large_order_call: text('大额订单致电', 'Large-order call'),
  review_alert: text('中评提醒', 'Review alert'),
  replenishment_call: text('复购回访', 'Replenishment call'),
  follow_up: text('回访', 'Follow-up'),
  other: text('其他', 'Other'),
};

/**
 * The kind of a task whose node names none (plans published before the node had a kind): the
 * templates' task nodes by id, else `other`. Migration 085 applies the same map to existing rows.
 */
const templateNodeKinds: Readonly<Record<string, TaskKind>> = {
  call_buyer: 'large_order_call',
  alert_owner: 'review_alert',
};

export function taskKindOf(nodeId: string, configured: TaskKind | undefined): TaskKind {
  return configured ?? templateNodeKinds[nodeId] ?? 'other';
}
