import type { NumberComparison, PurchaseWindow } from '@huitou/schemas';
import { useShopCategories } from '../journey/useShopCategories.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

// Inputs shared by the condition rows (purchases, customer numbers, the trigger order).

export const METRICS = {
  count: 'segMetricCount',
  sum: 'segMetricSum',
  avg: 'segMetricAvg',
  max: 'segMetricMax',
} as const satisfies Record<string, MessageKey>;
export const WINDOWS = {
  all_time: 'segWindowAllTime',
  last_days: 'segWindowLastDays',
  dates: 'segWindowDates',
  since_entry: 'segWindowSinceEntry',
  since_cycle: 'segWindowSinceCycle',
} as const satisfies Record<string, MessageKey>;
export const OPS = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;
export const TAG_OPS = {
  has_any: 'segTagsHasAny',
  has_all: 'segTagsHasAll',
  has_none: 'segTagsHasNone',
} as const satisfies Record<string, MessageKey>;

const windowKey = (w: PurchaseWindow): keyof typeof WINDOWS =>
  w.kind === 'since' ? (w.anchor === 'entry' ? 'since_entry' : 'since_cycle') : w.kind;
const windowOf = (key: keyof typeof WINDOWS): PurchaseWindow =>
  key === 'since_entry'
    ? { kind: 'since', anchor: 'entry' }
    : key === 'since_cycle'
      ? { kind: 'since', anchor: 'cycle_start' }
      : key === 'last_days'
        ? { kind: 'last_days', days: 30 }
        : key === 'dates'
          ? { kind: 'dates', from: new Date().toISOString().slice(0, 10) }
          : { kind: 'all_time' };
// The inspector is narrow: a select and its inputs wrap instead of overflowing.
export const WRAP = { flexWrap: 'wrap', width: '100%' } as const;
export const num = (s: string) => (s === '' ? 0 : Number(s));

export function CompareInput({
  value,
  onChange,
  disabled,
}: {
  value: NumberComparison;
  onChange: (c: NumberComparison) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <span className="input-group" style={WRAP}>
      <select
        className="input seg-compare-op"
        disabled={disabled}
        value={value.op}
        onChange={(e) =>
          onChange(
            e.target.value === 'between'
              ? { op: 'between', min: 0, max: value.op === 'between' ? value.max : value.value }
              : { op: e.target.value as keyof typeof OPS, value: value.op === 'between' ? value.min : value.value },
          )
        }
      >
        {Object.entries(OPS).map(([op, label]) => (
          <option key={op} value={op}>
            {label}
          </option>
        ))}
        <option value="between">{t('segBetween')}</option>
      </select>
      {value.op === 'between' ? (
        <>
          <input
            className="input"
            type="number"
            disabled={disabled}
            value={value.min}
            onChange={(e) => onChange({ ...value, min: num(e.target.value) })}
          />
          <input
            className="input"
            type="number"
            disabled={disabled}
            value={value.max}
            onChange={(e) => onChange({ ...value, max: num(e.target.value) })}
          />
        </>
      ) : (
        <input
          className="input"
          type="number"
          disabled={disabled}
          value={value.value}
          onChange={(e) => onChange({ ...value, value: num(e.target.value) })}
          data-testid="seg-compare-value"
        />
      )}
    </span>
  );
}

export function WindowInput({
  value,
  onChange,
  disabled,
}: {
  value: PurchaseWindow;
  onChange: (w: PurchaseWindow) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <span className="input-group" style={WRAP}>
      <select
        className="input"
        disabled={disabled}
        value={windowKey(value)}
        onChange={(e) => onChange(windowOf(e.target.value as keyof typeof WINDOWS))}
        data-testid="seg-window"
      >
        {Object.entries(WINDOWS).map(([k, label]) => (
          <option key={k} value={k}>
            {t(label)}
          </option>
        ))}
      </select>
      {value.kind === 'last_days' && (
        <input
          className="input"
          type="number"
          min={1}
          disabled={disabled}
          value={value.days}
          onChange={(e) => onChange({ ...value, days: num(e.target.value) })}
        />
      )}
      {value.kind === 'dates' && (
        <>
          <input
            className="input"
            type="date"
            disabled={disabled}
            value={value.from ?? ''}
            onChange={(e) => onChange({ ...value, from: e.target.value || undefined })}
          />
          <input
            className="input"
            type="date"
            disabled={disabled}
            value={value.to ?? ''}
            onChange={(e) => onChange({ ...value, to: e.target.value || undefined })}
          />
        </>
      )}
    </span>
  );
}

/**
 * The shop's categories as chips (names shown, keys stored, GET /api/categories). A stored key the
 * shop no longer has stays visible as its key, in a warning style, so it can be removed.
 */
export function CategoryPicker({
  value,
  onChange,
  disabled,
}: {
  value: string[] | undefined;
  onChange: (v: string[] | undefined) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const shop = useShopCategories();
  const selected = value ?? [];
  const known = new Set(shop?.map((c) => c.key) ?? []);
  const toggle = (key: string) => {
    const next = selected.includes(key) ? selected.filter((k) => k !== key) : [...selected, key];
    onChange(next.length === 0 ? undefined : next);
  };
  const orphans = shop === null ? selected : selected.filter((k) => !known.has(k));
  return (
    <div className="chips" data-testid="seg-categories" title={t('segCategories')}>
      {shop?.map((c) => (
        <button
          key={c.key}
          type="button"
          disabled={disabled}
          className={`chip ${selected.includes(c.key) ? 'is-on' : ''}`}
          onClick={() => toggle(c.key)}
        >
          {c.name}
        </button>
      ))}
      {orphans.map((key) => (
        <button
          key={`orphan-${key}`}
          type="button"
          disabled={disabled}
          className={`chip is-on ${shop === null ? '' : 'is-unknown'}`}
          title={shop === null ? undefined : t('segCategoryUnknown')}
          data-testid={shop === null ? undefined : 'seg-category-unknown'}
          onClick={() => toggle(key)}
        >
          <span className="mono">{key}</span>
        </button>
      ))}
    </div>
  );
}

/** "<field> <compare>": a field select before a number comparison (customer numbers, the trigger order). */
export function FieldCompareRow<F extends string>({
  fields,
  field,
  compare,
  onChange,
  disabled,
  testId,
}: {
  fields: ReadonlyArray<readonly [F, string]>;
  field: F;
  compare: NumberComparison;
  onChange: (field: F, compare: NumberComparison) => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <div className="chips seg-fields">
      <select
        className="input"
        disabled={disabled}
        value={field}
        onChange={(e) => onChange(e.target.value as F, compare)}
        data-testid={testId}
      >
        {fields.map(([f, label]) => (
          <option key={f} value={f}>
            {label}
          </option>
        ))}
      </select>
      <CompareInput value={compare} disabled={disabled} onChange={(c) => onChange(field, c)} />
    </div>
  );
}
