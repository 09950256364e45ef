import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportKindName, ImportOut, ImportSummary } from '../../api.ts';
import { ApiRequestError, getImport, listImports, newUuid, uploadImport } from '../../api.ts';
import { describeError } from '../../errors.ts';
import type { MessageKey } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Pager } from '../../Pager.tsx';
import { formatCount, formatInstant } from '../../report/format.ts';
import { useSession } from '../../session.ts';
import { DataField } from '../DataField.tsx';
import '../data-pages.css';

const PAGE = 20;
/** How often the engine is asked how many rows it has read while a file streams. */
const POLL_MS = 400;

const KINDS: readonly (readonly [ImportKindName, MessageKey])[] = [
  ['customers', 'importsKindCustomers'],
  ['orders', 'importsKindOrders'],
  ['order-items', 'importsKindOrderItems'],
  ['products', 'importsKindProducts'],
  ['reviews', 'importsKindReviews'],
];
const kindLabel = (kind: ImportKindName) => KINDS.find(([k]) => k === kind)?.[1] ?? 'importsKindCustomers';
const STATE_LABEL: Record<ImportSummary['state'], MessageKey> = {
  running: 'importsStateRunning',
  succeeded: 'importsStateSucceeded',
  rejected: 'importsStateRejected',
  failed: 'importsStateFailed',
};

interface RowError {
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
}
type Outcome =
  | { readonly kind: 'done'; readonly result: ImportOut }
  | { readonly kind: 'rejected'; readonly failed: number; readonly count: number; readonly errors: readonly RowError[] }
  | { readonly kind: 'failed'; readonly message: string };

