// GET /api/shop/overview: the shop at a glance (engine/src/reports/shop-overview.ts), and as CSV.
import { localDateOf } from '@huitou/activities/segments';
import { MAX_OVERVIEW_DAYS, ShopOverview, ShopOverviewCsvQuery, ShopOverviewQuery } from '@huitou/schemas/http';
import { z } from 'zod';
import { csvLang } from '../csv.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { shopOverview } from '../../reports/shop-overview.ts';
import { shopOverviewCsv } from '../../reports/shop-overview-csv.ts';
import { readShopSettings } from '../../shop/settings.ts';
import { RawResponse, route } from '../route.ts';
import type { Route } from '../route.ts';

const DAY_MS = 86_400_000;

/** A local date plus `days` (calendar arithmetic in UTC). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The overview for a query: its range defaulted and checked in the shop's time zone. */
async function overview(deps: ApiDeps, query: z.output<typeof ShopOverviewQuery>): Promise<ShopOverview> {
  const shop = await readShopSettings(deps.pool);
  const asOf = deps.now?.() ?? new Date();
  const to = query.to ?? localDateOf(asOf, shop.timeZone);
  const from = query.from ?? addDays(to, -89);
  if (from > to) throw new ApiError(400, 'invalid_range', 'from must not be after to', ['query', 'from']);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_OVERVIEW_DAYS)
    throw new ApiError(400, 'invalid_range', `the range spans at most ${MAX_OVERVIEW_DAYS} days`, ['query', 'from']);
  return shopOverview(deps.pool, {
    from,
    to,
    timeZone: shop.timeZone,
    period: query.period,
    monetary: query.monetary ?? shop.rfmMonetary,
    asOf,
  });
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
    handler: async ({ deps, query }) => overview(deps, query),
  }),
  route({
    method: 'get',
    path: '/api/shop/overview.csv',
    summary:
      'Every figure of the shop overview as CSV: one table per figure, separated by a blank line (Chinese headers unless ?lang=en)',
    tag: 'reports',
    permission: 'read',
    query: ShopOverviewCsvQuery,
    response: z.string(),
    produces: 'text/csv',
    handler: async ({ deps, query, req }) => {
      const { lang, ...range } = query;
      const o = await overview(deps, range);
      return new RawResponse(
        'text/csv; charset=utf-8',
        shopOverviewCsv(o, csvLang(lang, req.get('accept-language'))),
        `shop-overview-${o.from}-${o.to}-${o.period}.csv`,
      );
    },
  }),
];
