import type { Condition, NumberComparison, PurchaseWindow } from '@huitou/schemas';
import {
  lifecycleGroupIds,
  lifecycleGroupLabels,
  productRoleLabels,
  productRoles,
  rfmGroupIds,
  rfmGroups,
} from '@huitou/schemas';
import { useShopCategories } from '../journey/useShopCategories.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { JsonEditor } from './JsonEditor.tsx';
import { MultiSelectInput, TagsInput } from './basic-widgets.tsx';

/** The condition kinds the form edits; any other condition stays editable as JSON in its row. */
const FORM_KINDS = {
  purchase: 'segKindPurchase',
  rfm: 'segKindRfm',
  lifecycle: 'segKindLifecycle',
  tags: 'segKindTags',
  region: 'segKindRegion',
  all: 'segAll',
  any: 'segAny',
} as const satisfies Record<string, MessageKey>;
type FormKind = keyof typeof FORM_KINDS;

const DEFAULTS: Record<FormKind, Condition> = {
  purchase: {
    kind: 'purchase',
    metric: 'count',
    window: { kind: 'last_days', days: 30 },
    compare: { op: 'gte', value: 1 },
  },
  rfm: {
    kind: 'rfm',
    groups: ['important_value'],
    scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
    window: { kind: 'all_time' },
  },
  lifecycle: {
    kind: 'lifecycle',
    groups: ['A', 'B'],
    rules: { activeDays: 90, lostAfterDays: 365, loyalMinOrders: 3 },
  },
  tags: { kind: 'tags', op: 'has_any', tags: ['VIP'] },
  region: { kind: 'text', field: 'province', compare: { op: 'in', values: ['浙江'] } },
  all: { kind: 'all', of: [] },
  any: { kind: 'any', of: [] },
};

/** Which form row shows a condition; null: the JSON fallback. */
export function formKindOf(c: Condition): FormKind | null {
  if (c.kind === 'text')
    return c.field === 'province' && (c.compare.op === 'in' || c.compare.op === 'not_in') ? 'region' : null;
  return c.kind in FORM_KINDS ? (c.kind as FormKind) : null;
}

