import type { Duration } from '@huitou/schemas';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';

const units: ReadonlyArray<[Duration['unit'], MessageKey]> = [
  ['minutes', 'unitMinutes'],
  ['hours', 'unitHours'],
  ['days', 'unitDays'],
  ['weeks', 'unitWeeks'],
];

/** Amount + unit, as the marketer thinks of it ("3 days"); the compiler lowers it to ms. */
export function DurationPicker({ id, value, onChange, disabled }: WidgetProps<Duration>) {
  const { t } = useI18n();
  const unit = value?.unit ?? 'days';
  return (
    <div className="input-group duration">
      <input
        id={id}
        className="input"
        type="number"
        min={0}
        disabled={disabled}
        value={value?.amount ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : { amount: Number(e.target.value), unit })}
      />
      <select
        className="input"
        disabled={disabled}
        value={unit}
        onChange={(e) => onChange({ amount: value?.amount ?? 1, unit: e.target.value as Duration['unit'] })}
      >
        {units.map(([u, key]) => (
          <option key={u} value={u}>
            {t(key)}
          </option>
        ))}
      </select>
    </div>
  );
}
