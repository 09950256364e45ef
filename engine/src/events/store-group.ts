// One group of requests (intake.ts) in one transaction: look up what the events name, reject the
// requests that name something wrongly, create the customers and orders the others name by
// external id, insert the events and one audit row per request, then apply what the newly stored
// events say (docs/api.md § How events are routed): customer details, the order's status and
// timestamps (order-effects.ts), its items, the review of a review_posted, and the customers'
// responses (shop/responses.ts). A duplicate event (its key already stored) applies nothing again.
// So reports, goals and {order.*} see an order's move the moment the event is accepted.
import type pg from 'pg';
import { namedStatement } from '@huitou/activities/db';
import { parsePhone } from '@huitou/schemas/phone';
import type { EventCustomer } from '@huitou/schemas/http';
import type { Actor } from '../audit.ts';
import { withTransaction } from '../db/transaction.ts';
import { refreshResponses } from '../shop/responses.ts';
import { MARKS_BY_WRITER, markDirtySql } from '../reports/overview-marks.ts';
import type { IncomingEvent, IntakeResult, StoredRef } from './intake.ts';
import { STATUS_ORDER, STEP_COLUMNS, orderChange } from './order-effects.ts';
import type { OrderFacts } from './order-effects.ts';
import { GroupConflict, lookUp, resolveRequest } from './resolve.ts';
import type { CustomerKey, Resolved } from './resolve.ts';

export interface GroupRequest {
  events: readonly IncomingEvent[];
  principal: Actor;
}

interface Good {
  r: number;
  e: IncomingEvent;
  res: Resolved;
}

const ms = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
const isoOf = (t: number | undefined | null) => (t === undefined || t === null ? null : new Date(t).toISOString());
const sum = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b * 100, 0)) / 100;
const INSERT_EVENTS = namedStatement(
  'events.insert',
  `WITH u AS (
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::timestamptz[], $8::text[])
     WITH ORDINALITY AS u(r, k, t, c, o, p, a, rating, n)),
   ins AS (
     INSERT INTO events (idempotency_key, type, customer_id, order_id, payload, occurred_at, rating)
     SELECT k, t, c, o, p, a, rating FROM u ORDER BY n
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key, customer_id, order_id),
   -- The overview recomputes the buyers whose orders, items or address the new events move.
   marked AS (${markDirtySql('SELECT customer_id FROM ins WHERE order_id IS NOT NULL OR customer_id = ANY($13::bigint[])')}),
   -- Who got each new key: its first event in the group; then the new keys of each request, counted in one pass.
   firsts AS (SELECT DISTINCT ON (k) k, r FROM u ORDER BY k, n),
   accepted AS (SELECT f.r, count(*) AS n FROM ins JOIN firsts f ON f.k = ins.idempotency_key GROUP BY f.r),
   audited AS (
     INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
     SELECT q.actor, 'events.ingest', 'event', NULL,
            jsonb_build_object('role', q.role, 'received', q.received, 'accepted', coalesce(a.n, 0))
     FROM unnest($9::int[], $10::text[], $11::text[], $12::int[]) AS q(r, actor, role, received)
     LEFT JOIN accepted a ON a.r = q.r
     ORDER BY q.r)
   SELECT id, idempotency_key FROM ins`,
);

/** Stars when the review gives none: 好评 5, 中评 3, 差评 1. */
const DEFAULT_SCORE = { positive: 5, neutral: 3, negative: 1 } as const;

