import { useEffect, useRef } from 'react';
import type { TimeWindow } from '@huitou/schemas';
import { paymentReminder } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';
import { TimeSelect } from './basic-widgets.tsx';
import { HOURS, hourLabel as pad, hoursOf, windowsOf } from './time-window-hours.ts';

const MAX_WINDOWS = 6;

/** The 催付 template's sending hours (its wait.window) are the good hours; the rest is night. */
const templateWindows = (paymentReminder.nodes.find((n) => n.type === 'wait.window')?.config.windows ??
  []) as TimeWindow[];
const GOOD_HOURS = hoursOf(templateWindows);

/**
 * The time windows widget (UI hint `time_windows`): a 24-hour strip to click or drag across, and
 * from–to rows per window; a window may cross midnight. Good and bad reminder hours are marked as a
 * hint only.
 */
export function TimeWindowsPicker({ id, value, onChange, disabled }: WidgetProps<TimeWindow[]>) {
  const { t } = useI18n();
  const windows = value ?? [];
  const hours = hoursOf(windows);
  // While dragging: the value being painted (on/off) and the hours painted so far.
  const paint = useRef<{ on: boolean; hours: boolean[] } | null>(null);
  useEffect(() => {
    const stop = () => (paint.current = null);
    window.addEventListener('pointerup', stop);
    return () => window.removeEventListener('pointerup', stop);
  }, []);
  const paintHour = (h: number) => {
    const p = paint.current;
    if (p === null || p.hours[h] === p.on) return;
    p.hours = p.hours.map((x, i) => (i === h ? p.on : x));
    onChange(windowsOf(p.hours));
  };
  const setWindow = (i: number, patch: Partial<TimeWindow>) =>
    onChange(windows.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const good = templateWindows[0];

  return (
    <div id={id} className="time-windows" data-testid="time-windows">
      <div
        role="group"
        aria-label={t('twStrip')}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(24, 1fr)', gap: 1, userSelect: 'none' }}
      >
        {HOURS.map((h) => (
          <button
            key={h}
            type="button"
            disabled={disabled}
            data-testid={`tw-hour-${h}`}
            data-on={hours[h] ? 'true' : 'false'}
            data-good={GOOD_HOURS[h] ? 'true' : 'false'}
            title={`${pad(h)}–${pad((h + 1) % 24)} ${GOOD_HOURS[h] ? t('twGoodShort') : t('twBadShort')}`}
            onPointerDown={(e) => {
              e.preventDefault();
              paint.current = { on: !hours[h], hours };
              paintHour(h);
            }}
            onPointerEnter={() => paintHour(h)}
            style={{
              height: 26,
              padding: 0,
              border: 0,
              borderBottom: `3px solid ${GOOD_HOURS[h] ? '#16a34a' : '#94a3b8'}`,
              borderRadius: 2,
              background: hours[h] ? '#6366f1' : GOOD_HOURS[h] ? '#f0fdf4' : '#e2e8f0',
              color: hours[h] ? '#fff' : '#64748b',
              fontSize: 9,
              cursor: disabled ? 'default' : 'pointer',
            }}
          >
            {h}
          </button>
        ))}
      </div>
      <div className="field-help" data-testid="tw-legend">
        <span style={{ color: '#16a34a' }}>▬</span>{' '}
        {good ? t('twGood', { from: good.from, to: good.to }) : t('twGoodShort')}{' '}
        <span style={{ color: '#94a3b8' }}>▬</span> {t('twBad')} · {t('twHint')}
      </div>
      {windows.map((w, i) => (
        <div key={i} className="input-group" data-testid={`tw-window-${i}`} style={{ marginTop: 4 }}>
          <TimeSelect
            label={t('twFrom')}
            disabled={disabled}
            value={w.from}
            onChange={(from) => setWindow(i, { from })}
            testId={`tw-from-${i}`}
          />
          <span className="input-unit">–</span>
          <TimeSelect
            label={t('twTo')}
            disabled={disabled}
            value={w.to}
            onChange={(to) => setWindow(i, { to })}
            testId={`tw-to-${i}`}
          />
          {w.to <= w.from && <span className="input-unit">{t('twNextDay')}</span>}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={disabled || windows.length <= 1}
            onClick={() => onChange(windows.filter((_, j) => j !== i))}
          >
            {t('segRemove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="chip"
        style={{ marginTop: 4 }}
        disabled={disabled || windows.length >= MAX_WINDOWS}
        onClick={() => onChange([...windows, { from: '20:00', to: '22:00' }])}
        data-testid="tw-add"
      >
        {t('twAdd')}
      </button>
    </div>
  );
}
