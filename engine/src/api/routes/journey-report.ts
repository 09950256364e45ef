// GET /api/journeys/:id/report: a triggered journey's members who entered in a period, measured
// (engine/src/reports/journey-report.ts); JSON, or CSV with ?format=csv or Accept: text/csv.
import { localDateOf } from '@huitou/activities/segments';
import { DEFAULT_TIME_ZONE } from '@huitou/schemas';
import type { JourneyGoal } from '@huitou/schemas';
import { IdParams, JourneyReport, JourneyReportQuery, REPORT_FIGURES } from '@huitou/schemas/http';
import type { JourneyReport as Report } from '@huitou/schemas/http';
import { loadPlan } from '../../plans/load-plan.ts';
import { abCsv } from '../../reports/ab-csv.ts';
import { journeyReport } from '../../reports/journey-report.ts';
import { periodBounds } from '../../reports/period.ts';
import type { CsvLang } from '../csv.ts';
import { csvLang, csvLines, csvWord } from '../csv.ts';
import { unprocessable } from '../errors.ts';
import { RawResponse, route } from '../route.ts';
import type { Route } from '../route.ts';
import { loadJourney } from './journeys.ts';

/** Long form, one figure a line: a spreadsheet reads it as is, and node lines follow the summary. */
export function journeyReportCsv(r: Report, lang: CsvLang = 'en'): string {
  const rows: unknown[][] = [
    ['from', '', r.from, '', ''],
    ['to', '', r.to, '', ''],
    ['time_zone', '', r.timeZone, '', ''],
    ['runs', '', r.runs, '', ''],
    ['entered', '', r.entered, r.treatment.targets, r.holdout.targets],
    ['converted', '', r.converted, r.treatment.buyers, r.holdout.buyers],
    ['gmv', '', r.gmv, r.treatment.sales, r.holdout.sales],
    ...REPORT_FIGURES.filter((f) => !['targets', 'buyers', 'sales'].includes(f)).map((f) => [
      f,
      '',
      r.treatment[f] + r.holdout[f],
      r.treatment[f],
      r.holdout[f],
    ]),
    ['sms_cost', '', r.sms.cost, '', ''],
    ['response_rate', '', '', r.treatment.metrics.responseRate, r.holdout.metrics.responseRate],
    ['roi', '', r.roi, r.treatment.metrics.roi, r.holdout.metrics.roi],
    ['lift', '', r.lift?.lift, '', ''],
    ['lift_ci_low', '', r.lift?.ciLow, '', ''],
    ['lift_ci_high', '', r.lift?.ciHigh, '', ''],
    ['p_value', '', r.lift?.pValue, '', ''],
    ['significant', '', r.lift?.significant, '', ''],
    ['incremental_sales', '', r.incrementalSales, '', ''],
    ['incremental_roi', '', r.incrementalRoi, '', ''],
    ...r.nodes.flatMap((n) =>
      (['reached', 'waiting', 'left', 'exited'] as const).map((f) => [f, n.nodeId, n[f], '', '']),
    ),
  ];
  // The figure names (first cell) are words of the export's language too.
  const worded = rows.map(([figure, ...cells]) => [csvWord(String(figure), lang), ...cells]);
  return (
    csvLines(
      ['figure', 'node', 'total', 'treatment', 'holdout'].map((key) => csvWord(key, lang)),
      worded,
    ) + abCsv(r.ab, lang)
  );
}

export const journeyReportRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/journeys/:id/report',
    summary:
      'A triggered journey over a day, week or custom period: entered, per node, converted, GMV, SMS and cost, ROI, treatment vs holdout with the lift, the arms of each random split compared (CSV with ?format=csv or Accept: text/csv)',
    tag: 'reports',
    permission: 'read',
    params: IdParams,
    query: JourneyReportQuery,
    response: JourneyReport,
    alsoProduces: 'text/csv',
    handler: async ({ deps, params, query, req }) => {
      const journey = await loadJourney(deps.pool, params.id);
      if (journey.kind !== 'triggered')
        throw unprocessable(
          'not_triggered',
          "an audience journey's members enter with its runs: read each run's report (GET /api/runs/:id/report)",
          ['params', 'id'],
        );
      // What the journey means now: the latest published version's goal and time zone.
      const { rows } = await deps.pool.query<{ id: string }>(
        'SELECT id FROM journey_versions WHERE journey_id = $1 ORDER BY version DESC LIMIT 1',
        [journey.id],
      );
      const settings = rows[0] ? (await loadPlan(deps.pool, rows[0].id)).settings : undefined;
      const timeZone = settings?.timeZone ?? DEFAULT_TIME_ZONE;
      const goal: JourneyGoal = settings?.goal ?? { kind: 'purchase' };
      const bounds = periodBounds(query, timeZone, deps.now?.() ?? new Date());
      if ('field' in bounds) throw unprocessable('invalid_period', bounds.message, ['query', bounds.field]);
      const report = await journeyReport(deps.pool, journey, { period: query.period, bounds, timeZone, goal });
      const csv =
        query.format === 'csv' ||
        (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (!csv) return report;
      const first = localDateOf(bounds.from, timeZone);
      const last = localDateOf(new Date(bounds.to.getTime() - 1), timeZone);
      return new RawResponse(
        'text/csv; charset=utf-8',
        journeyReportCsv(report, csvLang(query.lang, req.get('accept-language'))),
        `journey-${journey.id}-report-${first === last ? first : `${first}-${last}`}.csv`,
      );
    },
  }),
];
