import { z } from 'zod';
import { CategoryKey, MAX_CATEGORIES_PER_CONDITION, ProductRole, productRoles } from './catalogue.ts';
import { booleanFieldIds, dateFieldIds, numberFieldIds, textFieldIds } from './customer-fields.ts';
import { BoundedDate } from './instant.ts';
import { LifecycleGroupId, LifecycleRules, RfmGroupId, RfmMonetary, RfmScoring } from './rfm.ts';

/**
 * The segment language: a closed AST over whitelisted fields and operators, so that the data layer
 * can lower every node to parameterized SQL (field ids map to fixed columns, values become
 * parameters). Dates are local calendar dates in the journey's time zone; money is in yuan.
 */

const finite = z.number().finite().min(-1e12).max(1e12);
const shortText = z.string().min(1).max(100);
const LocalDate = BoundedDate;
const Days = z.int().min(0).max(3650);

export const NumberComparison = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: finite }),
  z
    .strictObject({ op: z.literal('between'), min: finite, max: finite })
    .refine((c) => c.min <= c.max, { message: 'min must not exceed max', path: ['max'] }),
]);
export type NumberComparison = z.infer<typeof NumberComparison>;

export const DateComparison = z.discriminatedUnion('op', [
  z
    .strictObject({ op: z.literal('between'), from: LocalDate, to: LocalDate })
    .refine((c) => c.from <= c.to, { message: 'from must not be after to', path: ['to'] }),
  z.strictObject({ op: z.enum(['on_or_before', 'on_or_after']), date: LocalDate }),
  z.strictObject({ op: z.enum(['within_last_days', 'more_than_days_ago']), days: Days }),
  z.strictObject({ op: z.enum(['is_empty', 'is_not_empty']) }),
]);
export type DateComparison = z.infer<typeof DateComparison>;

export const TextComparison = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['eq', 'neq', 'contains']), value: shortText }),
  z.strictObject({ op: z.enum(['in', 'not_in']), values: z.array(shortText).min(1).max(500) }),
  z.strictObject({ op: z.enum(['is_empty', 'is_not_empty']) }),
]);
export type TextComparison = z.infer<typeof TextComparison>;

export const BirthdayComparison = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('month_in'), months: z.array(z.int().min(1).max(12)).min(1).max(12) }),
  /** Birthday falls within the next `days` days, today included (0 = today). */
  z.strictObject({ op: z.literal('within_next_days'), days: z.int().min(0).max(366) }),
  z.strictObject({ op: z.enum(['is_empty', 'is_not_empty']) }),
]);
export type BirthdayComparison = z.infer<typeof BirthdayComparison>;

/**
 * The time window of a purchase aggregate. `since` is journey-relative: the member's entry into the
 * journey, or the start of the current repeat cycle (only inside a repeat body); the interpreter
 * passes that instant as a parameter.
 */
export const PurchaseWindow = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all_time') }),
  z.strictObject({ kind: z.literal('last_days'), days: z.int().min(1).max(3650) }),
  z
    .strictObject({ kind: z.literal('dates'), from: LocalDate.optional(), to: LocalDate.optional() })
    .refine((w) => w.from !== undefined || w.to !== undefined, { message: 'give from, to or both' })
    .refine((w) => w.from === undefined || w.to === undefined || w.from <= w.to, {
      message: 'from must not be after to',
      path: ['to'],
    }),
  z.strictObject({ kind: z.literal('since'), anchor: z.enum(['entry', 'cycle_start']) }),
]);
export type PurchaseWindow = z.infer<typeof PurchaseWindow>;

/** Keys of the shop's categories (checked against the shop's list by the engine, not here). */
export const CategoryKeyList = z.array(CategoryKey).min(1).max(MAX_CATEGORIES_PER_CONDITION);
const roleList = z.array(ProductRole).min(1).max(productRoles.length);

export const Condition = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['all', 'any']),
    get of() {
      return z.array(Condition).max(50);
    },
  }),
  z.strictObject({
    kind: z.literal('not'),
    get of() {
      return Condition;
    },
  }),
  z.strictObject({ kind: z.literal('number'), field: z.enum(numberFieldIds), compare: NumberComparison }),
  z.strictObject({ kind: z.literal('date'), field: z.enum(dateFieldIds), compare: DateComparison }),
  z.strictObject({ kind: z.literal('text'), field: z.enum(textFieldIds), compare: TextComparison }),
  z.strictObject({ kind: z.literal('boolean'), field: z.enum(booleanFieldIds), value: z.boolean() }),
  z.strictObject({
    kind: z.literal('gender'),
    values: z
      .array(z.enum(['male', 'female', 'unknown']))
      .min(1)
      .max(3),
  }),
  z.strictObject({ kind: z.literal('birthday'), compare: BirthdayComparison }),
  z.strictObject({
    kind: z.literal('tags'),
    op: z.enum(['has_any', 'has_all', 'has_none']),
    tags: z.array(z.string().min(1).max(50)).min(1).max(50),
  }),
  /**
   * An aggregate over the customer's paid, non-refunded orders in a window; with `categories` and/or
   * `roles`, only orders with an item in one of the categories whose product has one of the roles.
   */
  z.strictObject({
    kind: z.literal('purchase'),
    metric: z.enum(['count', 'sum', 'avg', 'max']),
    window: PurchaseWindow,
    categories: CategoryKeyList.optional(),
    roles: roleList.optional(),
    compare: NumberComparison,
  }),
  /**
   * RFM group membership; F and M are taken over `window` (all time by default), M by total spend
   * or, with `monetary: 'aov'`, by average order value.
   */
  z.strictObject({
    kind: z.literal('rfm'),
    groups: z.array(RfmGroupId).min(1).max(8),
    scoring: RfmScoring,
    window: PurchaseWindow.default({ kind: 'all_time' }),
    monetary: RfmMonetary.optional(),
  }),
  z.strictObject({
    kind: z.literal('lifecycle'),
    groups: z.array(LifecycleGroupId).min(1).max(4),
    rules: LifecycleRules.prefault({}),
  }),
  /** The order that triggered an event journey (e.g. the unpaid order of a payment reminder). */
  z.strictObject({
    kind: z.literal('trigger_order'),
    field: z.enum(['amount', 'item_count']),
    compare: NumberComparison,
  }),
  z.strictObject({ kind: z.literal('trigger_order_category'), categories: CategoryKeyList }),
  /** Whether the trigger order is paid by now (paid_at set; a refund or close after payment still counts as paid). */
  z.strictObject({ kind: z.literal('trigger_order_paid'), paid: z.boolean() }),
  /**
   * A saved segment (人群, table saved_segments) by id. Drafts name only the id; publishing copies
   * the segment's definition into `definition`, so editing the segment later leaves a published
   * version as it was. Lowering needs the definition.
   */
  z.strictObject({
    kind: z.literal('saved_segment'),
    segmentId: z.uuid(),
    get definition() {
      return SavedSegmentDefinition.optional();
    },
  }),
]);
export type Condition = z.infer<typeof Condition>;
export type ConditionKind = Condition['kind'];

