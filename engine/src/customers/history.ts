// One customer's history for the customer page, newest first, a page at a time: orders, the
// messages ledger (sent and skipped, with the reason) and the runs they are or were in. Each reads
// its table by customer through an existing index (orders_customer_paid_idx, messages_customer_idx,
// run_members_customer_idx).
import type { CustomerJourneys, CustomerMessages, CustomerOrders } from '@huitou/schemas/http';
import { iso } from '../db/transaction.ts';
import type { Db } from '../db/transaction.ts';

export interface HistoryPage {
  readonly offset: number;
  readonly limit: number;
}

/** The rows of a page (one more than the limit was read) and the offset of the next page. */
function paged<R, T>(rows: R[], page: HistoryPage, map: (row: R) => T): { items: T[]; next: number | null } {
  return {
    items: rows.slice(0, page.limit).map(map),
    next: rows.length > page.limit ? page.offset + page.limit : null,
  };
}

export async function customerOrders(db: Db, customerId: number, page: HistoryPage): Promise<CustomerOrders> {
  const { rows } = await db.query<{
    id: string;
    external_id: string | null;
    channel: string;
    status: string;
    amount: string;
    discount: string;
    item_count: number;
    items: { title: string | null; category: string; quantity: number; amount: string }[];
    created_at: Date;
    paid_at: Date | null;
  }>(
    `SELECT o.id, o.external_id, o.channel, o.status, o.amount, o.discount, o.item_count, o.created_at, o.paid_at,
            coalesce((SELECT json_agg(json_build_object('title', coalesce(i.title, p.name), 'category', i.category,
                                                        'quantity', i.quantity, 'amount', i.amount::text)
                                      ORDER BY i.line_no)
                      FROM order_items i LEFT JOIN products p ON p.id = i.product_id
                      WHERE i.order_id = o.id), '[]') AS items
     FROM orders o WHERE o.customer_id = $1
     ORDER BY o.created_at DESC, o.id DESC OFFSET $2 LIMIT $3`,
    [customerId, page.offset, page.limit + 1],
  );
  const { items, next } = paged(rows, page, (r) => ({
    id: Number(r.id),
    externalId: r.external_id,
    channel: r.channel,
    status: r.status,
    amount: Number(r.amount),
    discount: Number(r.discount),
    itemCount: r.item_count,
    items: r.items.map((i) => ({ ...i, amount: Number(i.amount) })),
    createdAt: iso(r.created_at) as string,
    paidAt: iso(r.paid_at),
  }));
  return { orders: items, next };
}

export async function customerMessages(db: Db, customerId: number, page: HistoryPage): Promise<CustomerMessages> {
  const { rows } = await db.query<{
    id: string;
    journey_id: string | null;
    journey_name: string | null;
    run_id: string | null;
    node_id: string | null;
    class: 'marketing' | 'notification';
    status: string;
    skip_reason: string | null;
    body: string | null;
    created_at: Date;
    sent_at: Date | null;
  }>(
    `SELECT m.id, j.id AS journey_id, j.name AS journey_name, m.run_id, m.node_id, m.class, m.status,
            m.skip_reason, m.body, m.created_at, m.sent_at
     FROM messages m LEFT JOIN runs r ON r.id = m.run_id LEFT JOIN journeys j ON j.id = r.journey_id
     WHERE m.customer_id = $1
     ORDER BY m.created_at DESC, m.id DESC OFFSET $2 LIMIT $3`,
    [customerId, page.offset, page.limit + 1],
  );
  const { items, next } = paged(rows, page, (r) => ({
    id: Number(r.id),
    journeyId: r.journey_id,
    journeyName: r.journey_name,
    runId: r.run_id,
    nodeId: r.node_id,
    smsClass: r.class,
    status: r.status,
    skipReason: r.skip_reason,
    body: r.body,
    createdAt: iso(r.created_at) as string,
    sentAt: iso(r.sent_at),
  }));
  return { messages: items, next };
}

export async function customerJourneys(db: Db, customerId: number, page: HistoryPage): Promise<CustomerJourneys> {
  const { rows } = await db.query<{
    journey_id: string;
    journey_name: string;
    run_id: string;
    kind: 'audience' | 'triggered';
    state: string;
    holdout: boolean;
    position: string | null;
    entered_at: Date;
    exited_at: Date | null;
    exit_reason: string | null;
  }>(
    `SELECT j.id AS journey_id, j.name AS journey_name, r.id AS run_id, r.kind, r.state,
            rm.holdout, rm.position, rm.entered_at, rm.exited_at, rm.exit_reason
     FROM run_members rm JOIN runs r ON r.id = rm.run_id JOIN journeys j ON j.id = r.journey_id
     WHERE rm.customer_id = $1
     ORDER BY rm.entered_at DESC, rm.run_id DESC OFFSET $2 LIMIT $3`,
    [customerId, page.offset, page.limit + 1],
  );
  const { items, next } = paged(rows, page, (r) => ({
    journeyId: r.journey_id,
    journeyName: r.journey_name,
    runId: r.run_id,
    runKind: r.kind,
    runState: r.state,
    holdout: r.holdout,
    position: r.position,
    enteredAt: iso(r.entered_at) as string,
    exitedAt: iso(r.exited_at),
    exitReason: r.exit_reason,
  }));
  return { journeys: items, next };
}
