// What the overview page shows and links to, as plain data: the query in its URL, and for each
// clickable figure the saved segment it opens (/segments/new?name=&definition=, read by the
// segment page). Pure functions, unit-tested (tests/unit/builder/overview-model.test.ts).
import type { LifecycleGroupId, RfmGroupId, RfmMonetary, SegmentInput } from '@huitou/schemas';
import { OVERVIEW_PERIODS, RFM_MONETARY } from '@huitou/schemas/http';
import type { OverviewPeriod } from '@huitou/schemas/http';
import { paths } from '../../routes.ts';

/** The page's choices, kept in its query string so a view can be shared and reloaded. */
export interface OverviewChoice {
  readonly period: OverviewPeriod;
  /** Undefined: the shop's setting (else sum), decided by the engine. */
  readonly monetary?: RfmMonetary;
  /** Empty: the engine's default (the 90 days up to today). */
  readonly from: string;
  readonly to: string;
}

const isDate = (s: string | null): s is string => s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s);
const oneOf = <T extends string>(list: readonly T[], s: string | null): T | undefined => list.find((x) => x === s);

export function choiceOf(search: URLSearchParams): OverviewChoice {
  const from = search.get('from');
  const to = search.get('to');
  return {
    period: oneOf(OVERVIEW_PERIODS, search.get('period')) ?? 'day',
    monetary: oneOf(RFM_MONETARY, search.get('monetary')),
    from: isDate(from) ? from : '',
    to: isDate(to) ? to : '',
  };
}

/** The query string of a choice: for the page's URL and the API alike (only what is set). */
export function queryOf(c: OverviewChoice): string {
  const q = new URLSearchParams({ period: c.period });
  if (c.monetary) q.set('monetary', c.monetary);
  if (c.from) q.set('from', c.from);
  if (c.to) q.set('to', c.to);
  return q.toString();
}

/** The link that opens a new saved segment with this name and definition. */
export function newSegmentLink(name: string, segment: SegmentInput): string {
  return `${paths.newSegment}?name=${encodeURIComponent(name)}&definition=${encodeURIComponent(JSON.stringify(segment))}`;
}

/** The overview's own RFM scoring: quantiles at the medians over all buyers, all time. */
export const rfmSegment = (group: RfmGroupId, monetary: RfmMonetary): SegmentInput => ({
  where: {
    kind: 'rfm',
    groups: [group],
    scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
    window: { kind: 'all_time' },
    monetary,
  },
});

/** The overview's lifecycle groups use the condition's default rules. */
export const lifecycleSegment = (group: LifecycleGroupId): SegmentInput => ({
  where: { kind: 'lifecycle', groups: [group] },
});

const boughtIn = (from: string, to: string, categories?: readonly string[]) =>
  ({
    kind: 'purchase',
    metric: 'count',
    window: { kind: 'dates', from, to },
    ...(categories ? { categories: [...categories] } : {}),
    compare: { op: 'gte', value: 1 },
  }) as const;

/** Buyers of the range living in a province (null: no province known). */
export const provinceSegment = (province: string | null, from: string, to: string): SegmentInput => ({
  where: {
    kind: 'all',
    of: [
      {
        kind: 'text',
        field: 'province',
        compare: province === null ? { op: 'is_empty' } : { op: 'eq', value: province },
      },
      boughtIn(from, to),
    ],
  },
});

/** Buyers of an item in the category during the range. */
export const categorySegment = (key: string, from: string, to: string): SegmentInput => ({
  where: boughtIn(from, to, [key]),
});

const lastDayOfMonth = (monthStart: string) => {
  const [y, m] = monthStart.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const dayBefore = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
};

/**
 * A first-purchase cohort: bought in its month (the part inside the range, as the figure counts)
 * and never before that part began.
 */
export function cohortSegment(cohort: string, from: string, to: string): SegmentInput {
  const first = cohort < from ? from : cohort;
  const monthEnd = lastDayOfMonth(cohort);
  const last = monthEnd > to ? to : monthEnd;
  return {
    where: {
      kind: 'all',
      of: [
        boughtIn(first, last),
        {
          kind: 'purchase',
          metric: 'count',
          window: { kind: 'dates', to: dayBefore(first) },
          compare: { op: 'eq', value: 0 },
        },
      ],
    },
  };
}

/** The top of a chart's scale: the largest value, or 1 when all are 0 (bars of height 0). */
export const scaleMax = (values: readonly number[]) => Math.max(0, ...values) || 1;
