import type { JourneyReportQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** What the marketer picked: dates are local (the journey's zone); a custom "until" is inclusive. */
export interface PeriodChoice {
  readonly period: 'day' | 'week' | 'custom';
  /** Empty: today (day, week). */
  readonly date: string;
  readonly from: string;
  readonly until: string;
}

export const TODAY: PeriodChoice = { period: 'day', date: '', from: '', until: '' };

const nextDate = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

/** The API's query for a choice; null while a custom range is incomplete or backwards. */
export function queryOf(c: PeriodChoice): JourneyReportQuery | null {
  if (c.period !== 'custom') return { period: c.period, ...(c.date ? { from: c.date } : {}) };
  if (!c.from || !c.until || c.until < c.from) return null;
  return { period: 'custom', from: c.from, to: nextDate(c.until) };
}

export function PeriodPicker({ value, onChange }: { value: PeriodChoice; onChange: (c: PeriodChoice) => void }) {
  const { t } = useI18n();
  return (
    <div className="period-picker" data-testid="period-picker">
      <div className="segmented" role="radiogroup" aria-label={t('period')}>
        {(['day', 'week', 'custom'] as const).map((p) => (
          <button
            key={p}
            type="button"
            role="radio"
            aria-checked={value.period === p}
            className={`tab ${value.period === p ? 'is-on' : ''}`}
            onClick={() => onChange({ ...value, period: p })}
            data-testid={`period-${p}`}
          >
            {t(p === 'day' ? 'periodDay' : p === 'week' ? 'periodWeek' : 'periodCustom')}
          </button>
        ))}
      </div>
      {value.period === 'custom' ? (
        <>
          <input
            type="date"
            className="input"
            aria-label={t('periodFrom')}
            value={value.from}
            onChange={(e) => onChange({ ...value, from: e.target.value })}
            data-testid="period-from"
          />
          <span>–</span>
          <input
            type="date"
            className="input"
            aria-label={t('periodUntil')}
            value={value.until}
            onChange={(e) => onChange({ ...value, until: e.target.value })}
            data-testid="period-until"
          />
        </>
      ) : (
        <input
          type="date"
          className="input"
          aria-label={t(value.period === 'week' ? 'periodWeekOf' : 'periodDate')}
          title={t('periodTodayHint')}
          value={value.date}
          onChange={(e) => onChange({ ...value, date: e.target.value })}
          data-testid="period-date"
        />
      )}
    </div>
  );
}
