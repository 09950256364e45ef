// Who and what each event names. An event names its customer by internal id or by the platform's
// buyer id (created when new), and its order likewise by internal id or order number (created when
// new, which needs an amount or items). Checked per request, so a request's outcome depends only on
// its own content and on what the database already holds.
import type pg from 'pg';
import { namedStatement } from '@huitou/activities/db';
import type { IncomingEvent } from './intake.ts';

export type BadCode =
  | 'unknown_customer'
  | 'unknown_order'
  | 'customer_mismatch'
  | 'order_mismatch'
  | 'order_customer_mismatch'
  | 'order_incomplete';

/** The first event of a request that names something wrongly (its index in the request). */
export interface BadReference {
  index: number;
  code: BadCode;
  /** Where, within the event. */
  path: string[];
}

interface KnownCustomer {
  id: number;
  externalId: string | null;
}
interface KnownOrder {
  id: number;
  externalId: string | null;
  customerId: number;
}

/** What the database holds of the customers and orders a group of events names. */
export interface Known {
  customersById: Map<number, KnownCustomer>;
  customersByExternalId: Map<string, KnownCustomer>;
  ordersById: Map<number, KnownOrder>;
  ordersByExternalId: Map<string, KnownOrder>;
}

const LOOK_UP = namedStatement(
  'events.look_up',
  `SELECT 'c' AS kind, id, external_id, NULL::bigint AS customer_id FROM customers
   WHERE id = ANY($1::bigint[]) OR external_id = ANY($2::text[])
   UNION ALL
   SELECT 'o', id, external_id, customer_id FROM orders
   WHERE id = ANY($3::bigint[]) OR external_id = ANY($4::text[])`,
);

/** One query for the whole group. */
export async function lookUp(db: pg.PoolClient, events: readonly IncomingEvent[]): Promise<Known> {
  const ids = (f: (e: IncomingEvent) => number | undefined) => [
    ...new Set(events.map(f).filter((x) => x !== undefined)),
  ];
  const texts = (f: (e: IncomingEvent) => string | undefined) => [
    ...new Set(events.map(f).filter((x) => x !== undefined)),
  ];
  const { rows } = await db.query<{
    kind: 'c' | 'o';
    id: string;
    external_id: string | null;
    customer_id: string | null;
  }>(
    LOOK_UP([
      ids((e) => e.customerId),
      texts((e) => e.customer?.externalId),
      ids((e) => e.orderId),
      texts((e) => e.order?.externalId),
    ]),
  );
  const known: Known = {
    customersById: new Map(),
    customersByExternalId: new Map(),
    ordersById: new Map(),
    ordersByExternalId: new Map(),
  };
  for (const r of rows) {
    if (r.kind === 'c') {
      const c = { id: Number(r.id), externalId: r.external_id };
      known.customersById.set(c.id, c);
      if (c.externalId !== null) known.customersByExternalId.set(c.externalId, c);
    } else {
      const o = { id: Number(r.id), externalId: r.external_id, customerId: Number(r.customer_id) };
      known.ordersById.set(o.id, o);
      if (o.externalId !== null) known.ordersByExternalId.set(o.externalId, o);
    }
  }
  return known;
}

/** A customer that exists (`#<id>`) or one to create (`x:<external id>`). */
export type CustomerKey = string;
export const customerKey = (id: number): CustomerKey => `#${id}`;
export const newCustomerKey = (externalId: string): CustomerKey => `x:${externalId}`;

export interface Resolved {
  customer: CustomerKey;
  /** An order that exists, one to create (by external id), or none. */
  order: { id: number } | { create: string } | null;
}

/**
 * Resolves a request's events, or names its first bad one. `claims` lists the orders the request
 * creates and whose they are.
 */
export function resolveRequest(
  known: Known,
  events: readonly IncomingEvent[],
): { resolved: Resolved[]; claims: Map<string, CustomerKey> } | { bad: BadReference } {
  const resolved: Resolved[] = [];
  const claims = new Map<string, CustomerKey>();
  /** New orders of the request that get an amount (or items) from one of its events. */
  const priced = new Set(
    events.filter((e) => e.order?.amount !== undefined || e.order?.items !== undefined).map((e) => e.order?.externalId),
  );
  for (const [index, e] of events.entries()) {
    const bad = (code: BadCode, ...path: string[]) => ({ bad: { index, code, path } });
    let customer: CustomerKey;
    if (e.customerId !== undefined) {
      const c = known.customersById.get(e.customerId);
      if (!c) return bad('unknown_customer', 'customerId');
      if (e.customer && c.externalId !== e.customer.externalId)
        return bad('customer_mismatch', 'customer', 'externalId');
      customer = customerKey(c.id);
    } else {
      const externalId = (e.customer as { externalId: string }).externalId;
      const c = known.customersByExternalId.get(externalId);
      customer = c ? customerKey(c.id) : newCustomerKey(externalId);
    }
    let order: Resolved['order'] = null;
    const orderPath = e.orderId !== undefined ? ['orderId'] : ['order', 'externalId'];
    if (e.orderId !== undefined) {
      const o = known.ordersById.get(e.orderId);
      if (!o) return bad('unknown_order', 'orderId');
      if (e.order && o.externalId !== e.order.externalId) return bad('order_mismatch', 'order', 'externalId');
      order = { id: o.id };
      if (customerKey(o.customerId) !== customer) return bad('order_customer_mismatch', ...orderPath);
    } else if (e.order) {
      const o = known.ordersByExternalId.get(e.order.externalId);
      if (o) {
        if (customerKey(o.customerId) !== customer) return bad('order_customer_mismatch', ...orderPath);
        order = { id: o.id };
      } else {
        const owner = claims.get(e.order.externalId);
        if (owner !== undefined && owner !== customer) return bad('order_customer_mismatch', ...orderPath);
        if (!priced.has(e.order.externalId)) return bad('order_incomplete', 'order', 'amount');
        claims.set(e.order.externalId, customer);
        order = { create: e.order.externalId };
      }
    }
    resolved.push({ customer, order });
  }
  return { resolved, claims };
}

/** Thrown when two requests of a group would create one order for different customers: each then goes alone. */
export class GroupConflict extends Error {
  constructor() {
    super('requests of the group create one order for different customers');
  }
}
