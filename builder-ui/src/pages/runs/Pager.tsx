import { useI18n } from '../../i18n.ts';

/** Previous / next over offset pages, with where this page sits in the total. */
export function Pager({
  offset,
  limit,
  total,
  shown,
  onOffset,
}: {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  /** Rows on this page. */
  readonly shown: number;
  onOffset(offset: number): void;
}) {
  const { t } = useI18n();
  if (total === 0) return null;
  return (
    <div className="pager" data-testid="pager">
      <span className="pager-range" data-testid="pager-range">
        {t('runsPagerRange', { from: shown === 0 ? 0 : offset + 1, to: offset + shown, total })}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
        data-testid="pager-prev"
      >
        {t('runsPagerPrev')}
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
        data-testid="pager-next"
      >
        {t('runsPagerNext')}
      </button>
    </div>
  );
}
