// The report of a triggered journey over a period. Members are read by journey and entry time, not
// by run, so it reads alike whether each trigger is a run of one or a cohort holds many: every
// run_members row of the journey's runs whose entered_at is in [from, to).
import { SMS_FIGURES_SQL, compareArms, couponFiguresSql, zeroArmFigures } from '@huitou/activities/evaluation';
import type { ArmFigures } from '@huitou/activities/contract';
import type { ExecutionPlan, JourneyGoal } from '@huitou/schemas';
import type {
  AbSplitReport,
  JourneyNodeCount,
  JourneyReport,
  REPORT_FIGURES,
  ReportPeriod,
} from '@huitou/schemas/http';
import type { Db } from '../db/transaction.ts';
import { loadPlans } from '../plans/load-plan.ts';
import { AbTally, abResults, addFigures, randomSplitsOf } from './ab-results.ts';
import type { AbSplitDef } from './ab-results.ts';
import { passedNodes } from './node-reach.ts';
import type { PeriodBounds } from './period.ts';

/**
 * The member's trigger order: its own in a cohort (run_members.trigger_order_id, migration 086), else
 * the order of a one-member run keyed `order:<id>` (runs from before cohorts).
 */
const TRIGGER_ORDER_SQL = `coalesce(rm.trigger_order_id::text, CASE WHEN r.trigger_key LIKE 'order:%' THEN substr(r.trigger_key, 7) END)`;

/** The goal's conditions on purchase `p` of member `m`, as checkpoints judge it (evaluation/figures.ts). */
function goalSql(goal: JourneyGoal, params: unknown[]): string {
  if (goal.kind === 'trigger_order_paid') return ' AND p.id::text = m.trigger_order';
  let sql = '';
  if (goal.minAmount !== undefined) {
    params.push(goal.minAmount);
    sql += ` AND p.amount >= $${params.length}::numeric`;
  }
  if (goal.categories) {
    params.push(goal.categories);
    sql += ` AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = p.id AND i.category = ANY($${params.length}::text[]))`;
  }
  return sql;
}

interface GroupRow {
  holdout: boolean;
  /** The member's cohort: a random split's arm is a step of it (ab-results.ts). */
  cohort: string;
  version_id: string;
  position: string | null;
  exited: boolean;
  /** Nodes where the ledgers hold a row for the member. */
  points: string[];
  /** Runs (or cohorts) with a member in the period: the same on every row. */
  run_count: number;
  targets: number;
  sent: number;
  delivered: number;
  billed: number;
  buyers: number;
  orders: number;
  sales: string;
  sms_cost: string;
  coupons_issued: number;
  coupons_redeemed: number;
  coupon_cost: string;
}

/**
 * One pass over the period's members, grouped by arm, cohort, version, recorded position and ledger points:
 * the arm figures sum over the groups, the node counts map each group through its plan. A member's
 * window is its entry plus its version's longest journey (plan.maxDurationMs).
 */
async function memberGroups(db: Db, journeyId: string, bounds: PeriodBounds, goal: JourneyGoal): Promise<GroupRow[]> {
  const params: unknown[] = [journeyId, bounds.from, bounds.to];
  const goalFilter = goalSql(goal, params);
  const { rows } = await db.query<GroupRow>(
    `WITH m AS (
       SELECT rm.run_id, rm.customer_id, rm.holdout, rm.cohort, rm.position, rm.exited_at IS NOT NULL AS exited, r.version_id, rm.entered_at,
              rm.entered_at + (v.plan->>'maxDurationMs')::bigint * interval '1 millisecond' AS window_end,
              ${TRIGGER_ORDER_SQL} AS trigger_order
       FROM runs r
       JOIN run_members rm ON rm.run_id = r.id
       JOIN journey_versions v ON v.id = r.version_id
       WHERE r.journey_id = $1::uuid AND rm.entered_at >= $2::timestamptz AND rm.entered_at < $3::timestamptz),
     per_member AS (
       SELECT m.*, b.orders, b.sales, s.sent, s.delivered, s.billed, s.cost AS sms_cost,
              k.issued AS coupons_issued, k.redeemed AS coupons_redeemed, k.value AS coupon_cost, l.points
       FROM m
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS orders, sum(p.amount) AS sales FROM purchases p
         WHERE p.customer_id = m.customer_id AND p.paid_at >= m.entered_at AND p.paid_at < m.window_end${goalFilter}) b
       CROSS JOIN LATERAL (
         SELECT ${SMS_FIGURES_SQL} FROM messages x WHERE x.customer_id = m.customer_id AND x.run_id = m.run_id) s
       CROSS JOIN LATERAL (
         SELECT ${couponFiguresSql('m.entered_at', 'm.window_end')}
         WHERE k.customer_id = m.customer_id AND k.run_id = m.run_id) k
       CROSS JOIN LATERAL (
         SELECT coalesce(array_agg(DISTINCT n.node_id ORDER BY n.node_id), '{}') AS points FROM (
           SELECT node_id FROM messages x WHERE x.customer_id = m.customer_id AND x.run_id = m.run_id
           UNION ALL SELECT node_id FROM action_ledger a WHERE a.customer_id = m.customer_id AND a.run_id = m.run_id) n) l)
     SELECT holdout, cohort, version_id, position, exited, points, (SELECT count(DISTINCT run_id) FROM m)::int AS run_count, count(*)::int AS targets,
            sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(billed)::int AS billed,
            count(*) FILTER (WHERE orders > 0)::int AS buyers, sum(orders)::int AS orders, coalesce(sum(sales), 0) AS sales,
            sum(sms_cost) AS sms_cost, sum(coupons_issued)::int AS coupons_issued, sum(coupons_redeemed)::int AS coupons_redeemed,
            sum(coupon_cost) AS coupon_cost
     FROM per_member
     GROUP BY holdout, cohort, version_id, position, exited, points`,
    params,
  );
  return rows;
}