/** Upload a CSV of each kind with its progress and per-row errors; the history of uploads below. */
export function ImportsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { can } = useSession();
  const allowed = can('data.import');
  const [kind, setKind] = useState<ImportKindName>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ percent: number; rows: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [shownErrors, setShownErrors] = useState<{ file: string; errors: readonly RowError[] } | null>(null);
  const [history, setHistory] = useState<{ imports: ImportSummary[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    if (!allowed) return;
    try {
      setHistory(await listImports(PAGE, offset));
      setLoadError(null);
    } catch (error) {
      setLoadError(describeError(error, i18n));
    }
  }, [allowed, offset, i18n]);
  useEffect(() => void refresh(), [refresh]);

  const upload = async () => {
    if (!file) return;
    const importId = newUuid();
    setOutcome(null);
    setShownErrors(null);
    setProgress({ percent: 0, rows: 0 });
    // The engine's row count, asked for while the bytes go up (404 until the import has begun).
    const poll = setInterval(() => {
      getImport(importId).then(
        (p) => setProgress((now) => now && { ...now, rows: p.rowsRead }),
        () => undefined,
      );
    }, POLL_MS);
    try {
      const result = await uploadImport(kind, file, importId, (sent, total) =>
        setProgress((now) => ({ rows: now?.rows ?? 0, percent: total > 0 ? Math.round((sent / total) * 100) : 100 })),
      );
      setOutcome({ kind: 'done', result });
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    } catch (error) {
      const details = error instanceof ApiRequestError ? (error.details as Partial<ImportOut> | undefined) : undefined;
      if (error instanceof ApiRequestError && error.code === 'invalid_rows' && details?.errors) {
        setOutcome({
          kind: 'rejected',
          failed: details.rowsFailed ?? 0,
          count: details.errorCount ?? 0,
          errors: details.errors,
        });
      } else setOutcome({ kind: 'failed', message: describeError(error, i18n) });
    } finally {
      clearInterval(poll);
      setProgress(null);
      setOffset(0);
      await refresh();
    }
  };

  const showErrors = async (entry: ImportSummary) => {
    try {
      const detail = await getImport(entry.id);
      setShownErrors({ file: entry.fileName ?? entry.id, errors: detail.errors });
    } catch (error) {
      setLoadError(describeError(error, i18n));
    }
  };

  if (!allowed)
    return (
      <>
        <PageHeader title={t('navImports')} />
        <p className="page-empty">{t('importsNoPermission')}</p>
      </>
    );

  return (
    <>
      <PageHeader title={t('navImports')} subtitle={t('importsSubtitle')} />
      <section className="data-card" data-testid="import-form">
        <h2>{t('importsUploadTitle')}</h2>
        <DataField label={t('importsKind')}>
          <select
            className="input"
            value={kind}
            onChange={(e) => setKind(e.target.value as ImportKindName)}
            data-testid="import-kind"
          >
            {KINDS.map(([k, label]) => (
              <option key={k} value={k}>
                {t(label)}
              </option>
            ))}
          </select>
        </DataField>
        <DataField label={t('importsFile')}>
          <input
            ref={fileInput}
            className="input"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="import-file"
          />
        </DataField>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!file || progress !== null}
          onClick={() => void upload()}
          data-testid="import-upload"
        >
          {t('importsUpload')}
        </button>
        {progress && (
          <div className="data-progress" data-testid="import-progress">
            <div
              className="data-progress-bar"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress.percent}
            >
              <div className="data-progress-fill" style={{ width: `${progress.percent}%` }} />
            </div>
            <span>{t('importsUploading', { percent: progress.percent, rows: formatCount(progress.rows, lang) })}</span>
          </div>
        )}
        {outcome?.kind === 'done' && (
          <p className="data-ok" data-testid="import-result">
            {t('importsSucceeded', {
              rows: formatCount(outcome.result.rowsRead, lang),
              inserted: formatCount(outcome.result.inserted, lang),
              updated: formatCount(outcome.result.updated, lang),
            })}
          </p>
        )}
        {outcome?.kind === 'failed' && (
          <p className="data-error" data-testid="import-result">
            {outcome.message}
          </p>
        )}
        {outcome?.kind === 'rejected' && (
          <div className="data-row-errors" data-testid="import-result">
            <p className="data-error">{t('importsRejected', { failed: outcome.failed, errors: outcome.count })}</p>
            <RowErrors errors={outcome.errors} />
          </div>
        )}
      </section>

      <h2>{t('importsHistory')}</h2>
      {loadError && <p className="data-error">{loadError}</p>}
      {history && history.total === 0 && <p className="page-empty">{t('importsNone')}</p>}
      {history && history.imports.length > 0 && (
        <table className="data-table" data-testid="import-history">
          <thead>
            <tr>
              <th>{t('importsWhen')}</th>
              <th>{t('importsKind')}</th>
              <th>{t('importsFileName')}</th>
              <th className="num">{t('importsRows')}</th>
              <th className="num">{t('importsInsertedUpdated')}</th>
              <th className="num">{t('importsErrors')}</th>
              <th>{t('importsState')}</th>
              <th>{t('importsWho')}</th>
            </tr>
          </thead>
          <tbody>
            {history.imports.map((entry) => (
              <tr key={entry.id} data-testid={`import-${entry.id}`}>
                <td>{formatInstant(entry.startedAt, lang)}</td>
                <td>{t(kindLabel(entry.kind))}</td>
                <td>{entry.fileName ?? '—'}</td>
                <td className="num">{formatCount(entry.rowsRead, lang)}</td>
                <td className="num">
                  {formatCount(entry.inserted, lang)} / {formatCount(entry.updated, lang)}
                </td>
                <td className="num">
                  {entry.errorCount > 0 ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void showErrors(entry)}
                      data-testid={`import-errors-${entry.id}`}
                    >
                      {t('importsShowErrors', { count: entry.errorCount })}
                    </button>
                  ) : (
                    '0'
                  )}
                </td>
                <td>
                  <span className={`data-state is-${entry.state}`}>{t(STATE_LABEL[entry.state])}</span>
                </td>
                <td>{entry.actorName ?? entry.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {history && <Pager offset={offset} limit={PAGE} total={history.total} onChange={setOffset} />}
      {shownErrors && (
        <section className="data-card" data-testid="import-shown-errors">
          <h2>{t('importsErrorsOf', { file: shownErrors.file })}</h2>
          <RowErrors errors={shownErrors.errors} />
        </section>
      )}
    </>
  );
}

/** A rejected file's row errors: where (line of the file, column of its header) and what. */
function RowErrors({ errors }: { readonly errors: readonly RowError[] }) {
  const { t } = useI18n();
  return (
    <table className="data-table" data-testid="import-errors">
      <thead>
        <tr>
          <th className="num">{t('importsLine')}</th>
          <th>{t('importsColumn')}</th>
          <th>{t('importsProblem')}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={`${e.line}-${e.column ?? ''}-${i}`}>
            <td className="num">{e.line}</td>
            <td>{e.column ?? '—'}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
