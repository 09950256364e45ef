import { useCallback, useEffect, useState } from 'react';
import '../runs/runs.css';
import type { JourneyListItem } from '../../api.ts';
import { archiveJourney, listJourneyPage, unarchiveJourney } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { runStateLabel } from '../../messages.ts';
import { formatWhen } from '../../monitor/when.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { TemplatesGallery } from '../../panels/TemplatesGallery.tsx';
import { formatCount } from '../../report/format.ts';
import { Link, navigate } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { useSession } from '../../session.ts';
import { useAddressFilters } from '../runs/address-filters.ts';
import { Pager } from '../../Pager.tsx';
import { journeyStateLabel } from './journey-state.ts';

const PAGE = 20;
const SEARCH_DELAY_MS = 250;
const FILTERS = ['q', 'archived'] as const;

/** The landing page: every journey with what it is doing now; search, archive, a new journey. */
export function HomePage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const session = useSession();
  const canWrite = session.can('journeys.write');
  const { filters, offset, set } = useAddressFilters(paths.home, FILTERS);
  const { q } = filters;
  const archived = filters.archived === 'true';
  const setFilters = (next: { q?: string; archived?: boolean; offset?: number }) =>
    set({ q: next.q, archived: next.archived === undefined ? undefined : next.archived ? 'true' : '' }, next.offset);

  const [typed, setTyped] = useState(q);
  const [page, setPage] = useState<{ journeys: JourneyListItem[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(() => {
    listJourneyPage({ q: q || undefined, archived: archived ? 'true' : 'false', limit: PAGE, offset }).then(
      (found) => {
        setPage(found);
        setError(null);
      },
      (e: unknown) => setError(describeError(e, i18n)),
    );
  }, [q, archived, offset, i18n]);
  useEffect(load, [load]);

  // Back and forward change the address: the box follows.
  useEffect(() => setTyped(q), [q]);
  // Typing searches after a short pause (one request per pause, not per key).
  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => setFilters({ q: typed }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  });

  const toggleArchive = async (j: JourneyListItem) => {
    try {
      if (j.state === 'archived') await unarchiveJourney(j.id);
      else await archiveJourney(j.id);
      setNotice(t(j.state === 'archived' ? 'homeUnarchived' : 'homeArchived', { name: j.name }));
      load();
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  return (
    <div data-testid="home">
      <PageHeader title={t('navHome')} subtitle={t('homeSubtitle')}>
        {canWrite && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            data-testid="home-new-journey"
          >
            {t('homeNewJourney')}
          </button>
        )}
      </PageHeader>
      <div className="list-filters">
        <input
          className="input"
          type="search"
          value={typed}
          placeholder={t('homeSearch')}
          aria-label={t('homeSearch')}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="home-search"
        />
        <div className="segmented" role="group">
          {[false, true].map((a) => (
            <button
              key={String(a)}
              type="button"
              className={`btn btn-small ${archived === a ? 'is-on' : ''}`}
              aria-pressed={archived === a}
              onClick={() => setFilters({ archived: a })}
              data-testid={a ? 'home-show-archived' : 'home-show-active'}
            >
              {t(a ? 'homeShowArchived' : 'homeShowActive')}
            </button>
          ))}
        </div>
      </div>
      {error && (
        <div className="field-error" role="alert" data-testid="home-error">
          {error}
        </div>
      )}
      {notice && (
        <div className="list-notice" role="status" data-testid="home-notice">
          {notice}
        </div>
      )}
      {page && page.total === 0 ? (
        <p className="page-empty" data-testid="home-empty">
          {q || archived ? t('homeNoMatch') : t('homeEmpty')}
        </p>
      ) : (
        page && (
          <>
            <table className="data-table" data-testid="home-journeys">
              <thead>
                <tr>
                  <th>{t('homeColName')}</th>
                  <th>{t('homeColState')}</th>
                  <th>{t('homeColCurrentRun')}</th>
                  <th className="num">{t('homeColPeopleIn')}</th>
                  <th className="num">{t('homeColMessagesSent')}</th>
                  <th>{t('homeColEdited')}</th>
                  {canWrite && <th />}
                </tr>
              </thead>
              <tbody>
                {page.journeys.map((j) => {
                  const run = j.figures.currentRun;
                  return (
                    <tr key={j.id} data-testid={`home-row-${j.id}`}>
                      <td>
                        <Link to={paths.journey(j.id)} data-testid={`journey-${j.id}`}>
                          {j.name}
                        </Link>
                      </td>
                      <td data-testid="home-state">{journeyStateLabel(j.state, i18n)}</td>
                      <td>
                        {run ? (
                          <Link to={paths.run(j.id, run.id)} data-testid="home-current-run">
                            {runStateLabel(run.state, i18n)}
                            {run.startedAt ? ` · ${formatWhen(run.startedAt, i18n)}` : ''}
                          </Link>
                        ) : (
                          <span className="muted">{t('homeNoCurrentRun')}</span>
                        )}
                      </td>
                      <td className="num" data-testid="home-people-in">
                        {formatCount(j.figures.peopleIn, lang)}
                      </td>
                      <td className="num" data-testid="home-messages-sent">
                        {formatCount(j.figures.messagesSent, lang)}
                      </td>
                      <td>{formatWhen(j.updatedAt, i18n)}</td>
                      {canWrite && (
                        <td>
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => void toggleArchive(j)}
                            data-testid={j.state === 'archived' ? 'home-unarchive' : 'home-archive'}
                          >
                            {t(j.state === 'archived' ? 'homeUnarchive' : 'homeArchive')}
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager offset={offset} limit={PAGE} total={page.total} onChange={(o) => setFilters({ offset: o })} />
          </>
        )
      )}
      {creating && (
        <TemplatesGallery
          onCreated={(journey) => navigate(paths.journey(journey.id))}
          onClose={() => setCreating(false)}
        />
      )}
    </div>
  );
}
