import { useEffect, useState } from 'react';
import type { CoverageReport } from '../../admin-api.ts';
import { coverageCsv, getCoverage } from '../../admin-api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { Pager } from '../../Pager.tsx';
import { dateTime, saveBlob } from '../admin/parts.tsx';

const PAGE = 20;

/** Each customer's marketing touches over the last 365 days against the floor, fewest first. */
export function CoverageSection({ floor }: { readonly floor: number }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [below, setBelow] = useState(false);
  const [offset, setOffset] = useState(0);
  const [report, setReport] = useState<CoverageReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  // `floor` is the saved one: a save reloads the report against it.
  useEffect(() => {
    let current = true;
    getCoverage({ below, limit: PAGE, offset }).then(
      (r) => {
        if (!current) return;
        setReport(r);
        setError(null);
      },
      (e: unknown) => current && setError(describeError(e, i18n)),
    );
    return () => {
      current = false;
    };
  }, [below, offset, floor, i18n]);

  const download = async () => {
    try {
      saveBlob(await coverageCsv(below, lang), `coverage${below ? '-below' : ''}.csv`);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  return (
    <div data-testid="settings-coverage">
      <h3>{t('settingsCoverageTitle')}</h3>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <div className="admin-row">
        {report && (
          <span data-testid="settings-coverage-summary">
            {t('settingsCoverageSummary', {
              customers: report.customers,
              below: report.belowFloor,
              atCap: report.atCap,
            })}
          </span>
        )}
        <label>
          <input
            type="checkbox"
            checked={below}
            onChange={(e) => {
              setBelow(e.target.checked);
              setOffset(0);
            }}
            data-testid="settings-coverage-below"
          />
          {t('settingsCoverageBelowOnly')}
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void download()}
          data-testid="settings-coverage-csv"
        >
          {t('settingsCoverageCsv')}
        </button>
      </div>
      {report && (
        <>
          <table className="data-table" data-testid="settings-coverage-table">
            <thead>
              <tr>
                <th>{t('settingsCoverageCustomer')}</th>
                <th className="num">{t('settingsCoverageTouches')}</th>
                <th>{t('settingsCoverageLast')}</th>
                <th>{t('settingsCoverageBelow')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.length === 0 && (
                <tr>
                  <td colSpan={4} className="page-empty">
                    {t('settingsCoverageEmpty')}
                  </td>
                </tr>
              )}
              {report.rows.map((r) => (
                <tr key={r.customerId} data-testid="settings-coverage-row">
                  <td>
                    {r.nickname} <span className="admin-help">#{r.customerId}</span>
                  </td>
                  <td className="num">{r.touches}</td>
                  <td>{r.lastTouchAt ? dateTime(r.lastTouchAt, lang) : '—'}</td>
                  <td>{r.touches < report.floor ? '●' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            offset={offset}
            limit={PAGE}
            total={report.total}
            onChange={setOffset}
            testId="settings-coverage-pager"
          />
        </>
      )}
    </div>
  );
}
