// Follow-up events of a simulated triggered journey. Nobody pays, ships or reviews inside the
// sandbox by itself, so without these a 催付 reminds every order and its cost assumes nobody pays.
// Each event the journey waits for comes to a share of the triggers: the marketer's ("40% pay
// within 30 minutes") or the shop's own history (the share of created orders where the event came
// within the same window), spread evenly over the window.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ExecutionPlan, OrderEvent } from '@huitou/schemas';
import type { FollowUpRate, FollowUpSetting } from '@huitou/schemas/http';

const MINUTE = 60_000;
/** A journey that ends on payment but never waits for it hears payments for a day by default. */
const GOAL_WINDOW_MS = 24 * 60 * MINUTE;

/** When each event happened to an order in the history (null: the history cannot say). */
const HAPPENED_AT: Partial<Record<OrderEvent, string>> = {
  order_paid: 'o.paid_at',
  order_shipped: 'o.shipped_at',
  order_signed: 'o.signed_at',
  order_closed: 'o.closed_at',
  refund_completed: 'o.refunded_at',
  review_posted: '(SELECT min(r.created_at) FROM reviews r WHERE r.order_id = o.id)',
};

/** An order that is paid is not also closed unpaid: closing comes to the others only. */
const EXCLUDES: Partial<Record<OrderEvent, OrderEvent>> = { order_closed: 'order_paid' };

/** The events a plan waits for, each with the window of its first wait (its shortest timeout). */
export function awaitedEvents(plan: ExecutionPlan): Map<OrderEvent, number> {
  const out = new Map<OrderEvent, number>();
  for (const node of Object.values(plan.nodes)) {
    if (node.type !== 'wait.event') continue;
    const { event, timeoutMs } = node.params;
    out.set(event, Math.min(out.get(event) ?? Infinity, timeoutMs));
  }
  if (plan.settings.goal.kind === 'trigger_order_paid' && !out.has('order_paid')) out.set('order_paid', GOAL_WINDOW_MS);
  // Payments first: closing is drawn among those who did not pay.
  return new Map([...out].sort(([a], [b]) => Number(a !== 'order_paid') - Number(b !== 'order_paid')));
}

/** The share of orders where `event` came within `windowMs` of creation, among orders that had the whole window. */
export async function learnedShare(
  pool: pg.Pool,
  event: OrderEvent,
  windowMs: number,
): Promise<{ orders: number; happened: number }> {
  const at = HAPPENED_AT[event];
  if (!at) return { orders: 0, happened: 0 };
  const { rows } = await pool.query<{ orders: number; happened: number }>(
    `WITH h AS (SELECT max(created_at) AS last FROM orders)
     SELECT count(*)::int AS orders,
            count(*) FILTER (WHERE ${at} <= o.created_at + $1 * interval '1 millisecond')::int AS happened
     FROM orders o, h WHERE o.created_at <= h.last - $1 * interval '1 millisecond'`,
    [windowMs],
  );
  return rows[0];
}

/**
 * The rate of every awaited event: set by the marketer, or learned from the shop's orders (from the
 * sandbox's demo shop when the shop has none yet and the simulation runs on the demo shop).
 */
export async function followUpRates(input: {
  plan: ExecutionPlan;
  settings: readonly FollowUpSetting[];
  shop: pg.Pool;
  demoShop: pg.Pool | null;
}): Promise<FollowUpRate[]> {
  const rates: FollowUpRate[] = [];
  for (const [event, waitMs] of awaitedEvents(input.plan)) {
    const set = input.settings.find((s) => s.event === event);
    if (set) {
      const withinMinutes = set.withinMinutes ?? Math.max(1, Math.round(waitMs / MINUTE));
      rates.push({ event, percent: set.percent, withinMinutes, source: 'set', delivered: 0 });
      continue;
    }
    let history = { from: 'shop' as 'shop' | 'demo_shop', ...(await learnedShare(input.shop, event, waitMs)) };
    if (history.orders === 0 && input.demoShop)
      history = { from: 'demo_shop', ...(await learnedShare(input.demoShop, event, waitMs)) };
    const percent = history.orders > 0 ? Math.round((history.happened / history.orders) * 1000) / 10 : 0;
    rates.push({
      event,
      percent,
      withinMinutes: Math.max(1, Math.round(waitMs / MINUTE)),
      source: 'learned',
      history,
      delivered: 0,
    });
  }
  return rates;
}

export interface PlannedFollowUp {
  /** Index of the trigger (order) in the simulation's sample. */
  trigger: number;
  event: OrderEvent;
  /** Time after the trigger. */
  afterMs: number;
}

const rank = (event: string, orderId: number) =>
  createHash('sha256').update(`${event}:${orderId}`).digest().readUInt32BE(0);

/**
 * Which triggers get each event, and when: exactly round(n x percent) of them, drawn by a hash of
 * order and event (the same draft simulated twice draws the same payers), spread evenly over the window.
 */
export function planFollowUps(rates: readonly FollowUpRate[], orderIds: readonly number[]): PlannedFollowUp[] {
  const planned: PlannedFollowUp[] = [];
  const got = new Map<OrderEvent, Set<number>>();
  for (const rate of rates) {
    const excluded = got.get(EXCLUDES[rate.event] as OrderEvent) ?? new Set<number>();
    const candidates = orderIds
      .map((id, trigger) => ({ id, trigger }))
      .filter((c) => !excluded.has(c.trigger))
      .sort((a, b) => rank(rate.event, a.id) - rank(rate.event, b.id) || a.trigger - b.trigger);
    const n = Math.min(candidates.length, Math.round((orderIds.length * rate.percent) / 100));
    const chosen = candidates.slice(0, n);
    got.set(rate.event, new Set(chosen.map((c) => c.trigger)));
    const windowMs = rate.withinMinutes * MINUTE;
    chosen.forEach((c, k) =>
      planned.push({ trigger: c.trigger, event: rate.event, afterMs: Math.round((windowMs * (k + 1)) / (n + 1)) }),
    );
  }
  return planned.sort((a, b) => a.afterMs - b.afterMs || a.trigger - b.trigger);
}

/** The sandbox's order takes the event's time (a later check of "paid or not" sees it). */
export async function recordFollowUp(pool: pg.Pool, event: OrderEvent, orderId: number, at: number): Promise<void> {
  const column = HAPPENED_AT[event];
  if (!column?.startsWith('o.')) return;
  const status = event === 'order_paid' ? 'paid' : event === 'order_closed' ? 'closed' : null;
  await pool.query(
    `UPDATE orders o SET ${column.slice(2)} = coalesce(${column}, to_timestamp($2 / 1000.0)),
            status = CASE WHEN $3::text IS NOT NULL AND o.status = 'created' THEN $3::text ELSE o.status END
     WHERE o.id = $1`,
    [orderId, at, status],
  );
}
