import type { Condition, DateComparison, TextComparison } from '@huitou/schemas';
import { booleanFieldIds, customerFields, dateFieldIds, textFieldIds } from '@huitou/schemas';
import type { MessageKey } from '../i18n.ts';
import { catalogue, useI18n } from '../i18n.ts';
import { MultiSelectInput, TagsInput } from './basic-widgets.tsx';
import { WRAP, num } from './condition-inputs.tsx';

type Of<K extends Condition['kind']> = Extract<Condition, { kind: K }>;
/** The customer-attribute conditions this row edits (the region row handles province lists). */
export type CustomerCondition = Of<'boolean'> | Of<'gender'> | Of<'birthday'> | Of<'date'> | Of<'text'>;

const DATE_OPS = {
  within_last_days: 'condOpWithinDays',
  more_than_days_ago: 'condOpMoreThanDays',
  on_or_after: 'condOpOnOrAfter',
  on_or_before: 'condOpOnOrBefore',
  between: 'segBetween',
  is_empty: 'condEmpty',
  is_not_empty: 'condNotEmpty',
} as const satisfies Record<DateComparison['op'], MessageKey>;
const TEXT_OPS = {
  eq: 'condOpEq',
  neq: 'condOpNeq',
  contains: 'condOpContains',
  in: 'condOpIn',
  not_in: 'condOpNotIn',
  is_empty: 'condEmpty',
  is_not_empty: 'condNotEmpty',
} as const satisfies Record<TextComparison['op'], MessageKey>;
const BIRTHDAY_OPS = {
  within_next_days: 'condBirthOpWithin',
  month_in: 'condBirthOpMonths',
  is_empty: 'condEmpty',
  is_not_empty: 'condNotEmpty',
} as const satisfies Record<Of<'birthday'>['compare']['op'], MessageKey>;
const GENDERS = { male: catalogue.condMale, female: catalogue.condFemale, unknown: catalogue.condGenderUnknown };
const MONTHS = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [String(i + 1), { zh: `${i + 1} 月`, en: String(i + 1) }]),
);
const today = () => new Date().toISOString().slice(0, 10);

function dateCompare(op: DateComparison['op'], prev: DateComparison): DateComparison {
  const days = 'days' in prev ? prev.days : 30;
  const date = 'date' in prev ? prev.date : 'from' in prev ? prev.from : today();
  if (op === 'within_last_days' || op === 'more_than_days_ago') return { op, days };
  if (op === 'on_or_after' || op === 'on_or_before') return { op, date };
  if (op === 'between') return { op, from: date, to: date };
  return { op };
}

function textCompare(op: TextComparison['op'], prev: TextComparison): TextComparison {
  const first = 'value' in prev ? prev.value : 'values' in prev ? prev.values[0] : '';
  if (op === 'eq' || op === 'neq' || op === 'contains') return { op, value: first ?? '' };
  if (op === 'in' || op === 'not_in') return { op, values: 'values' in prev ? prev.values : first ? [first] : [] };
  return { op };
}

function OpSelect<O extends string>({
  ops,
  value,
  onChange,
  disabled,
}: {
  ops: Readonly<Record<O, MessageKey>>;
  value: O;
  onChange: (op: O) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <select className="input seg-op" disabled={disabled} value={value} onChange={(e) => onChange(e.target.value as O)}>
      {(Object.keys(ops) as O[]).map((op) => (
        <option key={op} value={op}>
          {t(ops[op])}
        </option>
      ))}
    </select>
  );
}

function FieldSelect<F extends string>({
  ids,
  value,
  onChange,
  disabled,
}: {
  ids: readonly F[];
  value: F;
  onChange: (field: F) => void;
  disabled: boolean;
}) {
  const { l } = useI18n();
  return (
    <select
      className="input"
      disabled={disabled}
      value={value}
      onChange={(e) => onChange(e.target.value as F)}
      data-testid="seg-customer-field"
    >
      {ids.map((f) => (
        <option key={f} value={f}>
          {l(customerFields[f as keyof typeof customerFields].label)}
        </option>
      ))}
    </select>
  );
}

