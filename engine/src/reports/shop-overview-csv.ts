// The shop overview as CSV (GET /api/shop/overview.csv): every figure of the page, one table per
// figure, each with its own header row, separated by a blank line (as the A/B table follows a
// report, ab-csv.ts). Group names are the shop's words in Chinese and the stable ids in English.
import { lifecycleGroupLabels, rfmGroups } from '@huitou/schemas';
import type { ShopOverview } from '@huitou/schemas/http';
import type { CsvLang } from '../api/csv.ts';
import { csvLines, csvWord } from '../api/csv.ts';

type Table = readonly [header: readonly string[], rows: readonly (readonly unknown[])[]];

/** The overview's tables, in the page's order; headers are keys (worded by csvWord). */
export function shopOverviewTables(o: ShopOverview, lang: CsvLang): Table[] {
  const zh = lang === 'zh';
  return [
    [
      ['figure', 'value'],
      [
        ['from', o.from],
        ['to', o.to],
        ['time_zone', o.timeZone],
        ['period', o.period],
        ['monetary', o.monetary],
        ['non_buyers', o.nonBuyers],
      ].map(([key, value]) => [csvWord(String(key), lang), value]),
    ],
    [['period', 'orders', 'buyers', 'sales'], o.trend.map((t) => [t.period, t.orders, t.buyers, t.sales])],
    [
      ['period', 'new_buyers', 'returning_buyers'],
      o.newReturning.map((n) => [n.period, n.newBuyers, n.returningBuyers]),
    ],
    [['province', 'buyers', 'sales'], o.provinces.map((p) => [p.province, p.buyers, p.sales])],
    [['province', 'city', 'buyers', 'sales'], o.cities.map((c) => [c.province, c.city, c.buyers, c.sales])],
    [['category', 'buyers', 'sales'], o.categories.map((c) => [zh ? c.name : c.key, c.buyers, c.sales])],
    [
      ['rfm_group', 'customers', 'over_warning'],
      o.rfm.map((g) => [zh ? rfmGroups[g.group].label.zh : g.group, g.customers, g.warning]),
    ],
    [
      ['lifecycle_group', 'customers'],
      o.lifecycle.map((g) => [zh ? lifecycleGroupLabels[g.group].zh : g.group, g.customers]),
    ],
    [
      ['month', 'buyers', 'next_month', 'two_months', 'quarter'],
      o.repurchase.map((r) => [r.month, r.buyers, r.nextMonth, r.twoMonths, r.quarter]),
    ],
    [
      ['first_time_buyers', 'd1', 'd3', 'd7', 'd30'],
      [[o.retention.firstTimeBuyers, o.retention.d1, o.retention.d3, o.retention.d7, o.retention.d30]],
    ],
    [
      ['cohort', 'buyers', 'ltv_m0', 'ltv_m1', 'ltv_m2', 'ltv_m3'],
      o.ltv.map((c) => [c.cohort, c.buyers, ...c.perBuyer]),
    ],
  ];
}

export function shopOverviewCsv(o: ShopOverview, lang: CsvLang): string {
  return shopOverviewTables(o, lang)
    .map(([header, rows]) =>
      csvLines(
        header.map((key) => csvWord(key, lang)),
        rows,
      ),
    )
    .join('\r\n');
}
