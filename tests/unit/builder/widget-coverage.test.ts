import { describe, expect, it } from 'vitest';
import type { Widget } from '@huitou/schemas';
import { Condition, formFields, nodeTypeIds, nodeTypeOf } from '@huitou/schemas';
import { DEFAULTS, formKindOf } from '../../../builder-ui/src/inspector/condition-kinds.ts';
import { HANDLED_WIDGETS, STRUCTURED_WIDGETS } from '../../../builder-ui/src/inspector/widgets.ts';

/** Every (node type, field, widget) the inspector renders a form for. */
const usedWidgets = nodeTypeIds.flatMap((type) =>
  formFields(nodeTypeOf(type).config).map((f) => ({ type, key: f.key, widget: f.hint.widget })),
);

describe('inspector forms', () => {
  it('has a dedicated control for every widget a node type uses: no field falls back to JSON', () => {
    const handled = new Set<Widget>(HANDLED_WIDGETS);
    const missing = usedWidgets.filter((u) => !handled.has(u.widget)).map((u) => `${u.type}.${u.key}: ${u.widget}`);
    expect(missing).toEqual([]);
  });

  it('walks every node type and the widgets this issue added', () => {
    // Guards the walk itself: an empty or partial registry walk would pass the check above vacuously.
    expect(new Set(usedWidgets.map((u) => u.type)).size).toBe(nodeTypeIds.length);
    const used = new Set(usedWidgets.map((u) => u.widget));
    for (const w of ['time_windows', 'arms', 'schedule', 'reentry', 'date_rule'] as const)
      expect(used.has(w)).toBe(true);
  });

  it('offers the JSON view only as a per-field option on handled structured widgets', () => {
    for (const w of STRUCTURED_WIDGETS) expect(HANDLED_WIDGETS).toContain(w);
  });
});

/** One condition of every kind the schema has (a new kind fails to compile here until it is listed). */
const oneOfEachKind: Record<Condition['kind'], Condition> = {
  all: { kind: 'all', of: [] },
  any: { kind: 'any', of: [] },
  not: { kind: 'not', of: { kind: 'gender', values: ['male'] } },
  number: { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } },
  date: { kind: 'date', field: 'registered_at', compare: { op: 'is_empty' } },
  text: { kind: 'text', field: 'nickname', compare: { op: 'contains', value: '小' } },
  boolean: { kind: 'boolean', field: 'has_email', value: false },
  gender: { kind: 'gender', values: ['unknown'] },
  birthday: { kind: 'birthday', compare: { op: 'month_in', months: [5] } },
  tags: { kind: 'tags', op: 'has_none', tags: ['黑名单'] },
  purchase: { kind: 'purchase', metric: 'sum', window: { kind: 'all_time' }, compare: { op: 'gt', value: 0 } },
  rfm: {
    kind: 'rfm',
    groups: ['important_value'],
    scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
    window: { kind: 'all_time' },
  },
  lifecycle: { kind: 'lifecycle', groups: ['A'], rules: { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 } },
  trigger_order: { kind: 'trigger_order', field: 'item_count', compare: { op: 'eq', value: 1 } },
  trigger_order_category: { kind: 'trigger_order_category', categories: ['food'] },
  trigger_order_paid: { kind: 'trigger_order_paid', paid: true },
  saved_segment: { kind: 'saved_segment', segmentId: '7d1f6c0e-2f57-4a53-9d0c-2b1a3c4d5e6f' },
};

describe('condition builder', () => {
  it('has a form row for every kind of condition the schema has', () => {
    const withoutForm = Object.values(oneOfEachKind).filter((c) => formKindOf(c) === null);
    expect(withoutForm).toEqual([]);
  });

  it('starts each row kind from a condition of that kind (valid, except an order category or saved segment yet to be picked)', () => {
    const pickedLater = ['trigger_order_category', 'saved_segment'];
    for (const [kind, start] of Object.entries(DEFAULTS)) {
      expect(formKindOf(start)).toBe(kind);
      if (!pickedLater.includes(kind)) expect(Condition.safeParse(start).success, kind).toBe(true);
    }
  });
});