/** Customer attributes: yes/no, gender, birthday, dates and texts, as plain selects and inputs. */
export function CustomerConditionRow({
  value,
  onChange,
  disabled,
}: {
  value: CustomerCondition;
  onChange: (c: Condition) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const input = (type: string, v: string | number, set: (s: string) => void, min?: number) => (
    <input
      className="input"
      type={type}
      min={min}
      disabled={disabled}
      value={v}
      onChange={(e) => set(e.target.value)}
    />
  );
  let fields;
  if (value.kind === 'boolean') {
    fields = (
      <>
        <FieldSelect
          ids={booleanFieldIds}
          value={value.field}
          disabled={disabled}
          onChange={(field) => onChange({ ...value, field })}
        />
        <select
          className="input"
          disabled={disabled}
          value={value.value ? 'yes' : 'no'}
          onChange={(e) => onChange({ ...value, value: e.target.value === 'yes' })}
        >
          <option value="yes">{t('condYes')}</option>
          <option value="no">{t('condNo')}</option>
        </select>
      </>
    );
  } else if (value.kind === 'gender') {
    fields = (
      <MultiSelectInput
        id=""
        disabled={disabled}
        value={value.values}
        values={Object.keys(GENDERS)}
        labels={GENDERS}
        onChange={(values) => values && onChange({ ...value, values: values as typeof value.values })}
      />
    );
  } else if (value.kind === 'birthday') {
    const c = value.compare;
    const setOp = (op: keyof typeof BIRTHDAY_OPS) =>
      onChange({
        ...value,
        compare:
          op === 'within_next_days'
            ? { op, days: 7 }
            : op === 'month_in'
              ? { op, months: [new Date().getMonth() + 1] }
              : { op },
      });
    fields = (
      <>
        <OpSelect ops={BIRTHDAY_OPS} value={c.op} disabled={disabled} onChange={setOp} />
        {c.op === 'within_next_days' &&
          input('number', c.days, (s) => onChange({ ...value, compare: { ...c, days: num(s) } }), 0)}
        {c.op === 'month_in' && (
          <MultiSelectInput
            id=""
            disabled={disabled}
            value={c.months.map(String)}
            values={Object.keys(MONTHS)}
            labels={MONTHS}
            onChange={(months) => months && onChange({ ...value, compare: { ...c, months: months.map(Number) } })}
          />
        )}
      </>
    );
  } else if (value.kind === 'date') {
    const c = value.compare;
    const set = (compare: DateComparison) => onChange({ ...value, compare });
    fields = (
      <>
        <FieldSelect
          ids={dateFieldIds}
          value={value.field}
          disabled={disabled}
          onChange={(field) => onChange({ ...value, field })}
        />
        <OpSelect ops={DATE_OPS} value={c.op} disabled={disabled} onChange={(op) => set(dateCompare(op, c))} />
        {'days' in c && input('number', c.days, (s) => set({ ...c, days: num(s) }), 0)}
        {'date' in c && input('date', c.date, (s) => s && set({ ...c, date: s }))}
        {c.op === 'between' && (
          <>
            {input('date', c.from, (s) => s && set({ ...c, from: s }))}
            {input('date', c.to, (s) => s && set({ ...c, to: s }))}
          </>
        )}
      </>
    );
  } else {
    const c = value.compare;
    const set = (compare: TextComparison) => onChange({ ...value, compare });
    fields = (
      <>
        <FieldSelect
          ids={textFieldIds}
          value={value.field}
          disabled={disabled}
          onChange={(field) => onChange({ ...value, field })}
        />
        <OpSelect ops={TEXT_OPS} value={c.op} disabled={disabled} onChange={(op) => set(textCompare(op, c))} />
        {'value' in c && input('text', c.value, (s) => set({ ...c, value: s }))}
        {'values' in c && (
          <TagsInput
            id=""
            disabled={disabled}
            value={c.values}
            onChange={(values) => set({ ...c, values: values ?? [] })}
          />
        )}
      </>
    );
  }
  return (
    <div className="chips seg-fields" style={WRAP}>
      {fields}
    </div>
  );
}
