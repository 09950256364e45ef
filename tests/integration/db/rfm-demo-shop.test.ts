import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RfmGroupId, SegmentInput } from '@huitou/schemas';
import { lifecycleGroupIds, lifecycleGroupOf, rfmGroupIds, rfmGroupOf, rfmGroups } from '@huitou/schemas';
import type { Database } from '../../../engine/src/db/connect.ts';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import { compileSegment } from '../../../activities/src/segments/compile.ts';
import { groupSizes } from '../../../activities/src/segments/rfm-report.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const AS_OF = new Date('2026-11-20T09:00:00+08:00');
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

interface Buyer {
  id: number;
  days: number;
  count: number;
  spend: number;
}

/** Local calendar day number (days since 1970-01-01 in Shanghai). */
function localDay(instant: Date): number {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(instant)
    .split('-')
    .map(Number);
  return Date.UTC(y, m - 1, d) / DAY;
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

describe(`RFM and lifecycle groups on a demo shop, against an independent computation (${describeEngine('configured')})`, () => {
  let db: Database;
  let buyers: Buyer[];
  let customerIds: number[];

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoShop(db.pool, { customers: 1500, seed: 42 });
    // Raw rows only; every aggregate below is computed here, in memory.
    const orders = await db.pool.query<{ customer_id: string; status: string; amount: string; paid_at: Date | null }>(
      'SELECT customer_id, status, amount, paid_at FROM orders',
    );
    const byCustomer = new Map<number, Buyer>();
    const today = localDay(AS_OF);
    for (const o of orders.rows) {
      if (o.paid_at === null || o.status === 'refunded') continue;
      const id = Number(o.customer_id);
      const b = byCustomer.get(id) ?? { id, days: Infinity, count: 0, spend: 0 };
      b.days = Math.min(b.days, today - localDay(o.paid_at));
      b.count += 1;
      b.spend = Math.round((b.spend + Number(o.amount)) * 100) / 100;
      byCustomer.set(id, b);
    }
    buyers = [...byCustomer.values()];
    const all = await db.pool.query<{ id: string }>('SELECT id FROM customers');
    customerIds = all.rows.map((r) => Number(r.id));
  });
  afterAll(async () => {
    await db?.close();
  });

  async function ids(segment: SegmentInput): Promise<number[]> {
    const { sql, params } = compileSegment(segment, { asOf: AS_OF, timeZone: TZ });
    const { rows } = await db.pool.query<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) s ORDER BY 1`, [
      ...params,
    ]);
    return rows.map((r) => Number(r.customer_id));
  }
  const sortedIds = (list: Buyer[]) => list.map((b) => b.id).sort((a, b) => a - b);

  it('puts each buyer in the group rfmGroupOf gives, with thresholds', async () => {
    const scoring = { method: 'threshold', recencyDays: 60, frequency: 3, monetary: 500 } as const;
    let covered = 0;
    for (const group of rfmGroupIds) {
      const want = sortedIds(
        buyers.filter(
          (b) =>
            rfmGroupOf({ daysSinceLastPurchase: b.days, orderCount: b.count, totalSpend: b.spend }, scoring) === group,
        ),
      );
      expect(await ids({ where: { kind: 'rfm', groups: [group], scoring } }), group).toEqual(want);
      covered += want.length;
    }
    expect(covered).toBe(buyers.length);
    expect(buyers.length).toBeGreaterThan(1000);
  });

  it('agrees with quantile thresholds computed over the buyers', async () => {
    const q = { r: 0.4, f: 0.6, m: 0.5 };
    const r = percentileCont(
      buyers.map((b) => b.days),
      q.r,
    );
    const f = percentileCont(
      buyers.map((b) => b.count),
      q.f,
    );
    const m = percentileCont(
      buyers.map((b) => b.spend),
      q.m,
    );
    const groupOf = (b: Buyer): RfmGroupId => {
      const levels = {
        r: b.days <= r ? 'high' : 'low',
        f: b.count >= f ? 'high' : 'low',
        m: b.spend >= m ? 'high' : 'low',
      };
      return rfmGroupIds.find(
        (g) => rfmGroups[g].r === levels.r && rfmGroups[g].f === levels.f && rfmGroups[g].m === levels.m,
      ) as RfmGroupId;
    };
    const scoring = { method: 'quantile', recency: q.r, frequency: q.f, monetary: q.m } as const;
    const nonEmpty = new Set<RfmGroupId>();
    for (const group of rfmGroupIds) {
      const want = sortedIds(buyers.filter((b) => groupOf(b) === group));
      if (want.length > 0) nonEmpty.add(group);
      expect(await ids({ where: { kind: 'rfm', groups: [group], scoring } }), group).toEqual(want);
    }
    expect(nonEmpty.size).toBeGreaterThanOrEqual(6);
  });

  it('puts each customer in the lifecycle group lifecycleGroupOf gives', async () => {
    const rules = { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 };
    const byId = new Map(buyers.map((b) => [b.id, b]));
    for (const group of lifecycleGroupIds) {
      const want = customerIds
        .filter((id) => {
          const b = byId.get(id);
          return (
            lifecycleGroupOf({ daysSinceLastPurchase: b ? b.days : null, orderCount: b ? b.count : 0 }, rules) === group
          );
        })
        .sort((a, b) => a - b);
      expect(await ids({ where: { kind: 'lifecycle', groups: [group], rules } }), group).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    }
  });

  it('reports group sizes that add up to the same classification', async () => {
    const scoring = { method: 'threshold', recencyDays: 60, frequency: 3, monetary: 500 } as const;
    const rules = { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 };
    const sizes = await groupSizes(db.pool, { scoring, lifecycle: rules }, { asOf: AS_OF, timeZone: TZ });
    const rfm = Object.fromEntries(rfmGroupIds.map((g) => [g, 0]));
    for (const b of buyers)
      rfm[rfmGroupOf({ daysSinceLastPurchase: b.days, orderCount: b.count, totalSpend: b.spend }, scoring)] += 1;
    const byId = new Map(buyers.map((b) => [b.id, b]));
    const lifecycle: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    for (const id of customerIds) {
      const b = byId.get(id);
      lifecycle[lifecycleGroupOf({ daysSinceLastPurchase: b ? b.days : null, orderCount: b ? b.count : 0 }, rules)] +=
        1;
    }
    expect(sizes).toEqual({ rfm, nonBuyers: customerIds.length - buyers.length, lifecycle });
  });
});
