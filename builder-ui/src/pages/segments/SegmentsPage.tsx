import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { forgetSavedSegments } from '../../journey/useSavedSegments.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import type { SavedSegment } from '../../saved-segments-api.ts';
import { archiveSavedSegment, listSavedSegments } from '../../saved-segments-api.ts';
import { useSession } from '../../session.ts';
import { SegmentEditPage } from './SegmentEditPage.tsx';

type List = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'done'; segments: SavedSegment[] };

/** Without `segmentId`: the list; with it, one of them ('new' for a segment being created). */
export function SegmentsPage({ segmentId }: { readonly segmentId?: string }) {
  return segmentId === undefined ? <SegmentList /> : <SegmentEditPage segmentId={segmentId} />;
}

/** The saved segments with their live counts and the journeys using each; archive from here. */
function SegmentList() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const session = useSession();
  const canWrite = session.can('journeys.write');
  const [list, setList] = useState<List>({ state: 'loading' });
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => {
    listSavedSegments().then(
      (segments) => setList({ state: 'done', segments }),
      (e: unknown) => setList({ state: 'failed', message: describeError(e, i18n) }),
    );
    // i18n only words a failure.
  }, []);
  useEffect(load, [load]);
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';

  const archive = async (s: SavedSegment) => {
    if (!window.confirm(t('segmentsArchiveConfirm', { name: s.name }))) return;
    try {
      await archiveSavedSegment(s.id);
      forgetSavedSegments();
      setProblem(null);
      load();
    } catch (e) {
      setProblem(t('segmentsArchiveFailed', { message: describeError(e, i18n) }));
    }
  };

  return (
    <>
      <PageHeader title={t('navSegments')} subtitle={t('segmentsSubtitle')}>
        {canWrite && (
          <Link to={paths.newSegment} className="btn btn-primary" data-testid="segments-new">
            {t('segmentsNew')}
          </Link>
        )}
      </PageHeader>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {list.state === 'loading' && <p className="page-empty">{t('segmentsLoading')}</p>}
      {list.state === 'failed' && (
        <p className="page-empty" role="alert">
          {t('segmentsLoadFailed', { message: list.message })}
        </p>
      )}
      {list.state === 'done' && list.segments.length === 0 && (
        <p className="page-empty" data-testid="segments-empty">
          {t('segmentsEmpty')}
        </p>
      )}
      {list.state === 'done' && list.segments.length > 0 && (
        <table className="data-table" data-testid="segments-table">
          <thead>
            <tr>
              <th>{t('segmentsColName')}</th>
              <th>{t('segmentsColCount')}</th>
              <th>{t('segmentsColUsedBy')}</th>
              <th>{t('segmentsColUpdated')}</th>
              {canWrite && <th />}
            </tr>
          </thead>
          <tbody>
            {list.segments.map((s) => (
              <tr key={s.id} data-testid="segment-row" data-id={s.id}>
                <td>
                  <Link to={paths.segment(s.id)} data-testid="segment-link">
                    {s.name}
                  </Link>
                </td>
                <td data-testid="segment-count" data-count={s.count ?? ''}>
                  {s.count === null ? '—' : s.count.toLocaleString(locale)}
                </td>
                <td data-testid="segment-used-by">
                  {s.usedBy.length === 0
                    ? t('segmentsUnused')
                    : s.usedBy.map((u, i) => (
                        <span key={u.journeyId}>
                          {i > 0 && (lang === 'zh' ? '、' : ', ')}
                          <Link to={paths.journey(u.journeyId)}>{u.name}</Link>
                        </span>
                      ))}
                </td>
                <td>{new Date(s.updatedAt).toLocaleString(locale)}</td>
                {canWrite && (
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      onClick={() => void archive(s)}
                      data-testid="segment-archive"
                    >
                      {t('segmentsArchive')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
