// Customers: the lookup and one customer's page (engine/src/customers/). Phones are masked unless
// the role may see them (customers.phone), as in the inbox.
import {
  CustomerJourneys,
  CustomerMatches,
  CustomerMessages,
  CustomerOrders,
  CustomerPageQuery,
  CustomerParams,
  CustomerProfile,
  CustomerSearchQuery,
  allows,
} from '@huitou/schemas/http';
import type { Db } from '../../db/transaction.ts';
import type { z } from 'zod';
import { customerJourneys, customerMessages, customerOrders } from '../../customers/history.ts';
import type { HistoryPage } from '../../customers/history.ts';
import { customerIdOf, loadCustomerProfile } from '../../customers/profile.ts';
import { searchCustomers } from '../../customers/search.ts';
import type { Principal } from '../auth.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { readShopSettings } from '../../shop/settings.ts';

const viewerOf = (principal: Principal) => ({ phones: allows(principal.role, 'customers.phone') });

/**
 * The customer's id; 404 at params.id when the path names no customer (the answer never repeats
 * the path: it can be a phone number).
 */
async function existingCustomer(db: Db, param: string): Promise<number> {
  const id = customerIdOf(param);
  const { rows } = id === null ? { rows: [] } : await db.query('SELECT 1 FROM customers WHERE id = $1', [id]);
  if (id === null || rows.length === 0) throw notFound('customer', ['params', 'id']);
  return id;
}

/** GET /api/customers/:id/<list>: one page of the customer's history (engine/src/customers/history.ts). */
function historyRoute<T>(
  list: string,
  summary: string,
  response: z.ZodType<T>,
  load: (db: Db, customerId: number, page: HistoryPage) => Promise<T>,
): Route {
  return route({
    method: 'get',
    path: `/api/customers/:id/${list}`,
    summary,
    tag: 'customers',
    permission: 'customers.read',
    params: CustomerParams,
    query: CustomerPageQuery,
    response,
    handler: async ({ deps, params, query }) => load(deps.pool, await existingCustomer(deps.pool, params.id), query),
  });
}

export const customerRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/customers',
    summary:
      'Find customers by an id or external id, part of a nickname or 4+ digits of a phone number (paged; phones masked unless the role may see them)',
    tag: 'customers',
    permission: 'customers.read',
    query: CustomerSearchQuery,
    response: CustomerMatches,
    handler: async ({ deps, query, principal }) => searchCustomers(deps.pool, query, viewerOf(principal)),
  }),
  route({
    method: 'get',
    path: '/api/customers/:id',
    summary:
      'One customer: profile, marketing counters, purchases with the lifecycle group (shop time zone), opt-out and suppressions in force',
    tag: 'customers',
    permission: 'customers.read',
    params: CustomerParams,
    response: CustomerProfile,
    handler: async ({ deps, params, principal }) => {
      const id = customerIdOf(params.id);
      const { timeZone } = await readShopSettings(deps.pool);
      const profile =
        id === null
          ? null
          : await loadCustomerProfile(deps.pool, id, {
              viewer: viewerOf(principal),
              asOf: deps.now?.() ?? new Date(),
              timeZone,
            });
      if (!profile) throw notFound('customer', ['params', 'id']);
      return profile;
    },
  }),
  historyRoute(
    'orders',
    "The customer's orders with their items, newest first (paged)",
    CustomerOrders,
    customerOrders,
  ),
  historyRoute(
    'messages',
    "The customer's messages from the SMS ledger, sent and skipped (with the reason), newest first (paged)",
    CustomerMessages,
    customerMessages,
  ),
  historyRoute(
    'journeys',
    'The runs (and journeys) the customer is or was in: position, holdout, exit and its reason (paged)',
    CustomerJourneys,
    customerJourneys,
  ),
];