export async function storeGroup(pool: pg.Pool, group: readonly GroupRequest[]): Promise<IntakeResult[]> {
  return withTransaction(
    pool,
    async (db) => {
      const known = await lookUp(
        db,
        group.flatMap((p) => p.events),
      );
      const outcomes = group.map((p) => resolveRequest(known, p.events));
      // Two requests creating one order for different customers: each alone decides who was first.
      const owners = new Map<string, CustomerKey>();
      for (const o of outcomes)
        if ('claims' in o)
          for (const [externalId, who] of o.claims) {
            if ((owners.get(externalId) ?? who) !== who) throw new GroupConflict();
            owners.set(externalId, who);
          }
      const good: Good[] = [];
      outcomes.forEach((o, r) => {
        if ('resolved' in o) group[r].events.forEach((e, i) => good.push({ r, e, res: o.resolved[i] }));
      });

      const customerIds = await createCustomers(db, good);
      const customerOf = (key: CustomerKey) => {
        const id = key.startsWith('#') ? Number(key.slice(1)) : customerIds.get(key.slice(2));
        if (id === undefined) throw new Error('a customer to create was not created');
        return id;
      };
      const orderIds = await createOrders(db, good, customerOf);
      const orderOf = (res: Resolved) =>
        res.order === null ? null : 'id' in res.order ? res.order.id : (orderIds.get(res.order.create) as number);

      const refs: StoredRef[] = good.map((g) => ({
        id: null,
        customerId: customerOf(g.res.customer),
        orderId: orderOf(g.res),
      }));
      const requests = group.map((_, r) => r).filter((r) => 'resolved' in outcomes[r]);
      const { rows: inserted } = await db.query<{ id: string; idempotency_key: string }>(
        INSERT_EVENTS([
          good.map((g) => g.r),
          good.map((g) => g.e.idempotencyKey),
          good.map((g) => g.e.type),
          refs.map((x) => x.customerId),
          refs.map((x) => x.orderId),
          good.map((g) => JSON.stringify(g.e.payload ?? {})),
          good.map((g) => g.e.occurredAt),
          good.map((g) => g.e.review?.rating ?? null),
          requests,
          requests.map((r) => group[r].principal.actor),
          requests.map((r) => group[r].principal.role),
          requests.map((r) => group[r].events.length),
          good.filter((g) => g.e.customer?.province || g.e.customer?.city).map((g) => customerOf(g.res.customer)),
        ]),
      );
      // A new key belongs to its first event in the group; every other event with it is a duplicate.
      const stored = new Map(inserted.map((x) => [x.idempotency_key, Number(x.id)]));
      good.forEach((g, i) => {
        const id = stored.get(g.e.idempotencyKey);
        if (id === undefined) return;
        refs[i].id = id;
        stored.delete(g.e.idempotencyKey);
      });

      const fresh = good.map((g, i) => ({ ...g, ref: refs[i] })).filter((g) => g.ref.id !== null);
      await updateCustomers(db, fresh);
      const purchased = await moveOrders(db, fresh);
      await writeItems(db, fresh);
      await storeReviews(db, fresh);
      if (purchased.length > 0) await refreshResponses(db, { ids: purchased });

      let at = 0;
      return group.map((p, r) => {
        const o = outcomes[r];
        if ('bad' in o) return { bad: o.bad };
        const mine = refs.slice(at, at + p.events.length);
        at += p.events.length;
        return { ids: mine.map((x) => x.id), refs: mine };
      });
    },
    MARKS_BY_WRITER,
  );
}

const INSERT_CUSTOMERS = namedStatement(
  'events.insert_customers',
  `INSERT INTO customers (external_id, nickname, phone, unreachable_phone, phone_kind, province, city)
   SELECT x, coalesce(nick, x), phone, unreach, kind, province, city
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     AS u(x, nick, phone, unreach, kind, province, city)
   ON CONFLICT (external_id) DO NOTHING`,
);

const CUSTOMER_IDS = namedStatement(
  'events.customer_ids',
  `SELECT id, external_id FROM customers WHERE external_id = ANY($1::text[])`,
);

/** Customers named by a buyer id the shop does not know yet; returns the ids of every new one. */
async function createCustomers(db: pg.PoolClient, good: readonly Good[]): Promise<Map<string, number>> {
  const fields = new Map<string, EventCustomer>();
  for (const g of good)
    if (g.res.customer.startsWith('x:') && g.e.customer)
      fields.set(g.e.customer.externalId, {
        ...fields.get(g.e.customer.externalId),
        ...defined(g.e.customer),
        externalId: g.e.customer.externalId,
      });
  if (fields.size === 0) return new Map();
  const list = [...fields.values()];
  await db.query(
    INSERT_CUSTOMERS([
      list.map((c) => c.externalId),
      list.map((c) => c.nickname ?? null),
      ...phoneColumns(list),
      list.map((c) => c.province ?? null),
      list.map((c) => c.city ?? null),
    ]),
  );
  const { rows } = await db.query<{ id: string; external_id: string }>(CUSTOMER_IDS([list.map((c) => c.externalId)]));
  return new Map(rows.map((r) => [r.external_id, Number(r.id)]));
}