/** Customers removed from a segment after `where` matched them. */
export const Exclusion = z.discriminatedUnion('kind', [
  /** Opted out of marketing SMS (回T退订). The send path enforces this for marketing SMS anyway. */
  z.strictObject({ kind: z.literal('opted_out') }),
  /** Left a negative review (within the last `withinDays`, or ever). */
  z.strictObject({ kind: z.literal('bad_reviewer'), withinDays: z.int().min(1).max(3650).optional() }),
  /** Marketed at least `minTimesMarketed` times with a response rate at or below `maxResponseRate`. */
  z.strictObject({
    kind: z.literal('low_response'),
    minTimesMarketed: z.int().min(1).max(1000).default(5),
    maxResponseRate: z.number().min(0).max(1).default(0.05),
  }),
  /** No purchase for `inactiveDays` despite at least `minTimesMarketed` touches since the last one. */
  z.strictObject({
    kind: z.literal('cannot_reactivate'),
    inactiveDays: z.int().min(1).max(3650).default(730),
    minTimesMarketed: z.int().min(1).max(1000).default(3),
  }),
  z.strictObject({ kind: z.literal('condition'), where: Condition }),
]);
export type Exclusion = z.infer<typeof Exclusion>;

/** The definition a saved_segment condition carries once resolved: a segment's where and exclusions. */
export const SavedSegmentDefinition = z.strictObject({
  where: Condition,
  exclude: z.array(Exclusion).max(20).default([]),
});
export type SavedSegmentDefinition = z.infer<typeof SavedSegmentDefinition>;

export const SEGMENT_LIMITS = { maxDepth: 8, maxConditions: 200 } as const;

/** A segment: everyone matching `where`, minus the exclusions. `{kind:'all', of:[]}` matches all. */
export const Segment = z
  .strictObject({
    where: Condition,
    exclude: z.array(Exclusion).max(20).default([]),
  })
  .superRefine((segment, ctx) => {
    const { depth, count } = measure(segment.where);
    if (depth > SEGMENT_LIMITS.maxDepth) {
      ctx.addIssue({
        code: 'custom',
        path: ['where'],
        message: `conditions nest ${depth} deep; at most ${SEGMENT_LIMITS.maxDepth}`,
      });
    }
    if (count > SEGMENT_LIMITS.maxConditions) {
      ctx.addIssue({
        code: 'custom',
        path: ['where'],
        message: `${count} conditions; at most ${SEGMENT_LIMITS.maxConditions}`,
      });
    }
  });
export type Segment = z.infer<typeof Segment>;
export type SegmentInput = z.input<typeof Segment>;

/** Every condition in the tree, parents before children (exclusion conditions not included). */
export function conditionNodes(root: Condition): Condition[] {
  const out: Condition[] = [];
  const stack: Condition[] = [root];
  while (stack.length > 0) {
    const c = stack.pop() as Condition;
    out.push(c);
    if (c.kind === 'all' || c.kind === 'any') stack.push(...[...c.of].reverse());
    else if (c.kind === 'not') stack.push(c.of);
  }
  return out;
}

function measure(root: Condition): { depth: number; count: number } {
  let depth = 0;
  let count = 0;
  const stack: Array<[Condition, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [c, d] = stack.pop() as [Condition, number];
    count += 1;
    depth = Math.max(depth, d);
    if (c.kind === 'all' || c.kind === 'any') for (const child of c.of) stack.push([child, d + 1]);
    else if (c.kind === 'not') stack.push([c.of, d + 1]);
  }
  return { depth, count };
}

/** What journey context a condition needs: the entry instant, the cycle start, a trigger order. */
export function conditionNeeds(root: Condition): { entry: boolean; cycleStart: boolean; triggerOrder: boolean } {
  const needs = { entry: false, cycleStart: false, triggerOrder: false };
  for (const c of conditionNodes(root)) {
    if (c.kind === 'trigger_order' || c.kind === 'trigger_order_category' || c.kind === 'trigger_order_paid')
      needs.triggerOrder = true;
    const window = c.kind === 'purchase' || c.kind === 'rfm' ? c.window : undefined;
    if (window?.kind === 'since') {
      if (window.anchor === 'entry') needs.entry = true;
      else needs.cycleStart = true;
    }
  }
  return needs;
}
