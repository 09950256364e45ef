import { useCallback, useEffect, useState } from 'react';
import type { AbSplitReport, ArmFigures, JourneyReport, JourneyReportQuery, ReportRow } from '../api.ts';
import { getRun, journeyReportCsv, runReport, runReportCsv } from '../api.ts';
import { describeError } from '../errors.ts';
import type { Lang, MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { usePolling } from '../monitor/usePolling.ts';
import { formatWhen } from '../monitor/when.ts';
import { AbResults } from './AbResults.tsx';
import { CostRoiChart, ResponseChart, rowLabel } from './Charts.tsx';
import { formatCount, formatMoney, formatP, formatRate, formatRatio } from './format.ts';

const POLL_MS = 5000;

/** The seed report's metrics (docs/domain.md § Holdouts and the report), as [label, value, shown]. */
const metrics: readonly [
  MessageKey,
  string,
  (arm: ArmFigures) => number | null,
  (v: number | null, lang: Lang) => string,
][] = [
  ['repTargets', 'targets', (a) => a.targets, formatCount],
  ['repSent', 'sent', (a) => a.sent, formatCount],
  ['repDelivered', 'delivered', (a) => a.delivered, formatCount],
  ['repBilled', 'billedSegments', (a) => a.billedSegments, formatCount],
  ['repResponseRate', 'responseRate', (a) => a.metrics.responseRate, (v) => formatRate(v)],
  ['repBuyers', 'buyers', (a) => a.buyers, formatCount],
  ['repSales', 'sales', (a) => a.sales, formatMoney],
  ['repAov', 'averageOrderValue', (a) => a.metrics.averageOrderValue, formatMoney],
  ['repConversion', 'conversionRate', (a) => a.metrics.conversionRate, (v) => formatRate(v)],
  ['repCouponsIssued', 'couponsIssued', (a) => a.couponsIssued, formatCount],
  ['repCouponsRedeemed', 'couponsRedeemed', (a) => a.couponsRedeemed, formatCount],
  ['repCouponValue', 'couponValue', (a) => a.couponValue, formatMoney],
  ['repCost', 'cost', (a) => a.cost, formatMoney],
  ['repRoi', 'roi', (a) => a.metrics.roi, (v) => formatRatio(v)],
];

/**
 * A link to a CSV export. The file needs the key, which a plain link cannot send: it is fetched and
 * linked as an object URL, again only when `key` changes (figures by value: a poll with the same
 * figures keeps the link). `fetchCsv` null: nothing to link yet.
 */
function useCsvLink(fetchCsv: (() => Promise<Blob>) | null, key: string, onError: (e: unknown) => void) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!fetchCsv) return;
    let made: string | null = null;
    fetchCsv().then(
      (csv) => setUrl((made = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })))),
      onError,
    );
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [key]); // by value, see above
  return url;
}

