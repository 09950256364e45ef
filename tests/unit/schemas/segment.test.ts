import { describe, expect, it } from 'vitest';
import type { Condition } from '@huitou/schemas';
import {
  Segment,
  conditionNeeds,
  lifecycleGroupOf,
  rfmGroupOf,
  rfmMonetaryValue,
  Condition as ConditionSchema,
} from '@huitou/schemas';

const newBuyersOf1111: unknown = {
  where: {
    kind: 'all',
    of: [
      {
        kind: 'purchase',
        metric: 'sum',
        window: { kind: 'dates', from: '2024-11-11', to: '2024-11-11' },
        compare: { op: 'gte', value: 299 },
      },
      {
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'dates', to: '2024-11-10' },
        compare: { op: 'eq', value: 0 },
      },
    ],
  },
  exclude: [{ kind: 'opted_out' }, { kind: 'bad_reviewer' }],
};

describe('segment language', () => {
  it('accepts the 11.11 new-buyer audience and keeps its values typed', () => {
    const seg = Segment.parse(newBuyersOf1111);
    expect(seg.where.kind).toBe('all');
    expect(seg.exclude).toHaveLength(2);
  });

  it('fills defaults for lifecycle rules, RFM window and exclusion parameters', () => {
    const seg = Segment.parse({
      where: {
        kind: 'any',
        of: [
          { kind: 'lifecycle', groups: ['A', 'B'] },
          { kind: 'rfm', groups: ['important_value'], scoring: { method: 'quantile' } },
        ],
      },
      exclude: [{ kind: 'low_response' }],
    });
    const [lifecycle, rfm] = (seg.where as Extract<Condition, { of: unknown[] }>).of;
    expect(lifecycle).toMatchObject({ rules: { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 } });
    expect(rfm).toMatchObject({
      window: { kind: 'all_time' },
      scoring: { recency: 0.5, frequency: 0.5, monetary: 0.5 },
    });
    expect(seg.exclude[0]).toEqual({ kind: 'low_response', minTimesMarketed: 5, maxResponseRate: 0.05 });
  });

  it.each([
    ['a field outside the catalogue', { kind: 'number', field: 'password_hash', compare: { op: 'eq', value: 1 } }],
    ['a text field used as a number', { kind: 'number', field: 'nickname', compare: { op: 'eq', value: 1 } }],
    ['a text operator on a number', { kind: 'number', field: 'order_count', compare: { op: 'contains', value: 'x' } }],
    ['a raw SQL operator', { kind: 'text', field: 'city', compare: { op: 'like', value: "%' OR 1=1 --" } }],
    ['a string where a number belongs', { kind: 'number', field: 'order_count', compare: { op: 'gte', value: '2' } }],
    ['an inverted range', { kind: 'number', field: 'total_spend', compare: { op: 'between', min: 500, max: 100 } }],
    [
      'an impossible date',
      { kind: 'date', field: 'last_purchase_at', compare: { op: 'on_or_after', date: '2024-02-30' } },
    ],
    [
      'an inverted date range',
      { kind: 'date', field: 'first_purchase_at', compare: { op: 'between', from: '2024-11-12', to: '2024-11-11' } },
    ],
    [
      // Keys are the shop's data (checked by the engine); the schema checks their form.
      'a category key that is not a slug',
      {
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'all_time' },
        categories: ['奶粉'],
        compare: { op: 'gte', value: 1 },
      },
    ],
    [
      'an unknown product role',
      {
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'all_time' },
        roles: ['loss_leader'],
        compare: { op: 'gte', value: 1 },
      },
    ],
    [
      'an empty product role list',
      { kind: 'purchase', metric: 'count', window: { kind: 'all_time' }, roles: [], compare: { op: 'gte', value: 1 } },
    ],
    [
      'an unknown aggregate',
      { kind: 'purchase', metric: 'median', window: { kind: 'all_time' }, compare: { op: 'gte', value: 1 } },
    ],
    [
      'an empty window',
      { kind: 'purchase', metric: 'count', window: { kind: 'dates' }, compare: { op: 'gte', value: 1 } },
    ],
    ['an unknown RFM group', { kind: 'rfm', groups: ['vip'], scoring: { method: 'quantile' } }],
    ['a lifecycle group E', { kind: 'lifecycle', groups: ['E'] }],
    [
      'lost before active',
      { kind: 'lifecycle', groups: ['C'], rules: { activeDays: 200, lostAfterDays: 100, loyalMinOrders: 3 } },
    ],
    ['a month 13', { kind: 'birthday', compare: { op: 'month_in', months: [13] } }],
    ['an infinite number', { kind: 'number', field: 'credit', compare: { op: 'gt', value: Infinity } }],
  ])('rejects %s', (_name, where) => {
    expect(Segment.safeParse({ where }).success).toBe(false);
  });

  it('bounds nesting depth so the SQL stays bounded', () => {
    let where: unknown = { kind: 'tags', op: 'has_any', tags: ['x'] };
    for (let i = 0; i < 7; i++) where = { kind: 'not', of: where };
    expect(Segment.safeParse({ where }).success).toBe(true); // depth 8
    expect(Segment.safeParse({ where: { kind: 'not', of: where } }).success).toBe(false); // depth 9
  });

  it('reports the journey context a condition needs', () => {
    const where = ConditionSchema.parse({
      kind: 'all',
      of: [
        {
          kind: 'purchase',
          metric: 'count',
          window: { kind: 'since', anchor: 'cycle_start' },
          compare: { op: 'gte', value: 1 },
        },
        { kind: 'not', of: { kind: 'trigger_order', field: 'amount', compare: { op: 'lt', value: 20 } } },
      ],
    });
    expect(conditionNeeds(where)).toEqual({ entry: false, cycleStart: true, triggerOrder: true });
  });
});