/** The fields given (undefined ones dropped, so a later event does not erase an earlier one's). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const INSERT_ORDERS = namedStatement(
  'events.insert_orders',
  `INSERT INTO orders (external_id, customer_id, status, amount, created_at)
   SELECT x, c, 'created', a, t FROM unnest($1::text[], $2::bigint[], $3::numeric[], $4::timestamptz[]) AS u(x, c, a, t)
   ON CONFLICT (external_id) DO NOTHING`,
);

const ORDER_IDS = namedStatement(
  'events.order_ids',
  `SELECT id, external_id, customer_id FROM orders WHERE external_id = ANY($1::text[])`,
);

/** Orders named by an order number the shop does not know yet, created as `created`; returns their ids. */
async function createOrders(
  db: pg.PoolClient,
  good: readonly Good[],
  customerOf: (key: CustomerKey) => number,
): Promise<Map<string, number>> {
  const orders = new Map<string, { customerId: number; amount?: number; items?: number; createdAt: number }>();
  for (const g of good) {
    if (g.res.order === null || !('create' in g.res.order) || !g.e.order) continue;
    const o = orders.get(g.res.order.create) ?? { customerId: customerOf(g.res.customer), createdAt: Infinity };
    o.amount ??= g.e.order.amount;
    o.items ??= g.e.order.items && sum(g.e.order.items.map((i) => i.amount));
    o.createdAt = Math.min(o.createdAt, ms(g.e.order.createdAt) ?? Date.parse(g.e.occurredAt));
    orders.set(g.res.order.create, o);
  }
  if (orders.size === 0) return new Map();
  const externalIds = [...orders.keys()];
  const list = [...orders.values()];
  await db.query(
    INSERT_ORDERS([
      externalIds,
      list.map((o) => o.customerId),
      list.map((o) => o.amount ?? o.items ?? 0),
      list.map((o) => isoOf(o.createdAt)),
    ]),
  );
  const { rows } = await db.query<{ id: string; external_id: string; customer_id: string }>(ORDER_IDS([externalIds]));
  const ids = new Map<string, number>();
  for (const r of rows) {
    // Another engine created it meanwhile, for another customer: each request alone tells.
    if (Number(r.customer_id) !== orders.get(r.external_id)?.customerId) throw new GroupConflict();
    ids.set(r.external_id, Number(r.id));
  }
  return ids;
}

interface Fresh extends Good {
  ref: StoredRef;
}

// A mobile replaces the phone; a number SMS cannot reach is kept only while no mobile is known.
const UPDATE_CUSTOMERS = namedStatement(
  'events.update_customers',
  `UPDATE customers c SET nickname = coalesce(u.nick, c.nickname), phone = coalesce(u.phone, c.phone),
          unreachable_phone = CASE WHEN u.phone IS NULL AND c.phone IS NULL THEN coalesce(u.unreach, c.unreachable_phone)
                                   ELSE c.unreachable_phone END,
          phone_kind = CASE WHEN u.phone IS NOT NULL THEN 'mobile'
                            WHEN u.unreach IS NOT NULL AND c.phone IS NULL THEN u.kind ELSE c.phone_kind END,
          province = coalesce(u.province, c.province), city = coalesce(u.city, c.city)
   FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     AS u(id, nick, phone, unreach, kind, province, city)
   WHERE c.id = u.id`,
);