/** Treatment and holdout side by side, one row per metric. */
export function ArmsTable({ treatment, holdout }: { treatment: ArmFigures; holdout: ArmFigures }) {
  const { t, lang } = useI18n();
  const arms = { treatment, holdout };
  return (
    <table className="report-table">
      <thead>
        <tr>
          <th />
          <th>{t('treatment')}</th>
          <th>{t('holdoutArm')}</th>
        </tr>
      </thead>
      <tbody>
        {metrics.map(([label, key, value, show]) => (
          <tr key={key}>
            <th scope="row">{t(label)}</th>
            {(['treatment', 'holdout'] as const).map((arm) => {
              const v = value(arms[arm]);
              return (
                <td key={arm} data-cell={`${arm}.${key}`} data-value={v ?? ''}>
                  {show(v, lang)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The response-rate lift with its interval and verdict, and the incremental sales. */
export function LiftLine({ lift, incrementalSales }: Pick<ReportRow, 'lift' | 'incrementalSales'>) {
  const { t, lang } = useI18n();
  return (
    <div
      className={`lift ${lift?.significant ? 'is-significant' : ''}`}
      data-testid="lift"
      data-value={lift?.lift ?? ''}
      data-significant={lift ? String(lift.significant) : ''}
    >
      {lift
        ? t('liftLine', {
            lift: formatRate(lift.lift),
            low: formatRate(lift.ciLow),
            high: formatRate(lift.ciHigh),
            p: formatP(lift.pValue),
            verdict: t(lift.significant ? 'significant' : 'notSignificant'),
          })
        : t('liftNone')}
      {incrementalSales !== null && (
        <span className="report-incremental">
          {t('incrementalSales', { sales: formatMoney(incrementalSales, lang) })}
        </span>
      )}
    </div>
  );
}

/**
 * Per checkpoint (and group, and cycle): treatment and holdout side by side, the lift and whether
 * it is significant; a random split's arms compared with each other.
 */
export function ReportPanel({ runId, timeZone }: { runId: string; timeZone?: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [ab, setAb] = useState<AbSplitReport[]>([]);
  const [firstAt, setFirstAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const report = await runReport(runId);
      // Nothing yet: say when the first evaluation is due (the run knows once members passed a checkpoint).
      setFirstAt(report.rows.length === 0 ? (await getRun(runId)).nextCheckpointAt : null);
      setRows(report.rows);
      setAb(report.ab);
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [runId, i18n]);
  usePolling(load, POLL_MS, runId);

  const csvUrl = useCsvLink(
    rows === null ? null : () => runReportCsv(runId, lang),
    JSON.stringify([runId, rows, lang]),
    (e) => setError(describeError(e, i18n)),
  );

  return (
    <div className="report" data-testid="report" data-rows={rows?.length ?? ''}>
      <div className="report-head">
        <h2>{t('reportTitle')}</h2>
        {csvUrl && (
          <a className="btn" href={csvUrl} download={`run-${runId}-report.csv`} data-testid="report-csv">
            {t('exportCsv')}
          </a>
        )}
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {rows !== null && rows.length === 0 && (
        <div className="empty-hint" data-testid="report-empty">
          {firstAt ? t('firstCheckpointAt', { when: formatWhen(firstAt, i18n, timeZone) }) : t('reportEmpty')}
        </div>
      )}
      {rows !== null && rows.length > 0 && (
        <>
          <div className="chart-row">
            <ResponseChart rows={rows} />
            <CostRoiChart rows={rows} />
          </div>
          <AbResults ab={ab} />
          {rows.map((row, i) => (
            <section key={i} className="report-card" data-testid={`report-row-${i}`}>
              <div className="report-card-head">
                <b>{rowLabel(row)}</b>
                <span className="report-group">{row.group === 'root' ? t('groupAll') : row.group}</span>
                <span className="report-window">
                  {new Date(row.windowStart).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB')} –{' '}
                  {new Date(row.windowEnd).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB')}
                </span>
              </div>
              <ArmsTable treatment={row.treatment} holdout={row.holdout} />
              <LiftLine lift={row.lift} incrementalSales={row.incrementalSales} />
            </section>
          ))}
        </>
      )}
    </div>
  );
}

/** A triggered journey's report for a period: totals, treatment vs holdout, the lift, members per node. */
export function JourneyReportPanel({
  journeyId,
  query,
  report,
  nodeTitle,
  emptyHint,
}: {
  journeyId: string;
  query: JourneyReportQuery;
  report: JourneyReport;
  nodeTitle: (id: string) => string;
  /** Added to the empty state: when a first evaluation can land. */
  emptyHint?: string;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [error, setError] = useState<string | null>(null);

  const csvUrl = useCsvLink(
    () => journeyReportCsv(journeyId, query, lang),
    JSON.stringify([journeyId, query, report, lang]),
    (e) => setError(describeError(e, i18n)),
  );

  const paid = report.goal.kind === 'trigger_order_paid';
  const tiles: [MessageKey, string, string][] = [
    ['jrEntered', 'entered', formatCount(report.entered, lang)],
    [paid ? 'jrPaid' : 'jrConverted', 'converted', formatCount(report.converted, lang)],
    [paid ? 'jrRecoveredGmv' : 'jrGmv', 'gmv', formatMoney(report.gmv, lang)],
    ['repSent', 'sms.sent', formatCount(report.sms.sent, lang)],
    ['repDelivered', 'sms.delivered', formatCount(report.sms.delivered, lang)],
    ['repBilled', 'sms.billedSegments', formatCount(report.sms.billedSegments, lang)],
    ['jrSmsCost', 'sms.cost', formatMoney(report.sms.cost, lang)],
    ['repRoi', 'roi', formatRatio(report.roi)],
  ];
  const day = (at: string) => new Date(at).toLocaleDateString('sv-SE', { timeZone: report.timeZone });
  const last = day(new Date(Date.parse(report.to) - 1).toISOString());
  const range = day(report.from) === last ? last : `${day(report.from)} – ${last}`;
  const file = `journey-${journeyId}-report-${range.replace(' – ', '-')}.csv`;

  return (
    <div className="report" data-testid="journey-report" data-entered={report.entered} data-from={report.from}>
      <div className="report-head">
        <h2>{t('journeyReportTitle')}</h2>
        <span className="report-window" data-testid="report-range">
          {range} ({report.timeZone})
        </span>
        {csvUrl && (
          <a className="btn" href={csvUrl} download={file} data-testid="report-csv">
            {t('exportCsv')}
          </a>
        )}
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {report.entered === 0 && (
        <div className="empty-hint" data-testid="report-empty">
          {t('journeyReportEmpty')}
          {emptyHint && `${lang === 'zh' ? '；' : '. '}${emptyHint}`}
        </div>
      )}
      <div className="report-tiles">
        {tiles.map(([label, key, shown]) => (
          <div key={key} className="report-tile" data-cell={key}>
            <span className="report-tile-label">{t(label)}</span>
            <b>{shown}</b>
          </div>
        ))}
      </div>
      <section className="report-card">
        <ArmsTable treatment={report.treatment} holdout={report.holdout} />
        <LiftLine lift={report.lift} incrementalSales={report.incrementalSales} />
      </section>
      <AbResults ab={report.ab} splitTitle={nodeTitle} />
      {report.nodes.length > 0 && (
        <section className="report-card">
          <table className="report-table" data-testid="report-nodes">
            <thead>
              <tr>
                <th>{t('jrNode')}</th>
                <th>{t('jrReached')}</th>
                <th>{t('jrWaiting')}</th>
                <th>{t('jrLeft')}</th>
                <th>{t('jrExited')}</th>
              </tr>
            </thead>
            <tbody>
              {report.nodes.map((n) => (
                <tr key={n.nodeId} data-node={n.nodeId}>
                  <th scope="row">
                    {nodeTitle(n.nodeId)} <span className="report-node-id">{n.nodeId}</span>
                  </th>
                  <td data-value={n.reached}>{formatCount(n.reached, lang)}</td>
                  <td data-value={n.waiting}>{formatCount(n.waiting, lang)}</td>
                  <td data-value={n.left}>{formatCount(n.left, lang)}</td>
                  <td data-value={n.exited}>{formatCount(n.exited, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
