import { useEffect, useState } from 'react';
import type { SegmentInput } from '@huitou/schemas';
import { ApiRequestError } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { SegmentBuilder } from '../../inspector/SegmentBuilder.tsx';
import { SavedSegmentsOffered, forgetSavedSegments } from '../../journey/useSavedSegments.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { paths } from '../../routes.ts';
import type { SavedSegment } from '../../saved-segments-api.ts';
import { createSavedSegment, getSavedSegment, updateSavedSegment } from '../../saved-segments-api.ts';
import { useSession } from '../../session.ts';

const EVERYONE: SegmentInput = { where: { kind: 'all', of: [] }, exclude: [] };
const NEW = 'new';

/**
 * `/segments/new?name=…&definition=<url-encoded JSON>` starts from those (the shop overview links
 * here with a group's conditions); a definition that is not JSON starts from everyone, and says so.
 */
function prefill(search: URLSearchParams): { name: string; definition: SegmentInput; invalid: boolean } {
  const name = search.get('name') ?? '';
  const raw = search.get('definition');
  if (raw === null) return { name, definition: EVERYONE, invalid: false };
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed !== null && typeof parsed === 'object' && 'where' in parsed)
      return { name, definition: parsed as SegmentInput, invalid: false };
  } catch {
    // worded below
  }
  return { name, definition: EVERYONE, invalid: true };
}

type Loaded =
  { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; saved: SavedSegment | null };
type Saving = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'failed'; message: string };

/** One saved segment: its name and conditions (the journey editor's segment builder, with the live count). */
export function SegmentEditPage({ segmentId }: { readonly segmentId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const location = useLocation();
  const isNew = segmentId === NEW;
  const [start] = useState(() => prefill(location.searchParams));
  const [loaded, setLoaded] = useState<Loaded>(isNew ? { state: 'ready', saved: null } : { state: 'loading' });
  const [name, setName] = useState(start.name);
  const [definition, setDefinition] = useState<SegmentInput>(start.definition);
  const [saving, setSaving] = useState<Saving>({ state: 'idle' });

  useEffect(() => {
    // A segment just created is already here: its address changed from /segments/new to its id.
    if (isNew || (loaded.state === 'ready' && loaded.saved?.id === segmentId)) return;
    getSavedSegment(segmentId).then(
      (saved) => {
        setLoaded({ state: 'ready', saved });
        setName(saved.name);
        setDefinition(saved.definition);
      },
      (e: unknown) => setLoaded({ state: 'failed', message: describeError(e, i18n) }),
    );
  }, [segmentId]);

  const saved = loaded.state === 'ready' ? loaded.saved : null;
  const readOnly = !session.can('journeys.write') || saved?.archived === true;
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      if (saving.state !== 'saving') setSaving({ state: 'idle' });
    };

  const save = async () => {
    if (name.trim() === '') return setSaving({ state: 'failed', message: t('segmentNameMissing') });
    setSaving({ state: 'saving' });
    try {
      const result = saved
        ? await updateSavedSegment(saved.id, { name: name.trim(), definition })
        : await createSavedSegment(name.trim(), definition);
      forgetSavedSegments();
      setLoaded({ state: 'ready', saved: result });
      setSaving({ state: 'saved' });
      if (!saved) navigate(paths.segment(result.id), { replace: true });
    } catch (e) {
      const message =
        e instanceof ApiRequestError && e.code === 'segment_name_taken'
          ? t('segmentNameTaken')
          : describeError(e, i18n);
      setSaving({ state: 'failed', message: t('segmentSaveFailed', { message }) });
    }
  };

  return (
    <>
      <PageHeader
        title={isNew ? t('segmentNewTitle') : (saved?.name ?? t('segmentEditTitle'))}
        subtitle={<Link to={paths.segments}>{t('segmentBack')}</Link>}
      >
        {!readOnly && loaded.state === 'ready' && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={saving.state === 'saving'}
            onClick={() => void save()}
            data-testid="segment-save"
          >
            {saving.state === 'saving' ? t('segmentSaving') : t('segmentSave')}
          </button>
        )}
      </PageHeader>
      {loaded.state === 'loading' && <p className="page-empty">{t('segmentsLoading')}</p>}
      {loaded.state === 'failed' && (
        <p className="page-empty" role="alert">
          {t('segmentsLoadFailed', { message: loaded.message })}
        </p>
      )}
      {loaded.state === 'ready' && (
        <div className="segment-edit" data-testid="segment-edit" style={{ maxWidth: 880 }}>
          {start.invalid && isNew && (
            <p className="field-help" role="status" data-testid="segment-prefill-invalid">
              {t('segmentPrefillInvalid')}
            </p>
          )}
          {saved?.archived && (
            <p className="field-help" role="status" data-testid="segment-archived">
              {t('segmentArchived')}
            </p>
          )}
          <label className="field">
            <span className="field-label">{t('segmentName')}</span>
            <input
              className="input"
              value={name}
              maxLength={100}
              disabled={readOnly}
              onChange={(e) => edit(setName)(e.target.value)}
              data-testid="segment-name"
            />
          </label>
          <div className="field">
            <span className="field-label">{t('segmentDefinition')}</span>
            {/* A saved segment is not built on other saved segments. */}
            <SavedSegmentsOffered.Provider value={false}>
              <SegmentBuilder
                id="segment-definition"
                value={definition}
                disabled={readOnly}
                onChange={(v) => edit(setDefinition)(v ?? EVERYONE)}
              />
            </SavedSegmentsOffered.Provider>
          </div>
          {saving.state === 'saved' && (
            <p className="field-help" role="status" data-testid="segment-saved">
              {t('segmentSaved')}
            </p>
          )}
          {saving.state === 'failed' && (
            <p className="field-error" role="alert" data-testid="segment-error">
              {saving.message}
            </p>
          )}
          {saved && (
            <p className="field-help" data-testid="segment-used-by">
              {t('segmentUsedBy')}{' '}
              {saved.usedBy.length === 0
                ? t('segmentsUnused')
                : saved.usedBy.map((u, i) => (
                    <span key={u.journeyId}>
                      {i > 0 && ', '}
                      <Link to={paths.journey(u.journeyId)}>{u.name}</Link>
                    </span>
                  ))}
            </p>
          )}
          <p className="field-help">{t('segmentSnapshotNote')}</p>
        </div>
      )}
    </>
  );
}
