import { useI18n } from './i18n.ts';

/**
 * Paging for every workspace list: "21–40 of 95" with previous and next. The page owns `offset`
 * (so it can keep it in its state or address); the pager only asks to move it.
 */
export function Pager({
  offset,
  limit,
  total,
  onChange,
  testId = 'pager',
}: {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly onChange: (offset: number) => void;
  readonly testId?: string;
}) {
  const { t } = useI18n();
  if (total === 0) return null;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('pagerLabel')} data-testid={testId}>
      <button
        type="button"
        className="btn"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
        data-testid={`${testId}-prev`}
      >
        {t('pagerPrev')}
      </button>
      <span className="pager-range" data-testid={`${testId}-range`}>
        {t('pagerRange', { from: total === 0 ? 0 : offset + 1, to: last, total })}
      </span>
      <button
        type="button"
        className="btn"
        disabled={last >= total}
        onClick={() => onChange(offset + limit)}
        data-testid={`${testId}-next`}
      >
        {t('pagerNext')}
      </button>
    </nav>
  );
}
