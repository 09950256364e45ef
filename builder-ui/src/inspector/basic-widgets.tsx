import type { KeyboardEvent } from 'react';
import { useState } from 'react';
import type { LocalizedText } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';

export interface WidgetProps<T> {
  readonly id: string;
  readonly value: T | undefined;
  readonly onChange: (value: T | undefined) => void;
  readonly disabled: boolean;
}

export function TextInput({
  id,
  value,
  onChange,
  disabled,
  multiline,
  type = 'text',
}: WidgetProps<string> & { multiline?: boolean; type?: string }) {
  const common = { id, disabled, className: 'input', value: value ?? '' };
  // An emptied optional field goes back to undefined, so its default or "not set" applies.
  const change = (v: string) => onChange(v === '' ? undefined : v);
  return multiline ? (
    <textarea {...common} rows={3} onChange={(e) => change(e.target.value)} />
  ) : (
    <input {...common} type={type} onChange={(e) => change(e.target.value)} />
  );
}

export function NumberInput({
  id,
  value,
  onChange,
  disabled,
  unit,
  nullable,
}: WidgetProps<number | null> & { unit?: string; nullable?: boolean }) {
  return (
    <div className="input-group">
      <input
        id={id}
        className="input"
        type="number"
        disabled={disabled}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? (nullable ? null : undefined) : Number(e.target.value))}
      />
      {unit ? <span className="input-unit">{unit}</span> : null}
    </div>
  );
}

export function SwitchInput({ id, value, onChange, disabled }: WidgetProps<boolean>) {
  return (
    <label className="switch">
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="switch-track" />
    </label>
  );
}

export function SelectInput({
  id,
  value,
  onChange,
  disabled,
  values,
  labels,
}: WidgetProps<string> & { values: string[]; labels?: Readonly<Record<string, LocalizedText>> }) {
  const { t, l } = useI18n();
  return (
    <select
      id={id}
      className="input"
      disabled={disabled}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      {value === undefined ? <option value="">{t('notSet')}</option> : null}
      {values.map((v) => (
        <option key={v} value={v}>
          {labels?.[v] ? l(labels[v]) : v}
        </option>
      ))}
    </select>
  );
}

export function MultiSelectInput({
  value,
  onChange,
  disabled,
  values,
  labels,
}: WidgetProps<string[]> & { values: string[]; labels?: Readonly<Record<string, LocalizedText>> }) {
  const { l } = useI18n();
  const selected = new Set(value ?? []);
  const toggle = (v: string) => {
    const next = values.filter((x) => (x === v ? !selected.has(v) : selected.has(x)));
    onChange(next.length === 0 ? undefined : next);
  };
  return (
    <div className="chips">
      {values.map((v) => (
        <button
          key={v}
          type="button"
          disabled={disabled}
          className={`chip ${selected.has(v) ? 'is-on' : ''}`}
          onClick={() => toggle(v)}
        >
          {labels?.[v] ? l(labels[v]) : v}
        </button>
      ))}
    </div>
  );
}

export function TagsInput({ id, value, onChange, disabled }: WidgetProps<string[]>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const tags = value ?? [];
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || draft.trim() === '') return;
    e.preventDefault();
    if (!tags.includes(draft.trim())) onChange([...tags, draft.trim()]);
    setDraft('');
  };
  return (
    <div className="tags">
      {tags.map((tag) => (
        <span key={tag} className="chip is-on">
          {tag}
          {!disabled && (
            <button
              type="button"
              className="chip-remove"
              aria-label="remove"
              onClick={() => onChange(tags.filter((x) => x !== tag).length ? tags.filter((x) => x !== tag) : undefined)}
            >
              ×
            </button>
          )}
        </span>
      ))}
      <input
        id={id}
        className="input"
        disabled={disabled}
        placeholder={t('addTag')}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}

export const WEEKDAYS: Record<string, LocalizedText> = {
  1: { zh: '一', en: 'Mon' },
  2: { zh: '二', en: 'Tue' },
  3: { zh: '三', en: 'Wed' },
  4: { zh: '四', en: 'Thu' },
  5: { zh: '五', en: 'Fri' },
  6: { zh: '六', en: 'Sat' },
  7: { zh: '日', en: 'Sun' },
};

export function WeekdaysInput({ id, value, onChange, disabled }: WidgetProps<number[]>) {
  return (
    <MultiSelectInput
      id={id}
      disabled={disabled}
      values={Object.keys(WEEKDAYS)}
      labels={WEEKDAYS}
      value={value?.map(String)}
      onChange={(v) => onChange(v?.map(Number))}
    />
  );
}

/** Other nodes to refer to (checkpoint anchors), by their display names. */
export function NodeRefsInput({
  value,
  onChange,
  disabled,
  nodes,
}: WidgetProps<string[]> & { nodes: ReadonlyArray<{ id: string; label: string }> }) {
  const selected = new Set(value ?? []);
  return (
    <div className="node-refs">
      {nodes.map((n) => (
        <label key={n.id} className="check-row">
          <input
            type="checkbox"
            disabled={disabled}
            checked={selected.has(n.id)}
            onChange={(e) => {
              const next = e.target.checked ? [...selected, n.id] : [...selected].filter((x) => x !== n.id);
              onChange(next.length ? next : undefined);
            }}
          />
          <span>{n.label}</span>
          <code>{n.id}</code>
        </label>
      ))}
    </div>
  );
}

const two = (n: number) => String(n).padStart(2, '0');
const HOUR_OPTIONS = Array.from({ length: 24 }, (_, h) => two(h));
const MINUTE_OPTIONS = Array.from({ length: 12 }, (_, i) => two(i * 5));

/** A 24-hour `HH:MM` as two selects (a browser's time input may show AM/PM); an odd minute stays listed. */
export function TimeSelect({
  id,
  value,
  onChange,
  disabled,
  label,
  testId,
}: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  label: string;
  testId?: string;
}) {
  const [hh = '00', mm = '00'] = value.split(':');
  const minutes = MINUTE_OPTIONS.includes(mm) ? MINUTE_OPTIONS : [...MINUTE_OPTIONS, mm].sort();
  return (
    <span className="input-group" role="group" aria-label={label} data-testid={testId} data-value={value}>
      <select
        id={id}
        className="input"
        disabled={disabled}
        value={hh}
        onChange={(e) => onChange(`${e.target.value}:${mm}`)}
        data-testid={testId && `${testId}-h`}
      >
        {HOUR_OPTIONS.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
      <span className="input-unit">:</span>
      <select
        id={id && `${id}-m`}
        className="input"
        disabled={disabled}
        value={mm}
        onChange={(e) => onChange(`${hh}:${e.target.value}`)}
        data-testid={testId && `${testId}-m`}
      >
        {minutes.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </span>
  );
}
