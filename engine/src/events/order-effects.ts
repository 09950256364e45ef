// What order events do to their order (docs/api.md § How events are routed): each event states
// facts (a status the order has reached, the time of a step), and an order takes the furthest status
// any of its events reached and the earliest time of each step. So the outcome is the same whatever
// order the events arrive in, and a duplicate changes nothing: a late order_paid after
// order_shipped keeps the order shipped, but fills paid_at if it is missing.
import type { OrderEvent, OrderStatus } from '@huitou/schemas';
import { orderStatuses } from '@huitou/schemas';

/** Forward only: an order moves to a status further down this list, never back. */
export const STATUS_ORDER: readonly OrderStatus[] = orderStatuses;
const rank = (s: OrderStatus) => STATUS_ORDER.indexOf(s);

/** The status each order event says the order has reached (none: it does not move the status). */
const STATUS_OF_EVENT: Partial<Record<OrderEvent, OrderStatus>> = {
  order_created: 'created',
  order_paid: 'paid',
  order_shipped: 'shipped',
  // Signed for: still shipped until the buyer confirms (completed).
  order_signed: 'shipped',
  order_closed: 'closed',
  refund_completed: 'refunded',
};

/** The timestamp columns an event can fill. */
export const STEP_COLUMNS = [
  'created_at',
  'paid_at',
  'shipped_at',
  'signed_at',
  'completed_at',
  'closed_at',
  'refunded_at',
] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];

const COLUMN_OF_STATUS: Record<OrderStatus, StepColumn> = {
  created: 'created_at',
  paid: 'paid_at',
  shipped: 'shipped_at',
  completed: 'completed_at',
  closed: 'closed_at',
  refunded: 'refunded_at',
};

export interface OrderFacts {
  type: OrderEvent;
  /** When the event happened (epoch ms). */
  at: number;
  /** The platform's status the event's order carried. */
  status?: OrderStatus;
  createdAt?: number;
  paidAt?: number;
  amount?: number;
  carrier?: string;
  trackingNo?: string;
  couponCode?: string;
}

/** What one order takes from its events, in the order they were stored. */
export interface OrderChange {
  /** The furthest status the events reached (null: none moves the status). */
  status: OrderStatus | null;
  /** The earliest time of each step the events name. */
  steps: Partial<Record<StepColumn, number>>;
  /**
   * Shipped, signed or completed means paid: paid_at at the latest then, until an order_paid (or a
   * paidAt) gives the time. Used only when the order has no paid_at.
   */
  paidBy: number | null;
  /** The latest value given. */
  amount: number | null;
  carrier: string | null;
  trackingNo: string | null;
  couponCode: string | null;
}

const earliest = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** Folds an order's events (in stored order) into one change. */
export function orderChange(events: readonly OrderFacts[]): OrderChange {
  const change: OrderChange = {
    status: null,
    steps: {},
    paidBy: null,
    amount: null,
    carrier: null,
    trackingNo: null,
    couponCode: null,
  };
  const step = (column: StepColumn, at: number | undefined) => {
    const t = earliest(change.steps[column], at);
    if (t !== undefined) change.steps[column] = t;
  };
  for (const e of events) {
    const reached = [STATUS_OF_EVENT[e.type], e.status].filter((s): s is OrderStatus => s !== undefined);
    for (const s of reached) {
      if (change.status === null || rank(s) > rank(change.status)) change.status = s;
      if (rank(s) >= rank('shipped') && rank(s) <= rank('completed'))
        change.paidBy = change.paidBy === null ? e.at : Math.min(change.paidBy, e.at);
    }
    const own = STATUS_OF_EVENT[e.type];
    if (e.type === 'order_signed') step('signed_at', e.at);
    else if (own) step(COLUMN_OF_STATUS[own], e.at);
    if (e.status && e.status !== own) step(COLUMN_OF_STATUS[e.status], e.at);
    step('created_at', e.createdAt);
    step('paid_at', e.paidAt);
    if (e.amount !== undefined) change.amount = e.amount;
    if (e.carrier !== undefined) change.carrier = e.carrier;
    if (e.trackingNo !== undefined) change.trackingNo = e.trackingNo;
    if (e.couponCode !== undefined) change.couponCode = e.couponCode;
  }
  return change;
}