const METRICS = {
  count: 'segMetricCount',
  sum: 'segMetricSum',
  avg: 'segMetricAvg',
  max: 'segMetricMax',
} as const satisfies Record<string, MessageKey>;
const WINDOWS = {
  all_time: 'segWindowAllTime',
  last_days: 'segWindowLastDays',
  dates: 'segWindowDates',
  since_entry: 'segWindowSinceEntry',
  since_cycle: 'segWindowSinceCycle',
} as const satisfies Record<string, MessageKey>;
const OPS = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;
const TAG_OPS = {
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
const WRAP = { flexWrap: 'wrap', width: '100%' } as const;
const num = (s: string) => (s === '' ? 0 : Number(s));

interface RowProps<C> {
  readonly value: C;
  readonly onChange: (value: Condition) => void;
  readonly disabled: boolean;
}

function CompareInput({
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
        className="input"
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

function WindowInput({
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

function PurchaseRow({ value, onChange, disabled }: RowProps<Extract<Condition, { kind: 'purchase' }>>) {
  const { t } = useI18n();
  return (
    <div className="chips seg-fields">
      <select
        className="input"
        disabled={disabled}
        value={value.metric}
        onChange={(e) => onChange({ ...value, metric: e.target.value as keyof typeof METRICS })}
        data-testid="seg-metric"
      >
        {Object.entries(METRICS).map(([k, label]) => (
          <option key={k} value={k}>
            {t(label)}
          </option>
        ))}
      </select>
      <WindowInput value={value.window} disabled={disabled} onChange={(window) => onChange({ ...value, window })} />
      <CompareInput value={value.compare} disabled={disabled} onChange={(compare) => onChange({ ...value, compare })} />
      <CategoryPicker
        value={value.categories}
        disabled={disabled}
        onChange={(categories) => onChange({ ...value, categories })}
      />
      <span className="seg-label">{t('segRoles')}</span>
      <MultiSelectInput
        id=""
        disabled={disabled}
        value={value.roles}
        values={[...productRoles]}
        labels={productRoleLabels}
        onChange={(roles) => onChange({ ...value, roles: roles as typeof value.roles })}
      />
    </div>
  );
}

/**
 * The shop's categories as chips (names shown, keys stored, GET /api/categories). A stored key the
 * shop no longer has stays visible as its key, in a warning style, so it can be removed.
 */
function CategoryPicker({
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

/** One condition: a kind picker, then the form of that kind (or its JSON), recursively for groups. */
export function ConditionEditor({
  value,
  onChange,
  disabled,
  onRemove,
  depth = 0,
}: RowProps<Condition> & { onRemove?: () => void; depth?: number }) {
  const { t } = useI18n();
  const kind = formKindOf(value);
  // all <-> any keeps the group's conditions; any other change starts the new kind from its default.
  const pick = (k: FormKind) =>
    onChange(
      (k === 'all' || k === 'any') && (value.kind === 'all' || value.kind === 'any')
        ? { kind: k, of: value.of }
        : DEFAULTS[k],
    );
  const picker = (
    <select
      className="input seg-kind"
      disabled={disabled}
      value={kind ?? 'json'}
      onChange={(e) => e.target.value !== 'json' && pick(e.target.value as FormKind)}
      data-testid="seg-kind"
    >
      {Object.entries(FORM_KINDS).map(([k, label]) => (
        <option key={k} value={k}>
          {t(label)}
        </option>
      ))}
      <option value="json" disabled>
        {t('segKindJson')}
      </option>
    </select>
  );
  const remove = onRemove && (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      disabled={disabled}
      onClick={onRemove}
      data-testid="seg-remove"
    >
      {t('segRemove')}
    </button>
  );
  let body;
  if (value.kind === 'all' || value.kind === 'any') {
    const group = value;
    const set = (of: Condition[]) => onChange({ ...group, of });
    body = (
      <div
        className="seg-group"
        data-testid="seg-group"
        style={{ borderLeft: '2px solid #c7d2fe', paddingLeft: 8, marginLeft: depth > 0 ? 4 : 0 }}
      >
        {group.of.map((child, i) => (
          <ConditionEditor
            key={i}
            depth={depth + 1}
            value={child}
            disabled={disabled}
            onChange={(c) => set(group.of.map((x, j) => (j === i ? c : x)))}
            onRemove={() => set(group.of.filter((_, j) => j !== i))}
          />
        ))}
        <div className="chips">
          <button
            type="button"
            className="chip"
            disabled={disabled}
            onClick={() => set([...group.of, DEFAULTS.purchase])}
            data-testid="seg-add-condition"
          >
            {t('segAddCondition')}
          </button>
          {depth < 3 && (
            <button
              type="button"
              className="chip"
              disabled={disabled}
              onClick={() => set([...group.of, DEFAULTS.any])}
              data-testid="seg-add-group"
            >
              {t('segAddGroup')}
            </button>
          )}
        </div>
      </div>
    );
  } else if (value.kind === 'purchase') {
    body = <PurchaseRow value={value} disabled={disabled} onChange={onChange} />;
  } else if (value.kind === 'rfm') {
    const labels = Object.fromEntries(rfmGroupIds.map((g) => [g, rfmGroups[g].label]));
    body = (
      <MultiSelectInput
        id=""
        disabled={disabled}
        value={value.groups}
        values={[...rfmGroupIds]}
        labels={labels}
        onChange={(groups) => groups && onChange({ ...value, groups: groups as typeof value.groups })}
      />
    );
  } else if (value.kind === 'lifecycle') {
    body = (
      <MultiSelectInput
        id=""
        disabled={disabled}
        value={value.groups}
        values={[...lifecycleGroupIds]}
        labels={lifecycleGroupLabels}
        onChange={(groups) => groups && onChange({ ...value, groups: groups as typeof value.groups })}
      />
    );
  } else if (value.kind === 'tags') {
    body = (
      <div className="chips seg-fields">
        <select
          className="input"
          disabled={disabled}
          value={value.op}
          onChange={(e) => onChange({ ...value, op: e.target.value as keyof typeof TAG_OPS })}
        >
          {Object.entries(TAG_OPS).map(([k, label]) => (
            <option key={k} value={k}>
              {t(label)}
            </option>
          ))}
        </select>
        <TagsInput
          id=""
          disabled={disabled}
          value={value.tags}
          onChange={(tags) => tags && onChange({ ...value, tags })}
        />
      </div>
    );
  } else if (
    kind === 'region' &&
    value.kind === 'text' &&
    (value.compare.op === 'in' || value.compare.op === 'not_in')
  ) {
    const compare = value.compare;
    body = (
      <TagsInput
        id=""
        disabled={disabled}
        value={compare.values}
        onChange={(values) => values && onChange({ ...value, compare: { ...compare, values } })}
      />
    );
  } else {
    body = (
      <JsonEditor
        id=""
        disabled={disabled}
        value={value}
        onChange={(v) => v !== undefined && onChange(v as Condition)}
      />
    );
  }
  return (
    <div className="seg-row field" data-testid="seg-row" data-kind={kind ?? 'json'}>
      <div className="chips">
        {picker}
        {remove}
      </div>
      {body}
    </div>
  );
}
