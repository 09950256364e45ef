import type { JourneySettings } from '@huitou/schemas';
import type { ArmFigures, CohortRef } from '../contract.ts';
import type { Queryable } from '../side-effects/members.ts';
import { couponFiguresSql } from './coupon-sql.ts';
import { SMS_FIGURES_SQL } from './sms-sql.ts';

export interface FiguresQuery {
  ref: CohortRef;
  /** Attribution window [from, to). */
  from: Date;
  to: Date;
  /** Ledger rows of this cycle path (and cycles nested in it) are the stimulation measured; '' = the whole run. */
  cyclePath: string;
  goal: JourneySettings['goal'];
  triggerKey?: string;
}

/** An arm with no members yet (a fresh object each time: callers add into it). */
export const zeroArmFigures = (): ArmFigures => ({
  targets: 0,
  sent: 0,
  delivered: 0,
  billedSegments: 0,
  buyers: 0,
  orders: 0,
  sales: 0,
  cost: 0,
  couponsIssued: 0,
  couponsRedeemed: 0,
  couponValue: 0,
});

/**
 * Raw figures per arm in one query. Members: the cohort and the cohorts split off it (ids
 * `cohort/...`), exited or not, because they all passed the anchor. Buyers: members with a
 * purchase meeting the journey goal in the window. SMS: this run's ledger rows for the members in
 * the cycle; cost = billed segments x unit price for delivered messages, the estimate for sent ones
 * awaiting a receipt, plus the face value of this run's coupons redeemed by an order in the window.
 * Coupons: this run's coupons of the members in the cycle, those redeemed in the window, and their
 * face value (coupon-sql.ts, as the journey report counts them).
 */
export async function armFigures(
  db: Queryable,
  q: FiguresQuery,
): Promise<{ treatment: ArmFigures; holdout: ArmFigures }> {
  const params: unknown[] = [
    q.ref.runId,
    q.ref.shard,
    q.ref.cohort,
    `${escapeLike(q.ref.cohort)}/%`,
    q.from,
    q.to,
    q.cyclePath,
    `${escapeLike(q.cyclePath)},%`,
  ];
  const goal: string[] = [];
  if (q.goal.kind === 'purchase') {
    if (q.goal.minAmount !== undefined) {
      params.push(q.goal.minAmount);
      goal.push(`p.amount >= $${params.length}::numeric`);
    }
    if (q.goal.categories) {
      params.push(q.goal.categories);
      goal.push(
        `EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = p.id AND i.category = ANY($${params.length}::text[]))`,
      );
    }
  } else {
    // Payment reminders: success is the member's trigger order getting paid: its own in a cohort
    // (run_members.trigger_order_id), the run's key `order:<id>` in a one-member run from before.
    params.push(q.triggerKey ?? null);
    goal.push(
      `p.id = (SELECT coalesce(rm.trigger_order_id, CASE WHEN $${params.length}::text LIKE 'order:%' THEN substr($${params.length}::text, 7)::bigint END)
               FROM run_members rm WHERE rm.run_id = $1::uuid AND rm.customer_id = p.customer_id)`,
    );
  }
  const inCycle = (alias: string) =>
    `($7::text = '' OR ${alias}.cycle_path = $7::text OR ${alias}.cycle_path LIKE $8::text ESCAPE '\\')`;
  const { rows } = await db.query<{
    holdout: boolean;
    targets: number;
    sent: number;
    delivered: number;
    billed: number;
    buyers: number;
    orders: number;
    sales: string;
    cost: string;
    coupons_issued: number;
    coupons_redeemed: number;
    coupon_value: string;
  }>(
    `WITH members AS (
       -- Through huitou_run_members (migration 050): the planner has no statistics for a fresh cohort.
       SELECT customer_id, holdout FROM huitou_run_members($1::uuid, $2::int, $3::text, $4::text, NULL, false)),
     buys AS (
       SELECT p.customer_id, count(*)::int AS orders, sum(p.amount) AS sales
       FROM purchases p JOIN members mb ON mb.customer_id = p.customer_id
       WHERE p.paid_at >= $5::timestamptz AND p.paid_at < $6::timestamptz${goal.map((g) => ` AND ${g}`).join('')}
       GROUP BY p.customer_id),
     -- Per member through the customer indexes (LATERAL: always a lookup per member), so the cost
     -- follows the cohort: a scan of the run's ledger per cohort is quadratic in the run's size.
     sms AS (
       SELECT mb.customer_id, x.*
       FROM members mb CROSS JOIN LATERAL (
         SELECT ${SMS_FIGURES_SQL}
         FROM messages x
         WHERE x.customer_id = mb.customer_id AND x.run_id = $1::uuid AND ${inCycle('x')}) x),
     coupon AS (
       SELECT mb.customer_id, k.*
       FROM members mb CROSS JOIN LATERAL (
         SELECT ${couponFiguresSql('$5::timestamptz', '$6::timestamptz')}
         WHERE k.customer_id = mb.customer_id AND k.run_id = $1::uuid AND ${inCycle('k')}) k)
     SELECT mb.holdout, count(*)::int AS targets, coalesce(sum(s.sent), 0)::int AS sent, coalesce(sum(s.delivered), 0)::int AS delivered,
            coalesce(sum(s.billed), 0)::int AS billed, count(b.customer_id)::int AS buyers, coalesce(sum(b.orders), 0)::int AS orders,
            coalesce(sum(b.sales), 0) AS sales, coalesce(sum(s.cost), 0) + coalesce(sum(c.value), 0) AS cost,
            coalesce(sum(c.issued), 0)::int AS coupons_issued, coalesce(sum(c.redeemed), 0)::int AS coupons_redeemed,
            coalesce(sum(c.value), 0) AS coupon_value
     FROM members mb
     LEFT JOIN buys b ON b.customer_id = mb.customer_id
     LEFT JOIN sms s ON s.customer_id = mb.customer_id
     LEFT JOIN coupon c ON c.customer_id = mb.customer_id
     GROUP BY mb.holdout`,
    params,
  );
  const arm = (holdout: boolean): ArmFigures => {
    const r = rows.find((x) => x.holdout === holdout);
    if (!r) return zeroArmFigures();
    const money = (v: string) => Math.round(Number(v) * 10_000) / 10_000;
    return {
      targets: r.targets,
      sent: r.sent,
      delivered: r.delivered,
      billedSegments: r.billed,
      buyers: r.buyers,
      orders: r.orders,
      sales: money(r.sales),
      cost: money(r.cost),
      couponsIssued: r.coupons_issued,
      couponsRedeemed: r.coupons_redeemed,
      couponValue: money(r.coupon_value),
    };
  };
  return { treatment: arm(false), holdout: arm(true) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
