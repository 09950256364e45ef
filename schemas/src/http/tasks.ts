// The staff inbox: tasks journeys create for a person (docs/api.md § The staff inbox).
import { z } from 'zod';
import { TaskKind } from '../task-kind.ts';
import { Limit, Timestamp } from './common.ts';

export const taskStates = ['open', 'claimed', 'done', 'dismissed'] as const;
export const TaskState = z.enum(taskStates);
export type TaskState = z.infer<typeof TaskState>;
export const TaskAssignee = z.enum(['customer_service', 'shop_owner']);

/** `(due_at, id)` of the last task of a page, as `<epoch µs>.<id>`: the next page starts after it. */
export const TaskCursor = z.string().regex(/^\d{1,18}\.\d{1,18}$/, 'a cursor is the `next` of an earlier page');

export const TaskListQuery = z.strictObject({
  state: TaskState.optional(),
  kind: TaskKind.optional(),
  assignee: TaskAssignee.optional(),
  cursor: TaskCursor.optional(),
  limit: Limit,
});
export type TaskListQuery = z.input<typeof TaskListQuery>;

export const Task = z.object({
  id: z.number(),
  kind: TaskKind,
  state: TaskState,
  assignee: TaskAssignee,
  title: z.string(),
  instructions: z.string(),
  dueAt: Timestamp,
  /** Due before now and still open or claimed. */
  overdue: z.boolean(),
  createdAt: Timestamp,
  customer: z.object({
    id: z.number(),
    nickname: z.string().nullable(),
    /** Masked (****5678) unless the caller's role holds `customers.phone`. */
    phone: z.string().nullable(),
  }),
  order: z
    .object({ id: z.number(), externalId: z.string().nullable(), amount: z.number(), status: z.string() })
    .nullable(),
  journey: z.object({ id: z.string(), name: z.string() }).nullable(),
  runId: z.string().nullable(),
  nodeId: z.string(),
  claimedBy: z.string().nullable(),
  claimedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  outcome: z.string().nullable(),
  dismissedAt: Timestamp.nullable(),
  dismissReason: z.string().nullable(),
});
export type Task = z.infer<typeof Task>;

export const TaskPage = z.object({ tasks: z.array(Task), next: z.string().nullable() });
export type TaskPage = z.infer<typeof TaskPage>;

const StateCounts = z.object({ open: z.int(), claimed: z.int(), done: z.int(), dismissed: z.int() });
export const TaskCounts = z.object({
  states: StateCounts,
  /** Per kind that has tasks. */
  kinds: z.record(z.string(), StateCounts),
  /** Open or claimed and past due. */
  overdue: z.int(),
});
export type TaskCounts = z.infer<typeof TaskCounts>;

export const TaskParams = z.strictObject({ id: z.string() });
export const CompleteTaskBody = z.strictObject({ outcome: z.string().trim().min(1).max(500) });
export type CompleteTaskRequest = z.input<typeof CompleteTaskBody>;
export const DismissTaskBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });
export type DismissTaskRequest = z.input<typeof DismissTaskBody>;

export const TaskChannelName = z.enum(['none', 'sms', 'webhook']);
/** https only, as the webhook node's URL. */
const WebhookUrl = z.url({ protocol: /^https$/ }).max(500);
export const TaskKindNotification = z.strictObject({
  channel: TaskChannelName,
  webhookUrl: WebhookUrl.optional().describe('Required with channel webhook'),
});
export const TaskNotifications = z.object({
  /** The shop owner's mobile (E.164), where `sms` notifications go. */
  ownerPhone: z.string().nullable(),
  kinds: z.record(TaskKind, z.object({ channel: TaskChannelName, webhookUrl: z.string().nullable() })),
});
export type TaskNotifications = z.infer<typeof TaskNotifications>;
export const UpdateTaskNotificationsBody = z.strictObject({
  ownerPhone: z.string().max(40).nullable().optional().describe('A mobile; null clears it'),
  kinds: z.partialRecord(TaskKind, TaskKindNotification).optional(),
});
export type UpdateTaskNotificationsRequest = z.input<typeof UpdateTaskNotificationsBody>;
