import type { Condition, DateComparison, NumberComparison, PurchaseWindow, TextComparison } from '@huitou/schemas';
import { customerFields, lifecycleGroupLabels, productRoleLabels, rfmGroups } from '@huitou/schemas';
import type { I18n } from '../i18n.ts';

/** Category key → the shop's name for it (the key itself when the shop's list is not known). */
export type CategoryName = (key: string) => string;
/** Saved segment id → its name (the id itself when the shop's list is not known). */
export type SegmentName = (id: string) => string;

const SYMBOL = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;

const list = (i18n: I18n, items: readonly string[]) => items.join(i18n.lang === 'zh' ? '、' : ', ');

function numberPhrase(c: NumberComparison, i18n: I18n): string {
  return c.op === 'between' ? i18n.t('condBetween', { min: c.min, max: c.max }) : `${SYMBOL[c.op]} ${c.value}`;
}

function windowPhrase(w: PurchaseWindow, i18n: I18n): string {
  switch (w.kind) {
    case 'all_time':
      return i18n.t('condAllTime');
    case 'last_days':
      return i18n.t('condLastDays', { days: w.days });
    case 'dates':
      return i18n.t('condDates', { from: w.from ?? '…', to: w.to ?? '…' });
    case 'since':
      return i18n.t(w.anchor === 'entry' ? 'segWindowSinceEntry' : 'segWindowSinceCycle');
  }
}

function datePhrase(c: DateComparison, i18n: I18n): string {
  switch (c.op) {
    case 'between':
      return i18n.t('condDates', { from: c.from, to: c.to });
    case 'on_or_before':
      return i18n.t('condOnOrBefore', { date: c.date });
    case 'on_or_after':
      return i18n.t('condOnOrAfter', { date: c.date });
    case 'within_last_days':
      return i18n.t('condWithinDays', { days: c.days });
    case 'more_than_days_ago':
      return i18n.t('condMoreThanDays', { days: c.days });
    case 'is_empty':
      return i18n.t('condEmpty');
    case 'is_not_empty':
      return i18n.t('condNotEmpty');
  }
}

function textPhrase(c: TextComparison, i18n: I18n): string {
  switch (c.op) {
    case 'eq':
    case 'neq':
      return `${SYMBOL[c.op]} ${c.value}`;
    case 'contains':
      return i18n.t('condContains', { value: c.value });
    case 'in':
      return i18n.t('condIn', { values: list(i18n, c.values) });
    case 'not_in':
      return i18n.t('condNotIn', { values: list(i18n, c.values) });
    case 'is_empty':
      return i18n.t('condEmpty');
    case 'is_not_empty':
      return i18n.t('condNotEmpty');
  }
}

/** A condition read as a sentence a marketer says: "近 30 天 购买次数 = 0", "订单金额 ≥ 200". */
export function conditionSentence(
  c: Condition,
  i18n: I18n,
  category: CategoryName,
  segmentName: SegmentName = (id) => id,
): string {
  const { t, l } = i18n;
  switch (c.kind) {
    case 'all':
    case 'any':
      if (c.of.length === 0) return t(c.kind === 'all' ? 'condEveryone' : 'condNoneYet');
      return t(c.kind === 'all' ? 'condAllOf' : 'condAnyOf', { n: c.of.length });
    case 'not':
      return t('condNot', { inner: conditionSentence(c.of, i18n, category, segmentName) });
    case 'number':
      return `${l(customerFields[c.field].label)} ${numberPhrase(c.compare, i18n)}`;
    case 'date':
      return `${l(customerFields[c.field].label)} ${datePhrase(c.compare, i18n)}`;
    case 'text':
      return `${l(customerFields[c.field].label)} ${textPhrase(c.compare, i18n)}`;
    case 'boolean':
      return `${l(customerFields[c.field].label)}：${t(c.value ? 'condYes' : 'condNo')}`;
    case 'gender':
      return `${l(customerFields.gender.label)}：${list(
        i18n,
        c.values.map((g) => t(g === 'male' ? 'condMale' : g === 'female' ? 'condFemale' : 'condGenderUnknown')),
      )}`;
    case 'birthday':
      if (c.compare.op === 'month_in')
        return t('condBirthMonths', { months: list(i18n, c.compare.months.map(String)) });
      if (c.compare.op === 'within_next_days') return t('condBirthdayWithin', { days: c.compare.days });
      return `${l(customerFields.birthday.label)} ${t(c.compare.op === 'is_empty' ? 'condEmpty' : 'condNotEmpty')}`;
    case 'tags':
      return `${t('segKindTags')} ${t(c.op === 'has_any' ? 'segTagsHasAny' : c.op === 'has_all' ? 'segTagsHasAll' : 'segTagsHasNone')} ${list(i18n, c.tags)}`;
    case 'purchase': {
      const metric = t(
        c.metric === 'count'
          ? 'segMetricCount'
          : c.metric === 'sum'
            ? 'segMetricSum'
            : c.metric === 'avg'
              ? 'segMetricAvg'
              : 'segMetricMax',
      );
      const scope = [
        ...(c.categories ? [t('condCategories', { names: list(i18n, c.categories.map(category)) })] : []),
        ...(c.roles
          ? [
              t('condRoles', {
                names: list(
                  i18n,
                  c.roles.map((r) => l(productRoleLabels[r])),
                ),
              }),
            ]
          : []),
      ];
      return `${windowPhrase(c.window, i18n)} ${metric} ${numberPhrase(c.compare, i18n)}${scope.map((s) => ` ${s}`).join('')}`;
    }
    case 'rfm':
      // Total spend is the default M; only the other choice is worth saying.
      return `${t('segKindRfm')}：${list(
        i18n,
        c.groups.map((g) => l(rfmGroups[g].label)),
      )}${c.monetary === 'aov' ? `（${t('segRfmMonetaryAov')}）` : ''}`;
    case 'lifecycle':
      return `${t('segKindLifecycle')}：${list(
        i18n,
        c.groups.map((g) => l(lifecycleGroupLabels[g])),
      )}`;
    case 'trigger_order':
      return `${t(c.field === 'amount' ? 'condOrderAmount' : 'condOrderItems')} ${numberPhrase(c.compare, i18n)}`;
    case 'trigger_order_category':
      return t('condOrderCategory', { names: list(i18n, c.categories.map(category)) });
    case 'trigger_order_paid':
      return t(c.paid ? 'condOrderPaid' : 'condOrderUnpaid');
    case 'saved_segment':
      return c.segmentId ? t('condSavedSegment', { name: segmentName(c.segmentId) }) : t('segSavedPick');
  }
}