describe('RFM and lifecycle reference classification', () => {
  const thresholds = { method: 'threshold', recencyDays: 30, frequency: 2, monetary: 500 } as const;
  it.each([
    [10, 3, 800, 'important_value'],
    [10, 1, 800, 'important_development'],
    [90, 3, 800, 'important_retention'],
    [90, 1, 800, 'important_winback'],
    [10, 3, 100, 'general_value'],
    [30, 1, 499.99, 'general_development'], // recency at the threshold counts as high
    [31, 2, 100, 'general_retention'], // frequency and money at the threshold count as high
    [31, 1, 0, 'general_winback'],
  ])('R=%i days, F=%i, M=%f is %s', (days, orders, spend, group) => {
    expect(rfmGroupOf({ daysSinceLastPurchase: days, orderCount: orders, totalSpend: spend }, thresholds)).toBe(group);
  });

  it('scores M by average order value when asked: many small orders are not a big spender', () => {
    const many = { daysSinceLastPurchase: 10, orderCount: 4, totalSpend: 800 };
    const one = { daysSinceLastPurchase: 10, orderCount: 1, totalSpend: 600 };
    expect(rfmMonetaryValue(many, 'aov')).toBe(200);
    expect(rfmMonetaryValue(many)).toBe(800);
    expect(rfmMonetaryValue({ daysSinceLastPurchase: 0, orderCount: 0, totalSpend: 0 }, 'aov')).toBe(0);
    expect(rfmGroupOf(many, thresholds)).toBe('important_value');
    expect(rfmGroupOf(many, thresholds, 'aov')).toBe('general_value');
    expect(rfmGroupOf(one, thresholds, 'aov')).toBe('important_development');
  });

  it('takes monetary on an rfm condition as sum or aov only', () => {
    const rfm = { kind: 'rfm', groups: ['important_value'], scoring: { method: 'quantile' } };
    expect(ConditionSchema.parse({ ...rfm, monetary: 'aov' })).toMatchObject({ monetary: 'aov' });
    expect(ConditionSchema.parse(rfm)).not.toHaveProperty('monetary');
    expect(ConditionSchema.safeParse({ ...rfm, monetary: 'max' }).success).toBe(false);
  });

  it('puts loyal, active, sleeping and lost buyers in A, B, C, D', () => {
    const rules = { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 };
    expect(lifecycleGroupOf({ daysSinceLastPurchase: 5, orderCount: 3 }, rules)).toBe('A');
    expect(lifecycleGroupOf({ daysSinceLastPurchase: 90, orderCount: 2 }, rules)).toBe('B');
    expect(lifecycleGroupOf({ daysSinceLastPurchase: 91, orderCount: 9 }, rules)).toBe('C');
    expect(lifecycleGroupOf({ daysSinceLastPurchase: 366, orderCount: 9 }, rules)).toBe('D');
    expect(lifecycleGroupOf({ daysSinceLastPurchase: null, orderCount: 0 }, rules)).toBe('D');
  });
});
