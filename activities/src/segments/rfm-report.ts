import type { PurchaseWindow, RfmGroupId, RfmMonetary } from '@huitou/schemas';
import {
  LifecycleRules,
  PurchaseWindow as PurchaseWindowSchema,
  RfmScoring,
  rfmGroupIds,
  rfmGroups,
} from '@huitou/schemas';
import type { Queryable } from '../db/member-set.ts';
import type { SegmentContext } from './context.ts';
import { LoweringContext } from './context.ts';
import { daysSinceLastPurchase } from './fields.ts';
import { ConditionLowering } from './lower-condition.ts';
import { PurchaseSources } from './purchase-sources.ts';
import { SqlParams } from './sql-params.ts';

/**
 * How many customers fall in each RFM and lifecycle group: what the builder shows next to the
 * group picker (a group over ~30,000 is too coarse to target, docs/domain.md § Segments). One pass over purchases.
 */
export interface GroupSizes {
  readonly rfm: Record<RfmGroupId, number>;
  /** Customers without any purchase: outside every RFM group. */
  readonly nonBuyers: number;
  readonly lifecycle: Record<'A' | 'B' | 'C' | 'D', number>;
}

export async function groupSizes(
  db: Queryable,
  options: {
    scoring: RfmScoring;
    window?: PurchaseWindow;
    lifecycle?: Partial<LifecycleRules>;
    /** M by total spend (default) or by average order value. */
    monetary?: RfmMonetary;
  },
  ctx: SegmentContext,
): Promise<GroupSizes> {
  const scoring = RfmScoring.parse(options.scoring);
  const window = PurchaseWindowSchema.parse(options.window ?? { kind: 'all_time' });
  const rules = LifecycleRules.parse(options.lifecycle ?? {});
  const params = new SqlParams();
  const lc = new LoweringContext(ctx, params);
  const sources = new PurchaseSources(lc);
  const levels = new ConditionLowering(lc, sources).rfmLevels(scoring, window, options.monetary);
  const s = sources.stats();
  const days = daysSinceLastPurchase(lc, sources);
  const lifecycle = `CASE WHEN ${s}.customer_id IS NULL OR ${days} > ${params.add(rules.lostAfterDays, 'int')} THEN 'D'
                          WHEN ${days} > ${params.add(rules.activeDays, 'int')} THEN 'C'
                          WHEN ${s}.n >= ${params.add(rules.loyalMinOrders, 'int')} THEN 'A' ELSE 'B' END`;
  const { ctes, joinSql } = sources.render();
  const withSql = ctes.length ? `WITH ${ctes.join(',\n')}\n` : '';
  const { rows } = await db.query<{
    buyer: boolean;
    r: boolean;
    f: boolean;
    m: boolean;
    lifecycle: 'A' | 'B' | 'C' | 'D';
    n: number;
  }>(
    `${withSql}SELECT ${levels.buyer} AS buyer, ${levels.r} AS r, ${levels.f} AS f, ${levels.m} AS m, ${lifecycle} AS lifecycle, count(*)::int AS n
     FROM customers c
     ${joinSql}
     GROUP BY 1, 2, 3, 4, 5`,
    params.values,
  );
  const rfm = Object.fromEntries(rfmGroupIds.map((g) => [g, 0])) as Record<RfmGroupId, number>;
  const lifecycleSizes = { A: 0, B: 0, C: 0, D: 0 };
  let nonBuyers = 0;
  for (const row of rows) {
    lifecycleSizes[row.lifecycle] += row.n;
    if (!row.buyer) {
      nonBuyers += row.n;
      continue;
    }
    const level = (high: boolean) => (high ? 'high' : 'low');
    const group = rfmGroupIds.find(
      (g) => rfmGroups[g].r === level(row.r) && rfmGroups[g].f === level(row.f) && rfmGroups[g].m === level(row.m),
    );
    if (group) rfm[group] += row.n;
  }
  return { rfm, nonBuyers, lifecycle: lifecycleSizes };
}
