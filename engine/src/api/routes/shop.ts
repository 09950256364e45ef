// GET /api/shop/overview: the shop at a glance (engine/src/reports/shop-overview.ts).
import { localDateOf } from '@huitou/activities/segments';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '@huitou/schemas';
import { MAX_OVERVIEW_DAYS, RfmMonetary, ShopOverview, ShopOverviewQuery } from '@huitou/schemas/http';
import type { Queryable } from '@huitou/activities/segments';
import { ApiError } from '../errors.ts';
import { shopOverview } from '../../reports/shop-overview.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

const DAY_MS = 86_400_000;

/** A local date plus `days` (calendar arithmetic in UTC). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The shop's time zone and RFM monetary choice, when its settings have them (read by name from
 * the row, so a settings column added later is picked up); otherwise Asia/Shanghai and sum.
 */
export async function shopDefaults(db: Queryable): Promise<{ timeZone: string; monetary: RfmMonetary }> {
  const { rows } = await db.query<{ s: Record<string, unknown> }>(
    'SELECT to_jsonb(s) AS s FROM shop_settings s LIMIT 1',
  );
  const s = rows[0]?.s ?? {};
  const tz = s.time_zone;
  const monetary = RfmMonetary.safeParse(s.rfm_monetary);
  return {
    timeZone: typeof tz === 'string' && isValidTimeZone(tz) ? tz : DEFAULT_TIME_ZONE,
    monetary: monetary.success ? monetary.data : 'sum',
  };
}

export const shopRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/shop/overview',
    summary:
      'The shop at a glance over a range of local days: sales trend, new vs returning buyers, provinces and cities, category mix, RFM-8 and A/B/C/D group sizes, repurchase and retention rates, lifetime value by cohort; each figure with its query time',
    tag: 'reports',
    permission: 'read',
    query: ShopOverviewQuery,
    response: ShopOverview,
    handler: async ({ deps, query }) => {
      const defaults = await shopDefaults(deps.pool);
      const asOf = deps.now?.() ?? new Date();
      const to = query.to ?? localDateOf(asOf, defaults.timeZone);
      const from = query.from ?? addDays(to, -89);
      if (from > to) throw new ApiError(400, 'invalid_range', 'from must not be after to', ['query', 'from']);
      const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
      if (days > MAX_OVERVIEW_DAYS)
        throw new ApiError(400, 'invalid_range', `the range spans at most ${MAX_OVERVIEW_DAYS} days`, [
          'query',
          'from',
        ]);
      return shopOverview(deps.pool, {
        from,
        to,
        timeZone: defaults.timeZone,
        period: query.period,
        monetary: query.monetary ?? defaults.monetary,
        asOf,
      });
    },
  }),
];
