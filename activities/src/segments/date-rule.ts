// The daily question of a date entry (entry.date), asked in the segment language itself so the scan
// is one more parameterized segment query: "birthday in N days" and "last purchase N days ago", as
// local calendar days of the journey's time zone, AND the entry's filter (its exclusions included).
import type { Condition, NodeParams, SegmentInput } from '@huitou/schemas';

type DateRule = NodeParams<'entry.date'>['rule'];

const birthdayWithin = (days: number): Condition => ({ kind: 'birthday', compare: { op: 'within_next_days', days } });

/**
 * The rule as a condition on the scan day: a birthday exactly `daysBefore` days ahead is "within
 * the next N days but not the next N-1" (so Feb 29 birthdays fall on Feb 28 in other years, as in
 * `within_next_days`); "N days after the last purchase" is days_since_last_purchase = N.
 */
export function dateRuleCondition(rule: DateRule): Condition {
  switch (rule.on) {
    case 'birthday':
      return rule.daysBefore === 0
        ? birthdayWithin(0)
        : {
            kind: 'all',
            of: [birthdayWithin(rule.daysBefore), { kind: 'not', of: birthdayWithin(rule.daysBefore - 1) }],
          };
    case 'days_after_last_purchase':
      return { kind: 'number', field: 'days_since_last_purchase', compare: { op: 'eq', value: rule.days } };
  }
}

/** Who a date entry admits on the day of the segment context's `asOf`: the rule and the filter. */
export function dateEntrySegment(params: Pick<NodeParams<'entry.date'>, 'rule' | 'filter'>): SegmentInput {
  return {
    where: { kind: 'all', of: [dateRuleCondition(params.rule), params.filter.where] },
    exclude: params.filter.exclude,
  };
}
