import type { Condition } from '@huitou/schemas';
import {
  customerFields,
  lifecycleGroupIds,
  lifecycleGroupLabels,
  productRoleLabels,
  productRoles,
  rfmGroupIds,
  numberFieldIds,
  rfmGroups,
} from '@huitou/schemas';
import { useShopCategories } from '../journey/useShopCategories.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { JsonEditor } from './JsonEditor.tsx';
import { MultiSelectInput, TagsInput } from './basic-widgets.tsx';
import { CategoryPicker, CompareInput, METRICS, TAG_OPS, WindowInput } from './condition-inputs.tsx';
import { conditionSentence } from './condition-sentence.ts';

/** The condition kinds the form edits; any other condition stays editable as JSON in its row. */
const FORM_KINDS = {
  purchase: 'segKindPurchase',
  rfm: 'segKindRfm',
  lifecycle: 'segKindLifecycle',
  tags: 'segKindTags',
  region: 'segKindRegion',
  number: 'segKindNumber',
  trigger_order: 'segKindOrder',
  trigger_order_category: 'segKindOrderCategory',
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
  number: { kind: 'number', field: 'order_count', compare: { op: 'gte', value: 1 } },
  trigger_order: { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 100 } },
  // No category chosen yet: the validation asks for one until the marketer picks.
  trigger_order_category: { kind: 'trigger_order_category', categories: [] },
  all: { kind: 'all', of: [] },
  any: { kind: 'any', of: [] },
};

/** Which form row shows a condition; null: the JSON fallback. */
export function formKindOf(c: Condition): FormKind | null {
  if (c.kind === 'text')
    return c.field === 'province' && (c.compare.op === 'in' || c.compare.op === 'not_in') ? 'region' : null;
  return c.kind in FORM_KINDS ? (c.kind as FormKind) : null;
}

interface RowProps<C> {
  readonly value: C;
  readonly onChange: (value: Condition) => void;
  readonly disabled: boolean;
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

/** One condition: a kind picker, then the form of that kind (or its JSON), recursively for groups. */
export function ConditionEditor({
  value,
  onChange,
  disabled,
  onRemove,
  depth = 0,
}: RowProps<Condition> & { onRemove?: () => void; depth?: number }) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const shop = useShopCategories();
  const categoryName = (key: string) => shop?.find((c) => c.key === key)?.name ?? key;
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
  } else if (value.kind === 'number') {
    const labels = Object.fromEntries(numberFieldIds.map((f) => [f, customerFields[f].label]));
    body = (
      <div className="chips seg-fields">
        <select
          className="input"
          disabled={disabled}
          value={value.field}
          onChange={(e) => onChange({ ...value, field: e.target.value as typeof value.field })}
          data-testid="seg-number-field"
        >
          {numberFieldIds.map((f) => (
            <option key={f} value={f}>
              {l(labels[f])}
            </option>
          ))}
        </select>
        <CompareInput
          value={value.compare}
          disabled={disabled}
          onChange={(compare) => onChange({ ...value, compare })}
        />
      </div>
    );
  } else if (value.kind === 'trigger_order') {
    body = (
      <div className="chips seg-fields">
        <select
          className="input"
          disabled={disabled}
          value={value.field}
          onChange={(e) => onChange({ ...value, field: e.target.value as typeof value.field })}
          data-testid="seg-order-field"
        >
          <option value="amount">{t('condOrderAmount')}</option>
          <option value="item_count">{t('condOrderItems')}</option>
        </select>
        <CompareInput
          value={value.compare}
          disabled={disabled}
          onChange={(compare) => onChange({ ...value, compare })}
        />
      </div>
    );
  } else if (value.kind === 'trigger_order_category') {
    body = (
      <CategoryPicker
        value={value.categories}
        disabled={disabled}
        onChange={(categories) => onChange({ ...value, categories: categories ?? [] })}
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
      {kind !== 'all' && kind !== 'any' && (
        <div className="seg-sentence" data-testid="seg-sentence">
          {conditionSentence(value, i18n, categoryName)}
        </div>
      )}
      {body}
    </div>
  );
}
