import type { z } from 'zod';
import type { LocalizedText } from './i18n.ts';

/** A problem in a journey graph, in a shape the builder can pin to a node and a field. */
export interface GraphError {
  readonly code: GraphErrorCode;
  readonly nodeId?: string;
  /** Where in the graph JSON, e.g. ['nodes', 3, 'config', 'template']. */
  readonly path: readonly (string | number)[];
  readonly message: LocalizedText;
  /** The values filled into the message (and, for schema problems, the zod issue's facts), so a UI can word it anew. */
  readonly params?: Params;
}

type Params = Readonly<Record<string, string | number>>;
type Message = (p: Params) => LocalizedText;

const m =
  (zh: string, en: string): Message =>
  (p) => ({ zh: fill(zh, p), en: fill(en, p) });

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export const graphErrorMessages = {
  SCHEMA_INVALID: m('旅程格式无效（{where}）：{detail}', 'Invalid journey ({where}): {detail}'),
  UNKNOWN_NODE_TYPE: m('未知的节点类型', 'Unknown node type'),
  NODE_CONFIG_INVALID: m('节点配置无效（{where}）：{detail}', 'Invalid node configuration ({where}): {detail}'),
  DUPLICATE_NODE_ID: m('节点编号重复：{id}', 'Duplicate node id: {id}'),
  EDGE_UNKNOWN_NODE: m('连线指向不存在的节点：{id}', 'Edge refers to a missing node: {id}'),
  EDGE_UNKNOWN_PORT: m('节点没有输出端口“{port}”', 'The node has no output port "{port}"'),
  PORT_MULTIPLY_CONNECTED: m(
    '输出端口“{port}”连接了多个节点；每个端口只能连一条线',
    'Output port "{port}" has several edges; a port takes exactly one',
  ),
  ENTRY_MISSING: m('旅程需要一个入口节点', 'The journey needs one entry node'),
  ENTRY_MULTIPLE: m('旅程只能有一个入口节点', 'The journey can have only one entry node'),
  ENTRY_HAS_INCOMING: m('入口节点不能有输入连线', 'An entry node cannot have incoming edges'),
  NODE_UNREACHABLE: m('该节点无法从入口到达', 'This node cannot be reached from the entry'),
  PORT_UNCONNECTED: m('输出端口“{port}”未连接', 'Output port "{port}" is not connected'),
  CYCLE_OUTSIDE_REPEAT: m(
    '旅程中出现循环；循环只能通过“重复”节点',
    'The journey loops; cycles are only allowed through a repeat node',
  ),
  LOOP_BODY_NOT_RETURNING: m(
    '重复节点的循环体没有连回该节点',
    'The repeat body never connects back to its repeat node',
  ),
  LOOP_BODY_ENTERED_FROM_OUTSIDE: m('循环体外的节点连入了循环体', 'A node outside the repeat body connects into it'),
  WAIT_EVENT_UNCORRELATED: m(
    '无法关联事件“{event}”：只有事件触发的旅程才能按触发订单等待后续事件',
    'Event "{event}" cannot be correlated: only event-triggered journeys can wait for later events on their trigger key',
  ),
  WAIT_EVENT_IS_TRIGGER: m(
    '“{event}”就是触发本旅程的事件，同一订单不会再次发生',
    '"{event}" is the event that started this run; it cannot happen again for the same order',
  ),
  TEMPLATE_SYNTAX: m(
    '短信模板语法错误（第 {offset} 个字符）：{reason}',
    'SMS template syntax error at character {offset}: {reason}',
  ),
  TEMPLATE_UNKNOWN_VARIABLE: m('未知的短信变量 {{name}}', 'Unknown SMS variable {{name}}'),
  TEMPLATE_NEEDS_COUPON: m(
    '变量 {{name}} 需要在每条到达此短信的路径上先发优惠券',
    'Variable {{name}} needs a coupon issued earlier on every path to this SMS',
  ),
  TEMPLATE_NEEDS_LINK: m(
    '变量 {{name}} 需要在设置中填写店铺短链接',
    'Variable {{name}} needs the shop link in the journey settings',
  ),
  TEMPLATE_NEEDS_TRIGGER_ORDER: m(
    '变量 {{name}} 需要触发订单，只能用在事件触发的旅程中',
    'Variable {{name}} needs a trigger order, which only event-triggered journeys have',
  ),
  SMS_NOTIFICATION_PROMOTION: m(
    '通知类短信不能包含营销内容（{{name}}）',
    'Notification SMS may not carry promotions ({{name}})',
  ),
  SMS_SIGNATURE_MISSING: m(
    '旅程发送短信，需要在设置中填写短信签名',
    'The journey sends SMS: set the SMS signature in its settings',
  ),
  SMS_TOO_LONG: m('短信过长：{units} 字，上限 {max} 字', 'SMS too long: {units} characters, at most {max}'),
  RANDOM_SPLIT_SUM: m('随机分流各组比例之和为 {sum}%，应为 100%', 'Random split arms add up to {sum}%, not 100%'),
  DUPLICATE_PORT_KEY: m('分支标识重复：{key}', 'Duplicate branch key: {key}'),
  CHECKPOINT_ANCHOR_UNKNOWN: m('评估的起算节点不存在：{id}', 'Checkpoint anchor does not exist: {id}'),
  CHECKPOINT_ANCHOR_NOT_UPSTREAM: m(
    '评估的起算节点 {id} 必须位于评估节点上游的每条路径上',
    'Checkpoint anchors must lie upstream on every path to the checkpoint ({id})',
  ),
  CHECKPOINT_ANCHOR_SCOPE: m(
    '评估的起算节点 {id} 与评估节点不在同一个循环中',
    'Checkpoint anchor {id} is not in the same repeat loop as the checkpoint',
  ),
  CONDITION_NEEDS_CYCLE: m(
    '条件使用“本轮开始以来”，只能用在重复节点的循环体内',
    'The condition uses "since the cycle began", which only exists inside a repeat body',
  ),
  CONDITION_NEEDS_TRIGGER_ORDER: m(
    '条件引用触发订单，只能用在事件触发的旅程中',
    'The condition refers to the trigger order, which only event-triggered journeys have',
  ),
  CATEGORY_UNKNOWN: m('品类“{key}”不在店铺的品类列表中', 'Category "{key}" is not one of the shop\'s categories'),
  SAVED_SEGMENT_UNKNOWN: m('人群 {segmentId} 不存在', 'Saved segment {segmentId} does not exist'),
  SAVED_SEGMENT_ARCHIVED: m(
    '人群 {segmentId} 已归档，请换用其他人群',
    'Saved segment {segmentId} is archived; pick another segment',
  ),
  COUPON_POOL_UNKNOWN: m(
    '券码池“{pool}”不存在，请先导入券码',
    'There is no coupon pool "{pool}"; import its codes first',
  ),
  COUPON_POOL_VALUE: m(
    '券码池“{pool}”的券面额为 {value} 元，面额须与之一致',
    'The codes of pool "{pool}" are worth {value} yuan; the amount must be the same',
  ),
  JOURNEY_TOO_LONG: m(
    '旅程最长持续 {days} 天，超过上限 {max} 天',
    'The journey can last {days} days, more than the {max}-day limit',
  ),
  INTERNAL_ERROR: m('内部错误：{detail}', 'Internal error: {detail}'),
} as const satisfies Record<string, Message>;

