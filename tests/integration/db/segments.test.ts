import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentInput } from '@huitou/schemas';
import type { Database } from '../../../engine/src/db/connect.ts';
import { compileSegment } from '../../../activities/src/segments/compile.ts';
import type { SegmentContext } from '../../../activities/src/segments/context.ts';
import { previewSegment } from '../../../activities/src/segments/preview.ts';
import { AS_OF, ENTRY, INJECTION_NICKNAME, loadSegmentFixture } from './segment-fixture.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

type Condition = SegmentInput['where'];
type Exclusion = NonNullable<SegmentInput['exclude']>[number];

describe(`segment lowering, operator by operator (${describeEngine('configured')})`, () => {
  let db: Database;
  let ctx: SegmentContext;

  beforeAll(async () => {
    db = await openTestDatabase();
    const { triggerOrderId } = await loadSegmentFixture(db.pool);
    ctx = { asOf: AS_OF, timeZone: 'Asia/Shanghai', entryAt: ENTRY, triggerOrderId };
  });
  afterAll(async () => {
    await db?.close();
  });

  async function ids(segment: SegmentInput, context: SegmentContext = ctx): Promise<number[]> {
    const { sql, params } = compileSegment(segment, context);
    const { rows } = await db.pool.query<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) s ORDER BY 1`, [
      ...params,
    ]);
    return rows.map((r) => Number(r.customer_id));
  }
  const where = (condition: Condition) => ids({ where: condition });
  const excluding = (...exclude: Exclusion[]) => ids({ where: { kind: 'all', of: [] }, exclude });

  it('combines with all / any / not', async () => {
    expect(await where({ kind: 'all', of: [] })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await where({ kind: 'any', of: [] })).toEqual([]);
    const female: Condition = { kind: 'gender', values: ['female'] };
    const guangdong: Condition = { kind: 'text', field: 'province', compare: { op: 'eq', value: '广东' } };
    expect(await where({ kind: 'all', of: [female, guangdong] })).toEqual([1, 4]);
    expect(await where({ kind: 'any', of: [guangdong, { kind: 'gender', values: ['male'] }] })).toEqual([1, 2, 4, 5]);
    expect(await where({ kind: 'not', of: guangdong })).toEqual([2, 3, 5, 6]);
  });

  it('compares numbers, with missing values never matching and `not` as plain negation', async () => {
    const count = (compare: Extract<Condition, { kind: 'number' }>['compare']) =>
      where({ kind: 'number', field: 'order_count', compare });
    expect(await count({ op: 'eq', value: 1 })).toEqual([2, 3, 5]);
    expect(await count({ op: 'neq', value: 1 })).toEqual([1, 4, 6]);
    expect(await count({ op: 'gt', value: 1 })).toEqual([1, 4]);
    expect(await count({ op: 'gte', value: 2 })).toEqual([1, 4]);
    expect(await count({ op: 'lt', value: 1 })).toEqual([6]);
    expect(await count({ op: 'lte', value: 1 })).toEqual([2, 3, 5, 6]);
    expect(await count({ op: 'between', min: 2, max: 4 })).toEqual([1, 4]);
    expect(await where({ kind: 'number', field: 'total_spend', compare: { op: 'gte', value: 390 } })).toEqual([
      1, 3, 4,
    ]);
    const cheap: Condition = { kind: 'number', field: 'avg_order_value', compare: { op: 'lt', value: 100 } };
    expect(await where(cheap)).toEqual([5]);
    expect(await where({ kind: 'not', of: cheap })).toEqual([1, 2, 3, 4, 6]);
    expect(await where({ kind: 'number', field: 'first_purchase_amount', compare: { op: 'eq', value: 350 } })).toEqual([
      1,
    ]);
    expect(await where({ kind: 'number', field: 'last_purchase_amount', compare: { op: 'gte', value: 500 } })).toEqual([
      3, 4,
    ]);
    expect(
      await where({ kind: 'number', field: 'days_since_last_purchase', compare: { op: 'lte', value: 9 } }),
    ).toEqual([1, 2, 4]);
    expect(
      await where({ kind: 'number', field: 'days_since_last_purchase', compare: { op: 'gt', value: 100 } }),
    ).toEqual([3, 5]);
    expect(await where({ kind: 'number', field: 'response_rate', compare: { op: 'lte', value: 0.1 } })).toEqual([
      1, 5, 6,
    ]);
    expect(await where({ kind: 'number', field: 'times_marketed', compare: { op: 'gte', value: 10 } })).toEqual([1, 4]);
    expect(await where({ kind: 'number', field: 'credit', compare: { op: 'between', min: 60, max: 80 } })).toEqual([
      4, 5, 6,
    ]);
  });

  it('compares dates as local calendar days', async () => {
    const registered = (compare: Extract<Condition, { kind: 'date' }>['compare']) =>
      where({ kind: 'date', field: 'registered_at', compare });
    expect(await registered({ op: 'between', from: '2025-01-01', to: '2025-06-01' })).toEqual([1, 4, 5]);
    expect(await registered({ op: 'on_or_before', date: '2024-12-31' })).toEqual([3]);
    // Customer 2 registered at 00:10 on 11.11 in Shanghai, still 11-10 in UTC.
    expect(await registered({ op: 'on_or_after', date: '2026-11-11' })).toEqual([2]);
    expect(await registered({ op: 'within_last_days', days: 30 })).toEqual([2]);
    expect(await registered({ op: 'more_than_days_ago', days: 600 })).toEqual([1, 3, 5]);
    expect(await where({ kind: 'date', field: 'last_purchase_at', compare: { op: 'is_empty' } })).toEqual([6]);
    expect(await where({ kind: 'date', field: 'first_paid_at', compare: { op: 'is_not_empty' } })).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(
      await where({
        kind: 'date',
        field: 'last_paid_at',
        compare: { op: 'between', from: '2026-11-11', to: '2026-11-11' },
      }),
    ).toEqual([2, 4]);
  });

  it('compares text literally (% and _ are not wildcards)', async () => {
    const province = (compare: Extract<Condition, { kind: 'text' }>['compare']) =>
      where({ kind: 'text', field: 'province', compare });
    expect(await province({ op: 'eq', value: '广东' })).toEqual([1, 4]);
    expect(await province({ op: 'neq', value: '广东' })).toEqual([2, 3, 5, 6]);
    expect(await province({ op: 'in', values: ['浙江', '北京'] })).toEqual([2, 5]);
    expect(await province({ op: 'not_in', values: ['广东'] })).toEqual([2, 3, 5, 6]);
    expect(await province({ op: 'is_empty' })).toEqual([3]);
    expect(await province({ op: 'is_not_empty' })).toEqual([1, 2, 4, 5, 6]);
    expect(await where({ kind: 'text', field: 'nickname', compare: { op: 'contains', value: '%' } })).toEqual([3]);
    expect(await where({ kind: 'text', field: 'nickname', compare: { op: 'contains', value: '_' } })).toEqual([3]);
    expect(await where({ kind: 'text', field: 'nickname', compare: { op: 'contains', value: '小' } })).toEqual([1, 5]);
    expect(await where({ kind: 'text', field: 'name', compare: { op: 'eq', value: '王伟' } })).toEqual([1]);
    expect(await where({ kind: 'text', field: 'city', compare: { op: 'eq', value: '北京' } })).toEqual([5]);
  });

  it('handles booleans, gender, birthdays and tags', async () => {
    expect(await where({ kind: 'boolean', field: 'has_phone', value: false })).toEqual([3]);
    expect(await where({ kind: 'boolean', field: 'has_email', value: true })).toEqual([1]);
    expect(await where({ kind: 'gender', values: ['unknown', 'male'] })).toEqual([2, 3, 5]);
    expect(await where({ kind: 'birthday', compare: { op: 'month_in', months: [11] } })).toEqual([1, 5]);
    expect(await where({ kind: 'birthday', compare: { op: 'within_next_days', days: 2 } })).toEqual([1, 5]);
    expect(await where({ kind: 'birthday', compare: { op: 'within_next_days', days: 0 } })).toEqual([5]);
    expect(await where({ kind: 'birthday', compare: { op: 'is_empty' } })).toEqual([3]);
    // A Feb 29 birthday is celebrated on Feb 28 in a common year.
    const feb28 = { ...ctx, asOf: new Date('2027-02-28T09:00:00+08:00') };
    expect(await ids({ where: { kind: 'birthday', compare: { op: 'within_next_days', days: 0 } } }, feb28)).toEqual([
      2,
    ]);
    expect(await where({ kind: 'tags', op: 'has_any', tags: ['mom'] })).toEqual([1, 4]);
    expect(await where({ kind: 'tags', op: 'has_all', tags: ['mom', 'vip'] })).toEqual([4]);
    expect(await where({ kind: 'tags', op: 'has_none', tags: ['mom'] })).toEqual([2, 3, 5, 6]);
  });

  it('aggregates purchases over windows and categories', async () => {
    const on1111 = { kind: 'dates', from: '2026-11-11', to: '2026-11-11' } as const;
    expect(
      await where({ kind: 'purchase', metric: 'count', window: on1111, compare: { op: 'gte', value: 1 } }),
    ).toEqual([1, 2, 4]);
    expect(
      await where({ kind: 'purchase', metric: 'sum', window: on1111, compare: { op: 'gte', value: 299 } }),
    ).toEqual([1, 4]);
    expect(await where({ kind: 'purchase', metric: 'avg', window: on1111, compare: { op: 'gt', value: 300 } })).toEqual(
      [1, 4],
    );
    expect(
      await where({
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'all_time' },
        categories: ['food'],
        compare: { op: 'gte', value: 1 },
      }),
    ).toEqual([1, 4]);
    expect(
      await where({
        kind: 'purchase',
        metric: 'sum',
        window: { kind: 'all_time' },
        categories: ['kids_clothing'],
        compare: { op: 'gte', value: 199 },
      }),
    ).toEqual([2, 4]);
    expect(
      await where({
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'last_days', days: 30 },
        compare: { op: 'gte', value: 1 },
      }),
    ).toEqual([1, 2, 4]);
    expect(
      await where({
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'since', anchor: 'entry' },
        compare: { op: 'gte', value: 1 },
      }),
    ).toEqual([1]);
    expect(
      await where({
        kind: 'purchase',
        metric: 'max',
        window: { kind: 'all_time' },
        compare: { op: 'gte', value: 500 },
      }),
    ).toEqual([3, 4]);
    expect(
      await where({
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'dates', to: '2025-12-31' },
        compare: { op: 'eq', value: 0 },
      }),
    ).toEqual([1, 2, 4, 5, 6]);
    // The flagship audience: first purchase on 11.11, at least 299 that day.
    expect(
      await where({
        kind: 'all',
        of: [
          { kind: 'date', field: 'first_paid_at', compare: { op: 'between', from: '2026-11-11', to: '2026-11-11' } },
          { kind: 'purchase', metric: 'sum', window: on1111, compare: { op: 'gte', value: 299 } },
        ],
      }),
    ).toEqual([1]);
    await expect(
      ids({
        where: {
          kind: 'purchase',
          metric: 'count',
          window: { kind: 'since', anchor: 'cycle_start' },
          compare: { op: 'gte', value: 1 },
        },
      }),
    ).rejects.toThrow(/cycle start/);
  });

  it('groups by RFM thresholds and quantiles, and by lifecycle', async () => {
    const threshold = { method: 'threshold', recencyDays: 30, frequency: 2, monetary: 300 } as const;
    expect(await where({ kind: 'rfm', groups: ['important_value'], scoring: threshold })).toEqual([1, 4]);
    expect(await where({ kind: 'rfm', groups: ['general_development'], scoring: threshold })).toEqual([2]);
    expect(await where({ kind: 'rfm', groups: ['important_winback', 'general_winback'], scoring: threshold })).toEqual([
      3, 5,
    ]);
    // Medians over the five buyers: 9 days, 1 order, 390 yuan.
    const quantile = { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 } as const;
    expect(await where({ kind: 'rfm', groups: ['important_value'], scoring: quantile })).toEqual([1, 4]);
    expect(await where({ kind: 'rfm', groups: ['general_value'], scoring: quantile })).toEqual([2]);
    expect(await where({ kind: 'rfm', groups: ['important_retention'], scoring: quantile })).toEqual([3]);
    expect(await where({ kind: 'rfm', groups: ['general_retention'], scoring: quantile })).toEqual([5]);
    // F and M over a window: only 11.11 counts, so customers 1 and 4 have one order each (350 and 500 yuan).
    const window = { kind: 'dates', from: '2026-11-11', to: '2026-11-11' } as const;
    expect(await where({ kind: 'rfm', groups: ['important_development'], scoring: threshold, window })).toEqual([1, 4]);
    expect(await where({ kind: 'lifecycle', groups: ['A'] })).toEqual([4]);
    expect(await where({ kind: 'lifecycle', groups: ['B'] })).toEqual([1, 2]);
    expect(await where({ kind: 'lifecycle', groups: ['C'] })).toEqual([5]);
    expect(await where({ kind: 'lifecycle', groups: ['D'] })).toEqual([3, 6]);
  });

  it('scores RFM M by average order value when the condition asks (seed 004)', async () => {
    // Average order value: 1 → 195, 2 → 199, 3 → 899, 4 → 200, 5 → 60 (total spend 390, 199, 899, 800, 60).
    const threshold = { method: 'threshold', recencyDays: 30, frequency: 2, monetary: 300 } as const;
    const rfm = (groups: ['important_value' | 'general_value'], scoring: typeof threshold | typeof quantile) =>
      ({ kind: 'rfm', groups, scoring }) as const;
    const quantile = { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 } as const;
    // Above 300 in total, but not per order: 1 and 4 drop from important to general value.
    expect(await where({ ...rfm(['important_value'], threshold), monetary: 'aov' })).toEqual([]);
    expect(await where({ ...rfm(['general_value'], threshold), monetary: 'aov' })).toEqual([1, 4]);
    expect(await where({ ...rfm(['general_value'], threshold), monetary: 'sum' })).toEqual([]);
    // Median AOV 199 (median total 390): 2 rises into important value, 1 falls out.
    expect(await where({ ...rfm(['important_value'], quantile), monetary: 'aov' })).toEqual([2, 4]);
    expect(await where({ ...rfm(['important_value'], quantile), monetary: 'sum' })).toEqual([1, 4]);
  });

  it('looks at the trigger order of an event journey', async () => {
    expect(await where({ kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 299 } })).toEqual([4]);
    expect(await where({ kind: 'trigger_order', field: 'item_count', compare: { op: 'eq', value: 2 } })).toEqual([4]);
    expect(await where({ kind: 'trigger_order_category', categories: ['kids_clothing'] })).toEqual([4]);
    expect(await where({ kind: 'trigger_order_category', categories: ['durables'] })).toEqual([]);
  });

  it('tells a paid trigger order from an unpaid one', async () => {
    expect(await where({ kind: 'trigger_order_paid', paid: true })).toEqual([4]);
    expect(await where({ kind: 'trigger_order_paid', paid: false })).toEqual([]);
    const { rows } = await db.pool.query<{ status: string; paid_at: Date }>(
      'SELECT status, paid_at FROM orders WHERE id = $1',
      [ctx.triggerOrderId],
    );
    await db.pool.query("UPDATE orders SET status = 'created', paid_at = NULL WHERE id = $1", [ctx.triggerOrderId]);
    try {
      expect(await where({ kind: 'trigger_order_paid', paid: false })).toEqual([4]);
      expect(await where({ kind: 'trigger_order_paid', paid: true })).toEqual([]);
    } finally {
      await db.pool.query('UPDATE orders SET status = $2, paid_at = $3 WHERE id = $1', [
        ctx.triggerOrderId,
        rows[0]!.status,
        rows[0]!.paid_at,
      ]);
    }
  });

  it('applies exclusions', async () => {
    expect(await excluding({ kind: 'opted_out' })).toEqual([2, 3, 4, 5, 6]);
    expect(await excluding({ kind: 'bad_reviewer' })).toEqual([1, 2, 3, 4, 6]);
    expect(await excluding({ kind: 'bad_reviewer', withinDays: 30 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await excluding({ kind: 'low_response' })).toEqual([2, 3, 4, 6]);
    expect(await excluding({ kind: 'cannot_reactivate', inactiveDays: 200, minTimesMarketed: 1 })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(
      await excluding({
        kind: 'condition',
        where: { kind: 'text', field: 'province', compare: { op: 'eq', value: '广东' } },
      }),
    ).toEqual([2, 3, 5, 6]);
    expect(await excluding({ kind: 'opted_out' }, { kind: 'bad_reviewer' })).toEqual([2, 3, 4, 6]);
  });

  it('previews a count and a masked, spread sample', async () => {
    const preview = await previewSegment(db.pool, { where: { kind: 'gender', values: ['female'] } }, ctx, {
      sampleSize: 2,
    });
    expect(preview.count).toBe(3);
    expect(preview.sample).toHaveLength(2);
    for (const s of preview.sample) {
      expect([1, 4, 6]).toContain(s.customerId);
      expect(s.phone).toMatch(/^\+86\*\*\*\*\d{4}$/);
    }
    const one = await previewSegment(
      db.pool,
      { where: { kind: 'number', field: 'order_count', compare: { op: 'eq', value: 4 } } },
      ctx,
    );
    expect(one).toEqual({
      count: 1,
      sample: [
        {
          customerId: 4,
          nickname: INJECTION_NICKNAME,
          gender: 'female',
          province: '广东',
          city: '广州',
          phone: '+86****0004',
          orderCount: 4,
          totalSpend: 800,
          lastPurchaseAt: new Date('2026-11-11T01:00:00+08:00'),
        },
      ],
    });
  });

  it('rejects what the segment schema does not allow', () => {
    expect(() =>
      compileSegment(
        { where: { kind: 'number', field: 'c.id; DROP TABLE customers', compare: { op: 'eq', value: 1 } } } as never,
        ctx,
      ),
    ).toThrow();
    expect(() =>
      compileSegment(
        { where: { kind: 'text', field: 'province', compare: { op: 'regex', value: '.*' } } } as never,
        ctx,
      ),
    ).toThrow();
    expect(() => compileSegment({ where: { kind: 'all', of: [] } }, { ...ctx, timeZone: "UTC'; --" })).toThrow(
      /time zone/,
    );
  });
});
