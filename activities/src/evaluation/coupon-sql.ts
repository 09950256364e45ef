// What a report counts from the coupons a run issued, one definition for run checkpoints and
// journey reports: issued (this run's coupons of the member), redeemed (those paid with by a
// purchase in the attribution window) and their face value, which reports add to cost.

/**
 * Aggregates over the `coupons` rows aliased `k` (the caller's WHERE picks the member, run and
 * cycle): columns issued, redeemed, value. `from` and `to` are SQL expressions for the window [from, to).
 */
export function couponFiguresSql(from: string, to: string): string {
  return `count(*)::int AS issued,
                count(p.id)::int AS redeemed,
                coalesce(sum(k.value) FILTER (WHERE p.id IS NOT NULL), 0) AS value
         FROM coupons k
         LEFT JOIN purchases p ON p.id = k.redeemed_order_id AND p.paid_at >= ${from} AND p.paid_at < ${to}`;
}
