import { useEffect, useState } from 'react';
import './runs.css';
import { RunState } from '@huitou/schemas/http';
import type { JourneyListItem, RunListItem } from '../../api.ts';
import { listJourneyPage, listRunPage } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { runStateLabel } from '../../messages.ts';
import { formatWhen } from '../../monitor/when.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { formatCount } from '../../report/format.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { useAddressFilters } from './address-filters.ts';
import { Pager } from '../../Pager.tsx';

const PAGE = 20;
const FILTERS = ['journeyId', 'state', 'from', 'to'] as const;

/** The start of a local calendar day (YYYY-MM-DD from a date input) as an instant; '' stays unset. */
const dayStart = (day: string, plusDays = 0) => {
  if (!day) return undefined;
  const at = new Date(`${day}T00:00:00`);
  at.setDate(at.getDate() + plusDays);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
};

/** Every journey's runs, newest first: filters in the address, pages, a link to each run's monitor. */
export function RunsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { filters: filter, offset, set: go } = useAddressFilters(paths.runs, FILTERS);

  const [journeys, setJourneys] = useState<JourneyListItem[]>([]);
  const [page, setPage] = useState<{ runs: RunListItem[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listJourneyPage({ limit: 500 }).then(
      (found) => setJourneys(found.journeys),
      (e: unknown) => setError(describeError(e, i18n)),
    );
  }, [i18n]);
  const { journeyId, state, from, to } = filter;
  useEffect(() => {
    listRunPage({
      journeyId: journeyId || undefined,
      state: RunState.safeParse(state).data,
      from: dayStart(from),
      // The "to" day is included: runs before the next day's start.
      to: dayStart(to, 1),
      limit: PAGE,
      offset,
    }).then(
      (found) => {
        setPage(found);
        setError(null);
      },
      (e: unknown) => setError(describeError(e, i18n)),
    );
  }, [journeyId, state, from, to, offset, i18n]);

  return (
    <div data-testid="runs-page">
      <PageHeader title={t('navRuns')} subtitle={t('runsSubtitle')} />
      <div className="list-filters">
        <label>
          {t('runsFilterJourney')}
          <select
            className="input"
            value={journeyId}
            onChange={(e) => go({ journeyId: e.target.value })}
            data-testid="runs-filter-journey"
          >
            <option value="">{t('runsAll')}</option>
            {journeys.map((j) => (
              <option key={j.id} value={j.id}>
                {j.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('runsFilterState')}
          <select
            className="input"
            value={state}
            onChange={(e) => go({ state: e.target.value })}
            data-testid="runs-filter-state"
          >
            <option value="">{t('runsAll')}</option>
            {RunState.options.map((s) => (
              <option key={s} value={s}>
                {runStateLabel(s, i18n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('runsFilterFrom')}
          <input
            className="input"
            type="date"
            value={from}
            onChange={(e) => go({ from: e.target.value })}
            data-testid="runs-filter-from"
          />
        </label>
        <label>
          {t('runsFilterTo')}
          <input
            className="input"
            type="date"
            value={to}
            onChange={(e) => go({ to: e.target.value })}
            data-testid="runs-filter-to"
          />
        </label>
      </div>
      {error && (
        <div className="field-error" role="alert" data-testid="runs-error">
          {error}
        </div>
      )}
      {page && page.total === 0 ? (
        <p className="page-empty" data-testid="runs-empty">
          {t('runsEmpty')}
        </p>
      ) : (
        page && (
          <>
            <table className="data-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th>{t('runsColCreated')}</th>
                  <th>{t('runsColJourney')}</th>
                  <th>{t('runsColState')}</th>
                  <th className="num">{t('runsColMembers')}</th>
                  <th>{t('runsColEnded')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {page.runs.map((r) => (
                  <tr key={r.id} data-testid={`run-row-${r.id}`}>
                    <td>{formatWhen(r.createdAt, i18n)}</td>
                    <td>
                      <Link to={paths.journey(r.journeyId)}>{r.journeyName}</Link>
                    </td>
                    <td data-testid="run-state">{runStateLabel(r.state, i18n)}</td>
                    <td className="num">{formatCount(r.memberCount, lang)}</td>
                    <td>{r.endedAt ? formatWhen(r.endedAt, i18n) : '—'}</td>
                    <td>
                      <Link to={paths.run(r.journeyId, r.id)} data-testid="run-open">
                        {t('runsOpenMonitor')}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager offset={offset} limit={PAGE} total={page.total} onChange={(o) => go({}, o)} />
          </>
        )
      )}
    </div>
  );
}
