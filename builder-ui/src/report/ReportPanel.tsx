import { useCallback, useEffect, useState } from 'react';
import type { ArmFigures, ReportRow } from '../api.ts';
import { runReport, runReportCsv } from '../api.ts';
import { describeError } from '../errors.ts';
import type { Lang, MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { usePolling } from '../monitor/usePolling.ts';
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
  ['repCost', 'cost', (a) => a.cost, formatMoney],
  ['repRoi', 'roi', (a) => a.metrics.roi, (v) => formatRatio(v)],
];

/**
 * Per checkpoint (and group, and cycle): treatment and holdout side by side, the lift and whether
 * it is significant.
 */
export function ReportPanel({ runId }: { runId: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [csvUrl, setCsvUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await runReport(runId));
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [runId, i18n]);
  usePolling(load, POLL_MS, runId);

  // The CSV needs the key, which a plain link cannot send: fetch it and link the file.
  const rowsKey = JSON.stringify(rows);
  useEffect(() => {
    if (rows === null) return;
    let url: string | null = null;
    runReportCsv(runId).then(
      (csv) => setCsvUrl((url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })))),
      (e: unknown) => setError(describeError(e, i18n)),
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [runId, rowsKey]); // rows by value: a poll with the same figures keeps the link

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
      {rows !== null && rows.length === 0 && <div className="empty-hint">{t('reportEmpty')}</div>}
      {rows !== null && rows.length > 0 && (
        <>
          <div className="chart-row">
            <ResponseChart rows={rows} />
            <CostRoiChart rows={rows} />
          </div>
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
                        const v = value(row[arm]);
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
              <div
                className={`lift ${row.lift?.significant ? 'is-significant' : ''}`}
                data-testid="lift"
                data-value={row.lift?.lift ?? ''}
                data-significant={row.lift ? String(row.lift.significant) : ''}
              >
                {row.lift
                  ? t('liftLine', {
                      lift: formatRate(row.lift.lift),
                      low: formatRate(row.lift.ciLow),
                      high: formatRate(row.lift.ciHigh),
                      p: formatP(row.lift.pValue),
                      verdict: t(row.lift.significant ? 'significant' : 'notSignificant'),
                    })
                  : t('liftNone')}
                {row.incrementalSales !== null && (
                  <span className="report-incremental">
                    {t('incrementalSales', { sales: formatMoney(row.incrementalSales, lang) })}
                  </span>
                )}
              </div>
            </section>
          ))}
        </>
      )}
    </div>
  );
}