export type GraphErrorCode = keyof typeof graphErrorMessages;

export function graphError(
  code: GraphErrorCode,
  path: readonly (string | number)[],
  params: Params = {},
  nodeId?: string,
): GraphError {
  const message = graphErrorMessages[code](params);
  const withParams = Object.keys(params).length > 0 ? { params } : {};
  return nodeId === undefined ? { code, path, message, ...withParams } : { code, nodeId, path, message, ...withParams };
}

/**
 * Where a zod issue lies, as plain keys. An unknown key is reported at the key itself, not at the
 * object holding it, so the builder and API clients can point at the field to remove.
 */
export function issuePath(issue: {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly keys?: readonly string[];
}): (string | number)[] {
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  return issue.code === 'unrecognized_keys' && issue.keys?.length ? [...path, issue.keys[0]] : path;
}

/**
 * A zod issue's facts as flat message params (issue code, expected type, bounds, allowed values),
 * so the builder can say it in plain words instead of zod's English.
 */
export function issueParams(issue: z.core.$ZodIssue): Params {
  const out: Record<string, string | number> = { issue: issue.code };
  // zod keeps no input on the issue by default; its message is the only sign the field was left empty.
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) out.missing = 1;
  const facts = issue as unknown as Record<string, unknown>;
  for (const key of ['expected', 'origin', 'format', 'minimum', 'maximum', 'divisor'] as const) {
    const v = facts[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = v;
    else if (typeof v === 'bigint') out[key] = Number(v);
  }
  if (typeof facts.inclusive === 'boolean') out.inclusive = facts.inclusive ? 1 : 0;
  for (const key of ['values', 'keys'] as const) {
    const v = facts[key];
    if (Array.isArray(v)) out[key] = v.map(String).join('|');
  }
  return out;
}
