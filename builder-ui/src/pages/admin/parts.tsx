// Pieces the admin pages (settings, keys, audit) share: dates, a pager and saving a download.
import { useI18n } from '../../i18n.ts';
import type { Lang, MessageKey } from '../../i18n.ts';

/** An instant in the reader's locale, to the minute. */
export function dateTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Hands a fetched file (a CSV export) to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** "1–50 of 120" with previous / next; offsets in steps of `limit`. */
export function Pager(props: {
  readonly offset: number;
  readonly limit: number;
  readonly shown: number;
  readonly total: number;
  readonly onOffset: (offset: number) => void;
  readonly testId: string;
  readonly labels: { readonly page: MessageKey; readonly prev: MessageKey; readonly next: MessageKey };
}) {
  const { t } = useI18n();
  const { offset, limit, shown, total } = props;
  return (
    <div className="admin-pager" data-testid={props.testId}>
      <span data-testid={`${props.testId}-range`}>
        {t(props.labels.page, { from: total === 0 ? 0 : offset + 1, to: offset + shown, total })}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - limit))}
        data-testid={`${props.testId}-prev`}
      >
        {t(props.labels.prev)}
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset + shown >= total}
        onClick={() => props.onOffset(offset + limit)}
        data-testid={`${props.testId}-next`}
      >
        {t(props.labels.next)}
      </button>
    </div>
  );
}