const money = (v: number) => Math.round(v * 10_000) / 10_000;

/** A group's arm figures: cost is its SMS plus the face value of its coupons redeemed in the window. */
function figuresOf(g: GroupRow): ArmFigures {
  return {
    targets: g.targets,
    sent: g.sent,
    delivered: g.delivered,
    billedSegments: g.billed,
    buyers: g.buyers,
    orders: g.orders,
    sales: Number(g.sales),
    cost: Number(g.sms_cost) + Number(g.coupon_cost),
    couponsIssued: g.coupons_issued,
    couponsRedeemed: g.coupons_redeemed,
    couponValue: Number(g.coupon_cost),
  };
}

/** Per node over every group: reached through the group's recorded points, waiting or exited at its position. */
function nodeCounts(groups: readonly GroupRow[], plans: ReadonlyMap<string, ExecutionPlan>): JourneyNodeCount[] {
  const counts = new Map<string, JourneyNodeCount>();
  const at = (nodeId: string) => {
    let c = counts.get(nodeId);
    if (!c) counts.set(nodeId, (c = { nodeId, reached: 0, waiting: 0, left: 0, exited: 0 }));
    return c;
  };
  for (const g of groups) {
    const plan = plans.get(g.version_id) as ExecutionPlan;
    for (const node of passedNodes(plan, [...g.points, g.position])) at(node).reached += g.targets;
    if (g.position !== null) at(g.position)[g.exited ? 'exited' : 'waiting'] += g.targets;
  }
  const order = new Map<string, number>();
  for (const plan of plans.values()) plan.order.forEach((id) => order.has(id) || order.set(id, order.size));
  return [...counts.values()]
    .map((c) => ({ ...c, left: c.reached - c.waiting }))
    .sort(
      (a, b) =>
        (order.get(a.nodeId) ?? Infinity) - (order.get(b.nodeId) ?? Infinity) || a.nodeId.localeCompare(b.nodeId),
    );
}

export async function journeyReport(
  db: Db,
  journey: { id: string; name: string },
  period: { period: ReportPeriod; bounds: PeriodBounds; timeZone: string; goal: JourneyGoal },
): Promise<JourneyReport> {
  const groups = await memberGroups(db, journey.id, period.bounds, period.goal);
  const plans = await loadPlans(db, [...new Set(groups.map((g) => g.version_id))]);
  const arms = { treatment: zeroArmFigures(), holdout: zeroArmFigures() };
  let smsCost = 0;
  for (const g of groups) {
    addFigures(g.holdout ? arms.holdout : arms.treatment, figuresOf(g));
    smsCost += Number(g.sms_cost);
  }
  for (const arm of [arms.treatment, arms.holdout])
    for (const f of ['sales', 'cost', 'couponValue'] as const) arm[f] = money(arm[f]);
  const c = compareArms(arms.treatment, arms.holdout);
  const both = (f: (typeof REPORT_FIGURES)[number]) => arms.treatment[f] + arms.holdout[f];
  return {
    journeyId: journey.id,
    name: journey.name,
    period: period.period,
    from: period.bounds.from.toISOString(),
    to: period.bounds.to.toISOString(),
    timeZone: period.timeZone,
    goal: period.goal,
    runs: groups[0]?.run_count ?? 0,
    entered: both('targets'),
    converted: both('buyers'),
    gmv: money(both('sales')),
    sms: {
      sent: both('sent'),
      delivered: both('delivered'),
      billedSegments: both('billedSegments'),
      cost: money(smsCost),
    },
    roi: c.treatment.roi,
    treatment: { ...arms.treatment, metrics: c.treatment },
    holdout: { ...arms.holdout, metrics: c.holdout },
    lift: c.lift,
    incrementalSales: c.incrementalSales,
    incrementalRoi: c.incrementalRoi,
    nodes: nodeCounts(groups, plans),
    ab: abOfGroups(groups, plans),
  };
}

/** Each random split of the members' versions (first by version id when versions differ): its arms compared. */
function abOfGroups(groups: readonly GroupRow[], plans: ReadonlyMap<string, ExecutionPlan>): AbSplitReport[] {
  const splits = new Map<string, AbSplitDef>();
  for (const id of [...plans.keys()].sort())
    for (const s of randomSplitsOf(plans.get(id) as ExecutionPlan)) if (!splits.has(s.nodeId)) splits.set(s.nodeId, s);
  if (splits.size === 0) return [];
  const ids = new Set(splits.keys());
  const tally = new AbTally();
  for (const g of groups) tally.add(ids, g.cohort, g.holdout, figuresOf(g));
  return [...splits.values()].map((s) => abResults(s, { checkpoint: null, cycle: 0 }, tally.of(s.nodeId)));
}