/** Details the newly stored events give of their customers (the latest given wins). */
async function updateCustomers(db: pg.PoolClient, fresh: readonly Fresh[]): Promise<void> {
  const fields = new Map<number, Partial<EventCustomer>>();
  for (const g of fresh) {
    if (!g.e.customer) continue;
    const { externalId: _, ...given } = defined(g.e.customer);
    if (Object.keys(given).length > 0) fields.set(g.ref.customerId, { ...fields.get(g.ref.customerId), ...given });
  }
  if (fields.size === 0) return;
  const list = [...fields.values()];
  await db.query(
    UPDATE_CUSTOMERS([
      [...fields.keys()],
      list.map((c) => c.nickname ?? null),
      ...phoneColumns(list),
      list.map((c) => c.province ?? null),
      list.map((c) => c.city ?? null),
    ]),
  );
}

/** The furthest status: the order's, unless the events reached one further down the list. */
const NEXT_STATUS = `CASE WHEN array_position($2::text[], u.status) > array_position($2::text[], o.status) THEN u.status ELSE o.status END`;

const MOVE_ORDERS = namedStatement(
  'events.move_orders',
  `UPDATE orders o SET
     status = ${NEXT_STATUS},
     amount = coalesce(u.amount, o.amount),
     carrier = coalesce(u.carrier, o.carrier),
     tracking_no = coalesce(u.tracking_no, o.tracking_no),
     coupon_code = coalesce(u.coupon_code, o.coupon_code),
     created_at = least(o.created_at, u.created_at),
     -- Shipped or done means paid: at the latest then, until the payment's own time is known.
     paid_at = coalesce(least(o.paid_at, u.paid_at), CASE WHEN ${NEXT_STATUS} IN ('shipped', 'completed') THEN u.paid_by END),
     shipped_at = least(o.shipped_at, u.shipped_at),
     signed_at = least(o.signed_at, u.signed_at),
     completed_at = least(o.completed_at, u.completed_at),
     closed_at = least(o.closed_at, u.closed_at),
     refunded_at = least(o.refunded_at, u.refunded_at),
     updated_at = now()
   FROM unnest($1::bigint[], $3::text[], $4::numeric[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
               $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::boolean[], $16::text[])
        AS u(id, status, amount, carrier, tracking_no, created_at, paid_at, shipped_at, signed_at, completed_at, closed_at, refunded_at, paid_by, purchase, coupon_code)
   WHERE o.id = u.id
   RETURNING o.customer_id, u.purchase`,
);

/**
 * Moves each order its newly stored events name (order-effects.ts). Returns the customers whose
 * purchases may have changed (a payment time, or a refund), whose responses are then recomputed.
 */
async function moveOrders(db: pg.PoolClient, fresh: readonly Fresh[]): Promise<number[]> {
  const facts = new Map<number, OrderFacts[]>();
  for (const g of fresh) {
    if (g.ref.orderId === null) continue;
    const o = g.e.order;
    const list = facts.get(g.ref.orderId) ?? [];
    list.push({
      type: g.e.type,
      at: Date.parse(g.e.occurredAt),
      status: o?.status,
      createdAt: ms(o?.createdAt),
      paidAt: ms(o?.paidAt),
      amount: o?.amount,
      carrier: o?.carrier,
      trackingNo: o?.trackingNo,
      couponCode: o?.couponCode,
    });
    facts.set(g.ref.orderId, list);
  }
  if (facts.size === 0) return [];
  const ids = [...facts.keys()];
  const changes = ids.map((id) => orderChange(facts.get(id) as OrderFacts[]));
  const steps = STEP_COLUMNS.map((c) => changes.map((x) => isoOf(x.steps[c])));
  const { rows } = await db.query<{ customer_id: string; purchase: boolean }>(
    MOVE_ORDERS([
      ids,
      STATUS_ORDER,
      changes.map((x) => x.status),
      changes.map((x) => x.amount),
      changes.map((x) => x.carrier),
      changes.map((x) => x.trackingNo),
      ...steps,
      changes.map((x) => isoOf(x.paidBy)),
      changes.map((x) => x.steps.paid_at !== undefined || x.paidBy !== null || x.status === 'refunded'),
      changes.map((x) => x.couponCode),
    ]),
  );
  return [...new Set(rows.filter((r) => r.purchase).map((r) => Number(r.customer_id)))];
}

