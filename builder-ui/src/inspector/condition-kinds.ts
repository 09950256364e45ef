import type { Condition } from '@huitou/schemas';
import type { MessageKey } from '../i18n.ts';

/** The condition kinds the form edits (every kind of the schema); JSON only for one added later. */
export const FORM_KINDS = {
  purchase: 'segKindPurchase',
  rfm: 'segKindRfm',
  lifecycle: 'segKindLifecycle',
  tags: 'segKindTags',
  region: 'segKindRegion',
  number: 'segKindNumber',
  trigger_order: 'segKindOrder',
  trigger_order_category: 'segKindOrderCategory',
  trigger_order_paid: 'segKindOrderPaid',
  saved_segment: 'segKindSaved',
  date: 'segKindDate',
  text: 'segKindText',
  boolean: 'segKindBoolean',
  gender: 'segKindGender',
  birthday: 'segKindBirthday',
  not: 'segKindNot',
  all: 'segAll',
  any: 'segAny',
} as const satisfies Record<string, MessageKey>;
export type FormKind = keyof typeof FORM_KINDS;

/** What a row starts as when the marketer picks its kind. */
export const DEFAULTS: Record<FormKind, Condition> = {
  purchase: {
    kind: 'purchase',
    metric: 'count',
    window: { kind: 'last_days', days: 30 },
    compare: { op: 'gte', value: 1 },
  },
  rfm: {
    kind: 'rfm',
    groups: ['important_value'],
    scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
    window: { kind: 'all_time' },
  },
  lifecycle: {
    kind: 'lifecycle',
    groups: ['A', 'B'],
    rules: { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 },
  },
  tags: { kind: 'tags', op: 'has_any', tags: ['VIP'] },
  region: { kind: 'text', field: 'province', compare: { op: 'in', values: ['浙江'] } },
  number: { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } },
  trigger_order: { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 100 } },
  // No category chosen yet: the validation asks for one until the marketer picks.
  trigger_order_category: { kind: 'trigger_order_category', categories: [] },
  trigger_order_paid: { kind: 'trigger_order_paid', paid: false },
  // No segment chosen yet: the validation asks for one until the marketer picks.
  saved_segment: { kind: 'saved_segment', segmentId: '' },
  date: { kind: 'date', field: 'last_purchase_at', compare: { op: 'within_last_days', days: 30 } },
  text: { kind: 'text', field: 'city', compare: { op: 'eq', value: '杭州' } },
  boolean: { kind: 'boolean', field: 'has_phone', value: true },
  gender: { kind: 'gender', values: ['female'] },
  birthday: { kind: 'birthday', compare: { op: 'within_next_days', days: 7 } },
  not: { kind: 'not', of: { kind: 'tags', op: 'has_any', tags: ['VIP'] } },
  all: { kind: 'all', of: [] },
  any: { kind: 'any', of: [] },
};

/** Which form row shows a condition; null: the JSON fallback. */
export function formKindOf(c: Condition): FormKind | null {
  if (c.kind === 'text')
    return c.field === 'province' && (c.compare.op === 'in' || c.compare.op === 'not_in') ? 'region' : 'text';
  return c.kind in FORM_KINDS ? (c.kind as FormKind) : null;
}
