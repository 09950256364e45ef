// The shop's settings page: GET/PUT /api/settings and the coverage report (engine/src/shop).
import {
  CoverageQuery,
  CoverageReport,
  ShopSettingsResponse,
  UpdateShopSettingsBody,
  ianaTimeZones,
} from '@huitou/schemas/http';
import { withTransaction } from '../../db/transaction.ts';
import { coverageReport } from '../../shop/coverage.ts';
import { readShopSettings, updateShopSettings } from '../../shop/settings.ts';
import { csvLang, csvLines, csvWord } from '../csv.ts';
import { RawResponse, route } from '../route.ts';
import type { Route } from '../route.ts';

export const settingsRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/settings',
    summary:
      "The shop's settings (frequency cap, coverage floor, quiet hours, time zone, signature, attribution window, RFM M) and the time zones it accepts",
    tag: 'settings',
    permission: 'read',
    response: ShopSettingsResponse,
    handler: async ({ deps }) => ({ settings: await readShopSettings(deps.pool), timeZones: ianaTimeZones() }),
  }),
  route({
    method: 'put',
    path: '/api/settings',
    summary: 'Change some of the shop settings (only the fields given); audited with what changed',
    tag: 'settings',
    permission: 'settings.manage',
    body: UpdateShopSettingsBody,
    response: ShopSettingsResponse,
    handler: async ({ deps, body, principal }) => {
      const settings = await withTransaction(deps.pool, (db) => updateShopSettings(db, principal, body));
      return { settings, timeZones: ianaTimeZones() };
    },
  }),
  route({
    method: 'get',
    path: '/api/settings/coverage',
    summary:
      "Each customer's marketing SMS over the last 365 days against the coverage floor, fewest first (paged; every matching customer as CSV with ?format=csv)",
    tag: 'settings',
    permission: 'segments.preview',
    query: CoverageQuery,
    response: CoverageReport,
    alsoProduces: 'text/csv',
    handler: async ({ deps, query, req }) => {
      const csv = query.format === 'csv';
      const report = await coverageReport(deps.pool, {
        asOf: deps.now?.() ?? new Date(),
        belowOnly: query.below,
        page: csv ? null : { limit: query.limit, offset: query.offset },
      });
      if (!csv) return report;
      const lang = csvLang(query.lang, req.get('accept-language'));
      const header = ['customer_id', 'nickname', 'touches', 'last_touch_at', 'below_floor'].map((k) =>
        csvWord(k, lang),
      );
      const rows = report.rows.map((r) => [
        r.customerId,
        r.nickname,
        r.touches,
        r.lastTouchAt,
        r.touches < report.floor,
      ]);
      return new RawResponse(
        'text/csv; charset=utf-8',
        csvLines(header, rows),
        `coverage-${report.to.slice(0, 10)}.csv`,
      );
    },
  }),
];