const WRITE_ITEMS = namedStatement(
  'events.write_items',
  `WITH u AS (SELECT * FROM unnest($1::bigint[], $2::jsonb[]) AS u(order_id, items)),
   bare AS (SELECT u.* FROM u WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = u.order_id)),
   lines AS (SELECT b.order_id, l.n, l.e FROM bare b CROSS JOIN LATERAL jsonb_array_elements(b.items) WITH ORDINALITY AS l(e, n)),
   ins AS (
     INSERT INTO order_items (order_id, line_no, product_id, category, title, quantity, unit_price, amount)
     SELECT l.order_id, l.n, p.id, coalesce(p.category, 'uncategorised'), l.e->>'title', (l.e->>'quantity')::int,
            round((l.e->>'amount')::numeric / (l.e->>'quantity')::int, 2), (l.e->>'amount')::numeric
     FROM lines l LEFT JOIN products p ON p.sku = l.e->>'sku'
     RETURNING order_id)
   UPDATE orders o SET item_count = c.n
   FROM (SELECT order_id, count(*)::int AS n FROM ins GROUP BY order_id) c WHERE o.id = c.order_id`,
);

/**
 * The items the first newly stored event of an order gives, if the order has none yet (an import
 * or an earlier event wrote them otherwise). A known merchant code links the product and its
 * category; other items are `uncategorised`. item_count is the number of lines, as imports count.
 */
async function writeItems(db: pg.PoolClient, fresh: readonly Fresh[]): Promise<void> {
  const items = new Map<number, unknown>();
  for (const g of fresh)
    if (g.ref.orderId !== null && g.e.order?.items && !items.has(g.ref.orderId))
      items.set(g.ref.orderId, g.e.order.items);
  if (items.size === 0) return;
  await db.query(WRITE_ITEMS([[...items.keys()], [...items.values()].map((x) => JSON.stringify(x))]));
}

const STORE_REVIEWS = namedStatement(
  'events.store_reviews',
  `INSERT INTO reviews (external_id, order_id, customer_id, rating, sentiment, content, created_at)
   SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[], $6::text[], $7::timestamptz[])
   ON CONFLICT (external_id) DO UPDATE SET
     order_id = coalesce(EXCLUDED.order_id, reviews.order_id), rating = EXCLUDED.rating,
     sentiment = EXCLUDED.sentiment, content = coalesce(EXCLUDED.content, reviews.content)`,
);

/** The reviews of newly stored review_posted events, upserted by the platform's review id. */
async function storeReviews(db: pg.PoolClient, fresh: readonly Fresh[]): Promise<void> {
  const byExternalId = new Map<string, Fresh>();
  const anonymous: Fresh[] = [];
  for (const g of fresh)
    if (g.e.review)
      if (g.e.review.externalId === undefined) anonymous.push(g);
      else byExternalId.set(g.e.review.externalId, g);
  const list = [...byExternalId.values(), ...anonymous];
  if (list.length === 0) return;
  const review = (g: Fresh) => g.e.review as NonNullable<IncomingEvent['review']>;
  await db.query(
    STORE_REVIEWS([
      list.map((g) => review(g).externalId ?? null),
      list.map((g) => g.ref.orderId),
      list.map((g) => g.ref.customerId),
      list.map((g) => review(g).score ?? DEFAULT_SCORE[review(g).rating]),
      list.map((g) => review(g).rating),
      list.map((g) => review(g).content ?? null),
      list.map((g) => g.e.occurredAt),
    ]),
  );
}

/** The phone columns of customers an event names: the mobile, else a number SMS cannot reach, and its kind. */
function phoneColumns(
  list: readonly Pick<EventCustomer, 'phone'>[],
): [(string | null)[], (string | null)[], (string | null)[]] {
  const parsed = list.map((c) => (c.phone === undefined ? null : parsePhone(c.phone)));
  return [
    parsed.map((p) => (p?.kind === 'mobile' ? p.e164 : null)),
    parsed.map((p) => (p?.kind === 'fixed_line' ? p.e164 : p?.kind === 'masked' ? p.raw : null)),
    parsed.map((p) => (p && p.kind !== 'invalid' ? p.kind : null)),
  ];
}
