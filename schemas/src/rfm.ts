import { z } from 'zod';
import type { LocalizedText } from './i18n.ts';
import { text } from './i18n.ts';

/** The 8 classic RFM groups (docs/domain.md § Segments), each a high/low triple of R, F, M. */
export const rfmGroupIds = [
  'important_value',
  'important_development',
  'important_retention',
  'important_winback',
  'general_value',
  'general_development',
  'general_retention',
  'general_winback',
] as const;
export const RfmGroupId = z.enum(rfmGroupIds);
export type RfmGroupId = z.infer<typeof RfmGroupId>;

export interface RfmLevels {
  readonly r: 'high' | 'low';
  readonly f: 'high' | 'low';
  readonly m: 'high' | 'low';
}

export const rfmGroups: Record<RfmGroupId, RfmLevels & { label: LocalizedText }> = {
  important_value: { r: 'high', f: 'high', m: 'high', label: text('重要价值客户', 'Important value') },
  important_development: { r: 'high', f: 'low', m: 'high', label: text('重要发展客户', 'Important development') },
  important_retention: { r: 'low', f: 'high', m: 'high', label: text('重要保持客户', 'Important retention') },
  important_winback: { r: 'low', f: 'low', m: 'high', label: text('重要挽留客户', 'Important win-back') },
  general_value: { r: 'high', f: 'high', m: 'low', label: text('一般价值客户', 'General value') },
  general_development: { r: 'high', f: 'low', m: 'low', label: text('一般发展客户', 'General development') },
  general_retention: { r: 'low', f: 'high', m: 'low', label: text('一般保持客户', 'General retention') },
  general_winback: { r: 'low', f: 'low', m: 'low', label: text('一般挽留客户', 'General win-back') },
};

/**
 * How R, F and M are scored high or low. Threshold: R is high when the last purchase is at most
 * `recencyDays` ago; F and M are high at or above their threshold. Quantile: each threshold is the
 * q-quantile of that metric over the shop's buyers, computed by the data layer at evaluation time
 * (R high at or below its quantile of days since last purchase, F and M at or above theirs).
 */
export const RfmScoring = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('threshold'),
    recencyDays: z.int().min(1).max(3650),
    frequency: z.int().min(1).max(100_000),
    monetary: z.number().positive().max(1e9),
  }),
  z.strictObject({
    method: z.literal('quantile'),
    recency: z.number().gt(0).lt(1).default(0.5),
    frequency: z.number().gt(0).lt(1).default(0.5),
    monetary: z.number().gt(0).lt(1).default(0.5),
  }),
]);
export type RfmScoring = z.infer<typeof RfmScoring>;

/**
 * What RFM's M measures: `sum`, the customer's total spend over the window (the default), or `aov`,
 * the average order value (total spend / order count; seed 004, docs/domain.md § Segments). AOV
 * ranks a few big orders above many small ones.
 */
export const RFM_MONETARY = ['sum', 'aov'] as const;
export const RfmMonetary = z.enum(RFM_MONETARY);
export type RfmMonetary = z.infer<typeof RfmMonetary>;

export interface RfmMetrics {
  readonly daysSinceLastPurchase: number;
  readonly orderCount: number;
  readonly totalSpend: number;
}

/** M of one customer: total spend, or average order value (0 without orders). */
export function rfmMonetaryValue(metrics: RfmMetrics, monetary: RfmMonetary = 'sum'): number {
  if (monetary === 'sum') return metrics.totalSpend;
  return metrics.orderCount === 0 ? 0 : metrics.totalSpend / metrics.orderCount;
}

/** Reference classification for threshold scoring; the SQL lowering must agree with it. */
export function rfmGroupOf(
  metrics: RfmMetrics,
  thresholds: Extract<RfmScoring, { method: 'threshold' }>,
  monetary: RfmMonetary = 'sum',
): RfmGroupId {
  const r = metrics.daysSinceLastPurchase <= thresholds.recencyDays ? 'high' : 'low';
  const f = metrics.orderCount >= thresholds.frequency ? 'high' : 'low';
  const m = rfmMonetaryValue(metrics, monetary) >= thresholds.monetary ? 'high' : 'low';
  const found = rfmGroupIds.find((id) => rfmGroups[id].r === r && rfmGroups[id].f === f && rfmGroups[id].m === m);
  // The 8 groups cover all 8 triples, so `found` always exists.
  return found as RfmGroupId;
}

/** Lifecycle groups used alongside RFM: A old/loyal, B active, C sleeping, D lost. */
export const lifecycleGroupIds = ['A', 'B', 'C', 'D'] as const;
export const LifecycleGroupId = z.enum(lifecycleGroupIds);
export type LifecycleGroupId = z.infer<typeof LifecycleGroupId>;

export const lifecycleGroupLabels: Record<LifecycleGroupId, LocalizedText> = {
  A: text('A 老客/忠诚客户', 'A old / loyal'),
  B: text('B 活跃客户', 'B active'),
  C: text('C 沉睡客户', 'C sleeping'),
  D: text('D 流失客户', 'D lost'),
};

/**
 * Lifecycle rules. A: bought within `activeDays` and has at least `loyalMinOrders` orders;
 * B: bought within `activeDays`; C: last purchase within `lostAfterDays`; D: older, or never.
 */
export const LifecycleRules = z
  .strictObject({
    activeDays: z.int().min(1).max(3650).default(90),
    lostAfterDays: z.int().min(2).max(3650).default(365),
    loyalMinOrders: z.int().min(2).max(1000).default(3),
  })
  .refine((rules) => rules.lostAfterDays > rules.activeDays, {
    message: 'lostAfterDays must be greater than activeDays',
    path: ['lostAfterDays'],
  });
export type LifecycleRules = z.infer<typeof LifecycleRules>;

/** Reference classification; the SQL lowering must agree with it. */
export function lifecycleGroupOf(
  metrics: { daysSinceLastPurchase: number | null; orderCount: number },
  rules: LifecycleRules,
): LifecycleGroupId {
  const days = metrics.daysSinceLastPurchase;
  if (days === null || days > rules.lostAfterDays) return 'D';
  if (days > rules.activeDays) return 'C';
  return metrics.orderCount >= rules.loyalMinOrders ? 'A' : 'B';
}
