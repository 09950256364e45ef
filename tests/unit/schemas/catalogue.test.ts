import { describe, expect, it } from 'vitest';
import type { ExecutionPlan, PlanNodeOf } from '@huitou/schemas';
import {
  MAX_CARE_BRANCHES,
  categoryKeyUses,
  compileJourney,
  demoCategories,
  newBuyer1111,
  newBuyer1111For,
  unknownCategoryKeys,
} from '@huitou/schemas';

const compile = (input: unknown, categories?: string[]): ExecutionPlan => {
  const result = compileJourney(input, categories ? { categories } : {});
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
};

describe('category keys in journeys and segments', () => {
  it('finds the categories of purchase conditions, trigger-order conditions and goals, with their paths', () => {
    const value = {
      where: {
        kind: 'all',
        of: [
          { kind: 'purchase', categories: ['food', 'c_3'] },
          { kind: 'not', of: { kind: 'trigger_order_category', categories: ['durables'] } },
          // Not a category condition: an unrelated `categories` field is ignored.
          { kind: 'tags', categories: ['x'] },
        ],
      },
      settings: { goal: { kind: 'purchase', categories: ['toys'] } },
    };
    expect(categoryKeyUses(value, ['body'])).toEqual([
      { path: ['body', 'where', 'of', 0, 'categories', 0], key: 'food' },
      { path: ['body', 'where', 'of', 0, 'categories', 1], key: 'c_3' },
      { path: ['body', 'where', 'of', 1, 'of', 'categories', 0], key: 'durables' },
      { path: ['body', 'settings', 'goal', 'categories', 0], key: 'toys' },
    ]);
    expect(unknownCategoryKeys(value, ['food', 'durables', 'toys'])).toEqual([
      { path: ['where', 'of', 0, 'categories', 1], key: 'c_3' },
    ]);
    expect(categoryKeyUses(null)).toEqual([]);
    expect(categoryKeyUses('food')).toEqual([]);
  });
});

describe('the 11.11 template built from the shop categories', () => {
  const shop = [
    { key: 'c_1', name: '女装连衣裙' },
    { key: 'c_2', name: '美妆{个护}' },
    { key: 'uncategorised', name: '未分类' },
    ...Array.from({ length: 9 }, (_, i) => ({ key: `c_${i + 10}`, name: `品类${i + 10}` })),
  ];

  it('has one care branch per category, largest first, at most eight, uncategorised left out', () => {
    const plan = compile(newBuyer1111For(shop), ['uncategorised', ...shop.map((c) => c.key)]);
    const split = plan.nodes.split_category as PlanNodeOf<'split.segment'>;
    const keys = ['c_1', 'c_2', 'c_10', 'c_11', 'c_12', 'c_13', 'c_14', 'c_15'];
    expect(MAX_CARE_BRANCHES).toBe(8);
    expect(split.params.branches.map((b) => b.port)).toEqual(keys);
    // Every thanks node anchors the 30-day evaluation.
    expect((plan.nodes.eval_30d as PlanNodeOf<'eval.checkpoint'>).params.anchors).toEqual(
      keys.map((k) => `thanks_${k}`).sort(),
    );
    for (const k of keys) expect(plan.nodes[`thanks_${k}`].anchorsFor).toEqual(['eval_30d', `eval_${k}`].sort());
  });

  it('writes a generic care copy in the category name (no stray template braces) and {item}', () => {
    const plan = compile(newBuyer1111For(shop));
    const care = plan.nodes.care_c_2 as PlanNodeOf<'action.sms'>;
    const literal = care.params.parts.filter((p) => p.kind === 'text').map((p) => (p.kind === 'text' ? p.text : ''));
    expect(literal.join('')).toContain('美妆个护');
    expect(care.params.parts.some((p) => p.kind === 'var' && p.name === 'item')).toBe(true);
    const split = newBuyer1111For(shop).nodes.find((n) => n.id === 'split_category');
    expect(JSON.stringify(split)).toContain('女装连衣裙');
  });

  it('falls back to the demo categories when the shop has none of its own', () => {
    expect(newBuyer1111For([{ key: 'uncategorised', name: '未分类' }])).toEqual(newBuyer1111);
    expect(newBuyer1111For(demoCategories)).toEqual(newBuyer1111);
  });
});
