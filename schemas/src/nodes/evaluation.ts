import { z } from 'zod';
import { Duration, durationMs } from '../duration.ts';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { field } from '../ui.ts';
import { NodeId, displayName } from './shared.ts';

/** Report metrics (docs/domain.md § Holdouts and the report), treatment and holdout side by side. */
export const metricIds = [
  'target_customers',
  'sent',
  'delivered',
  'billed_sms',
  'response_rate',
  'buyers',
  'sales',
  'avg_order_value',
  'conversion_rate',
  'cost',
  'roi',
  'lift',
] as const;
export const MetricId = z.enum(metricIds);
export type MetricId = z.infer<typeof MetricId>;

/**
 * Measure the members who passed any anchor node, `offset` after they passed it, against the
 * holdout. A pass-through: members continue at once; the evaluation is a timer of its own.
 */
export const evalCheckpoint = defineNodeType({
  id: 'eval.checkpoint',
  version: 1,
  label: text('效果评估', 'Evaluation checkpoint'),
  description: text(
    '在起算节点之后的指定时间，对比触达组与对照组',
    'Compare treatment with the holdout a set time after an anchor node',
  ),
  category: 'evaluation',
  icon: 'bar-chart',
  ports: ['out'],
  config: z.strictObject({
    name: field(displayName, { label: text('名称', 'Name'), widget: 'text' }),
    anchors: field(z.array(NodeId).min(1).max(20), {
      label: text('起算时间（从哪个节点算起）', 'Count from (which step)'),
      widget: 'node_refs',
      help: text('例如优惠券节点；须在本节点上游', 'E.g. the coupon node; must be upstream'),
    }),
    offset: field(Duration, { label: text('评估时间（起算后）', 'Evaluate after'), widget: 'duration' }),
    attributeFrom: field(z.enum(['anchor', 'entry']).default('anchor'), {
      label: text('归因起点', 'Attribute purchases from'),
      widget: 'select',
      options: { anchor: text('起算时间', 'The start step'), entry: text('进入旅程', 'Journey entry') },
    }),
    metrics: field(
      z
        .array(MetricId)
        .min(1)
        .default([...metricIds]),
      { label: text('指标', 'Metrics'), widget: 'multiselect' },
    ),
  }),
  activity: 'evaluateCheckpoint',
  lower: (c) => ({
    name: c.name,
    anchors: [...new Set(c.anchors)].sort(),
    offsetMs: durationMs(c.offset),
    attributeFrom: c.attributeFrom,
    metrics: [...new Set(c.metrics)],
  }),
});

export const exitNode = defineNodeType({
  id: 'exit',
  version: 1,
  label: text('结束', 'Exit'),
  description: text('成员离开旅程', 'Members leave the journey'),
  category: 'exit',
  icon: 'flag',
  ports: [],
  config: z.strictObject({
    reason: field(z.string().trim().max(40).optional(), { label: text('结束原因', 'Reason'), widget: 'text' }),
  }),
  activity: 'exitMembers',
  lower: (c) => ({ reason: c.reason ?? null }),
});
