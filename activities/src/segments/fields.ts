import type { CustomerFieldId } from '@huitou/schemas';
import type { LoweringContext } from './context.ts';
import type { PurchaseSources } from './purchase-sources.ts';

/**
 * The whitelist: every customer field of @huitou/schemas mapped to one SQL expression over
 * customers `c` and the purchase aggregates. The Record type makes a new field without a mapping
 * a compile error; nothing else can name a column.
 */
type FieldSql = (lc: LoweringContext, sources: PurchaseSources) => string;

const column =
  (name: string): FieldSql =>
  () =>
    `c.${name}`;

const fromStats =
  (expr: (s: string) => string): FieldSql =>
  (_lc, sources) =>
    expr(sources.stats());

/** The amount of the customer's first or last purchase (by payment time). */
const purchaseAmount =
  (direction: 'ASC' | 'DESC'): FieldSql =>
  () =>
    `(SELECT p.amount FROM purchases p WHERE p.customer_id = c.id ORDER BY p.paid_at ${direction}, p.id ${direction} LIMIT 1)`;

export const fieldSql: Record<CustomerFieldId, FieldSql> = {
  nickname: column('nickname'),
  name: column('name'),
  gender: column('gender'),
  province: column('province'),
  city: column('city'),
  birthday: column('birthday'),
  has_phone: () => "(c.phone IS NOT NULL AND c.phone <> '')",
  has_email: () => "(c.email IS NOT NULL AND c.email <> '')",
  registered_at: column('registered_at'),
  order_count: fromStats((s) => `coalesce(${s}.n, 0)`),
  total_spend: fromStats((s) => `coalesce(${s}.total, 0)`),
  avg_order_value: fromStats((s) => `${s}.mean`),
  first_purchase_at: fromStats((s) => `${s}.first_purchase_at`),
  last_purchase_at: fromStats((s) => `${s}.last_purchase_at`),
  first_purchase_amount: purchaseAmount('ASC'),
  last_purchase_amount: purchaseAmount('DESC'),
  first_paid_at: fromStats((s) => `${s}.first_paid_at`),
  last_paid_at: fromStats((s) => `${s}.last_paid_at`),
  days_since_last_purchase: (lc, sources) => daysSinceLastPurchase(lc, sources),
  times_marketed: column('times_marketed'),
  times_responded: column('times_responded'),
  response_rate: () => '(c.times_responded::numeric / nullif(c.times_marketed, 0))',
  last_marketed_at: column('last_marketed_at'),
  credit: column('credit'),
};

/** Whole local calendar days between the last purchase and asOf; null for customers who never bought. */
export function daysSinceLastPurchase(lc: LoweringContext, sources: PurchaseSources): string {
  const s = sources.stats();
  return `(${lc.today()} - (${s}.last_paid_at AT TIME ZONE ${lc.tz()})::date)`;
}
