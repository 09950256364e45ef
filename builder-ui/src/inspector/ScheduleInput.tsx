import type { Duration } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { DurationPicker } from './DurationPicker.tsx';
import type { WidgetProps } from './basic-widgets.tsx';
import { TimeSelect, WEEKDAYS } from './basic-widgets.tsx';

/** entry.audience's `schedule` (schemas/src/nodes/entries.ts AudienceSchedule). */
export type Schedule =
  | { kind: 'once'; startAt?: string }
  | {
      kind: 'recurring';
      every: 'day' | 'week' | 'month';
      at: string;
      weekday?: number;
      dayOfMonth?: number;
      until?: string;
    };

/** entry.audience's `reentry`. */
export type Reentry = { kind: 'never' } | { kind: 'after_exit' } | { kind: 'cooldown'; after: Duration };

const two = (n: number) => String(n).padStart(2, '0');
/** An instant as the browser's local `YYYY-MM-DDTHH:MM` (what a datetime-local input shows). */
const toLocalInput = (iso: string | undefined) => {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
};
const fromLocalInput = (local: string) => (local === '' ? undefined : new Date(local).toISOString());

/** When an audience enters (UI hint `schedule`): once (now or at a start time), or daily/weekly/monthly. */
export function ScheduleInput({ id, value, onChange, disabled }: WidgetProps<Schedule>) {
  const { t, l } = useI18n();
  const s = value ?? { kind: 'once' };
  const recurring = s.kind === 'recurring' ? s : null;
  const setRecurring = (patch: Partial<Extract<Schedule, { kind: 'recurring' }>>) =>
    recurring && onChange({ ...recurring, ...patch });
  const every = (e: 'day' | 'week' | 'month') =>
    setRecurring({
      every: e,
      weekday: e === 'week' ? (recurring?.weekday ?? 1) : undefined,
      dayOfMonth: e === 'month' ? (recurring?.dayOfMonth ?? 1) : undefined,
    });
  return (
    <div id={id} className="schedule" data-testid="schedule-input">
      <div className="chips">
        <button
          type="button"
          className={`chip ${s.kind === 'once' ? 'is-on' : ''}`}
          disabled={disabled}
          onClick={() => s.kind !== 'once' && onChange({ kind: 'once' })}
          data-testid="schedule-once"
        >
          {t('schedOnce')}
        </button>
        <button
          type="button"
          className={`chip ${s.kind === 'recurring' ? 'is-on' : ''}`}
          disabled={disabled}
          onClick={() => s.kind !== 'recurring' && onChange({ kind: 'recurring', every: 'day', at: '10:00' })}
          data-testid="schedule-recurring"
        >
          {t('schedRecurring')}
        </button>
      </div>
      {s.kind === 'once' && (
        <label className="input-group" style={{ marginTop: 4 }}>
          <span className="input-unit">{t('schedStartAt')}</span>
          <input
            className="input"
            type="datetime-local"
            disabled={disabled}
            value={toLocalInput(s.startAt)}
            onChange={(e) => onChange({ kind: 'once', startAt: fromLocalInput(e.target.value) })}
            data-testid="schedule-start"
          />
        </label>
      )}
      {recurring && (
        <div className="chips seg-fields" style={{ marginTop: 4 }}>
          <select
            className="input"
            disabled={disabled}
            value={recurring.every}
            onChange={(e) => every(e.target.value as 'day' | 'week' | 'month')}
            data-testid="schedule-every"
          >
            <option value="day">{t('schedDaily')}</option>
            <option value="week">{t('schedWeekly')}</option>
            <option value="month">{t('schedMonthly')}</option>
          </select>
          {recurring.every === 'week' && (
            <select
              className="input"
              aria-label={t('schedWeekday')}
              disabled={disabled}
              value={recurring.weekday ?? 1}
              onChange={(e) => setRecurring({ weekday: Number(e.target.value) })}
              data-testid="schedule-weekday"
            >
              {Object.entries(WEEKDAYS).map(([d, label]) => (
                <option key={d} value={d}>
                  {t('schedWeekdayName', { day: l(label) })}
                </option>
              ))}
            </select>
          )}
          {recurring.every === 'month' && (
            <label className="input-group">
              <input
                className="input"
                type="number"
                min={1}
                max={28}
                disabled={disabled}
                value={recurring.dayOfMonth ?? 1}
                onChange={(e) => setRecurring({ dayOfMonth: Number(e.target.value) })}
                data-testid="schedule-day"
              />
              <span className="input-unit">{t('schedDayOfMonth')}</span>
            </label>
          )}
          <TimeSelect
            label={t('schedAt')}
            disabled={disabled}
            value={recurring.at}
            onChange={(at) => setRecurring({ at })}
            testId="schedule-at"
          />
          <label className="input-group">
            <span className="input-unit">{t('schedUntil')}</span>
            <input
              className="input"
              type="date"
              disabled={disabled}
              value={recurring.until ?? ''}
              onChange={(e) => setRecurring({ until: e.target.value || undefined })}
              data-testid="schedule-until"
            />
          </label>
        </div>
      )}
    </div>
  );
}

const REENTRY = { never: 'reNever', after_exit: 'reAfterExit', cooldown: 'reCooldown' } as const;

/** Whether a member may enter again (UI hint `reentry`): never, after leaving, or after a cooldown. */
export function ReentryInput({ id, value, onChange, disabled }: WidgetProps<Reentry>) {
  const { t } = useI18n();
  const r = value ?? { kind: 'never' };
  const pick = (kind: Reentry['kind']) =>
    onChange(
      kind === 'cooldown' ? { kind, after: r.kind === 'cooldown' ? r.after : { amount: 30, unit: 'days' } } : { kind },
    );
  return (
    <div id={id} data-testid="reentry-input">
      <div className="chips">
        {(Object.keys(REENTRY) as Reentry['kind'][]).map((kind) => (
          <button
            key={kind}
            type="button"
            className={`chip ${r.kind === kind ? 'is-on' : ''}`}
            disabled={disabled}
            onClick={() => pick(kind)}
            data-testid={`reentry-${kind}`}
          >
            {t(REENTRY[kind])}
          </button>
        ))}
      </div>
      {r.kind === 'cooldown' && (
        <div className="input-group" style={{ marginTop: 4 }}>
          <span className="input-unit">{t('reCooldownAfter')}</span>
          <DurationPicker
            id={`${id}-after`}
            disabled={disabled}
            value={r.after}
            onChange={(after) => after && onChange({ kind: 'cooldown', after })}
          />
        </div>
      )}
    </div>
  );
}
