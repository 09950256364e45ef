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
import { useSavedSegments, useSavedSegmentsOffered } from '../journey/useSavedSegments.ts';
import { useI18n } from '../i18n.ts';
import { CustomerConditionRow } from './CustomerConditionRow.tsx';
import type { FormKind } from './condition-kinds.ts';
import { DEFAULTS, FORM_KINDS, formKindOf } from './condition-kinds.ts';
import { JsonEditor } from './JsonEditor.tsx';
import { MultiSelectInput, TagsInput } from './basic-widgets.tsx';
import { CategoryPicker, CompareInput, FieldCompareRow, METRICS, TAG_OPS, WindowInput } from './condition-inputs.tsx';
import { conditionSentence } from './condition-sentence.ts';

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
  const savedSegments = useSavedSegments();
  const offerSaved = useSavedSegmentsOffered();
  const segmentName = (id: string) => savedSegments?.find((s) => s.id === id)?.name ?? id;
  const kind = formKindOf(value);
  // all <-> any keeps the group's conditions; any other change starts the new kind from its default.
  const pick = (k: FormKind) =>
    onChange(
      (k === 'all' || k === 'any') && (value.kind === 'all' || value.kind === 'any')
        ? { kind: k, of: value.of }
        : // "Not" wraps the condition being shown, so negating one is a single choice.
          k === 'not' && value.kind !== 'all' && value.kind !== 'any'
          ? { kind: 'not', of: value }
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
      {Object.entries(FORM_KINDS)
        .filter(([k]) => offerSaved || k !== 'saved_segment' || kind === 'saved_segment')
        .map(([k, label]) => (
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
      <div className="chips seg-fields">
        <MultiSelectInput
          id=""
          disabled={disabled}
          value={value.groups}
          values={[...rfmGroupIds]}
          labels={labels}
          onChange={(groups) => groups && onChange({ ...value, groups: groups as typeof value.groups })}
        />
        <select
          className="input"
          aria-label={t('segRfmMonetary')}
          disabled={disabled}
          value={value.monetary ?? 'sum'}
          onChange={(e) => {
            const { monetary: _drop, ...rest } = value;
            onChange(e.target.value === 'aov' ? { ...rest, monetary: 'aov' } : rest);
          }}
        >
          <option value="sum">{t('segRfmMonetarySum')}</option>
          <option value="aov">{t('segRfmMonetaryAov')}</option>
        </select>
      </div>
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
    body = (
      <FieldCompareRow
        fields={numberFieldIds.map((f) => [f, l(customerFields[f].label)] as const)}
        field={value.field}
        compare={value.compare}
        disabled={disabled}
        onChange={(field, compare) => onChange({ ...value, field, compare })}
        testId="seg-number-field"
      />
    );
  } else if (value.kind === 'trigger_order') {
    body = (
      <FieldCompareRow
        fields={[
          ['amount', t('condOrderAmount')],
          ['item_count', t('condOrderItems')],
        ]}
        field={value.field}
        compare={value.compare}
        disabled={disabled}
        onChange={(field, compare) => onChange({ ...value, field, compare })}
        testId="seg-order-field"
      />
    );
  } else if (value.kind === 'trigger_order_category') {
    body = (
      <CategoryPicker
        value={value.categories}
        disabled={disabled}
        onChange={(categories) => onChange({ ...value, categories: categories ?? [] })}
      />
    );
  } else if (value.kind === 'trigger_order_paid') {
    body = (
      <select
        className="input"
        data-testid="seg-order-paid"
        disabled={disabled}
        value={value.paid ? 'paid' : 'unpaid'}
        onChange={(e) => onChange({ ...value, paid: e.target.value === 'paid' })}
      >
        <option value="unpaid">{t('condOrderUnpaid')}</option>
        <option value="paid">{t('condOrderPaid')}</option>
      </select>
    );
  } else if (value.kind === 'saved_segment') {
    const live = savedSegments ?? [];
    const known = value.segmentId === '' || live.some((s) => s.id === value.segmentId);
    body = (
      <select
        className="input"
        data-testid="seg-saved"
        disabled={disabled}
        value={value.segmentId}
        onChange={(e) => onChange({ kind: 'saved_segment', segmentId: e.target.value })}
      >
        <option value="" disabled>
          {t('segSavedPick')}
        </option>
        {live.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
        {!known && (
          <option value={value.segmentId}>
            {/* Not among the live segments: archived or gone (or the list is still on its way). */}
            {savedSegments ? t('segSavedArchived', { name: value.segmentId }) : value.segmentId}
          </option>
        )}
      </select>
    );
  } else if (value.kind === 'not') {
    const inner = value.of;
    body = (
      <div style={{ borderLeft: '2px solid #fecaca', paddingLeft: 8, marginLeft: 4 }}>
        <ConditionEditor
          depth={depth + 1}
          value={inner}
          disabled={disabled}
          onChange={(of) => onChange({ kind: 'not', of })}
        />
      </div>
    );
  } else if (
    value.kind === 'boolean' ||
    value.kind === 'gender' ||
    value.kind === 'birthday' ||
    value.kind === 'date' ||
    value.kind === 'text'
  ) {
    body = <CustomerConditionRow value={value} disabled={disabled} onChange={onChange} />;
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
        <div
          className="seg-sentence"
          data-testid="seg-sentence"
          style={{ fontSize: 12, fontWeight: 500, color: '#3730a3', margin: '2px 0' }}
        >
          {conditionSentence(value, i18n, categoryName, segmentName)}
        </div>
      )}
      {body}
    </div>
  );
}
