// Data in: order-lifecycle events, SMS delivery receipts, opt-out replies.
import {
  EventsAccepted,
  EventsBody,
  MAX_BATCH,
  OptOutBody,
  OptOutResult,
  ReceiptsBody,
  ReceiptsResult,
  normalizePhone,
} from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { withTransaction } from '../../db/transaction.ts';
import { unprocessable } from '../errors.ts';
import { createEventIntake } from '../../events/intake.ts';
import { routeEvents } from '../../events/route-event.ts';
import type { StoredEvent } from '../../events/route-event.ts';
import type { BadCode } from '../../events/resolve.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { storeReceipts } from './vendor-receipts.ts';

/** Reply keywords that mean "stop sending me marketing" (docs/domain.md § SMS rules: 回T退订, 拒收请回复R). */
const OPT_OUT_REPLIES = new Set(['T', 'R', 'TD', 'N', '退订', '拒收', 'STOP', 'UNSUBSCRIBE']);
export const isOptOutReply = (text: string) =>
  OPT_OUT_REPLIES.has(
    text
      .trim()
      .toUpperCase()
      .replace(/[。.!！\s]+$/u, ''),
  );

/** The 422 of an event naming something wrongly; never repeats the ids it was sent. */
const BAD_REFERENCE: Record<BadCode, string> = {
  unknown_customer: 'no customer with this id',
  unknown_order: 'no order with this id',
  customer_mismatch: 'customer.externalId names another customer than customerId',
  order_mismatch: 'order.externalId names another order than orderId',
  order_customer_mismatch: "the order is another customer's",
  order_incomplete: 'a new order needs its amount or items',
};

export const eventRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/events',
    summary: `Order-lifecycle events, one or a batch of up to ${MAX_BATCH} ({ events: [...] }); idempotent per idempotencyKey`,
    tag: 'data in',
    permission: 'events.ingest',
    body: EventsBody,
    response: EventsAccepted,
    status: 202,
    handler: async ({ deps, body, principal }) => {
      const batch = 'events' in body;
      const events = batch ? body.events : [body];
      // Every customer and order named by internal id must exist (and the order be the customer's),
      // or nothing of the request is stored; ones named by external id are created when new.
      const intake = deps.eventIntake ?? createEventIntake(deps.pool);
      const result = await intake.store(events, principal);
      if ('bad' in result) {
        const { index, code, path } = result.bad;
        throw unprocessable(code, BAD_REFERENCE[code], [...(batch ? ['body', 'events', index] : ['body']), ...path]);
      }
      // Routed behind the answer by the server's router; without one (the app alone) before it.
      // Either way an event whose delivery failed stays unprocessed for the sweep.
      const accepted: StoredEvent[] = [];
      events.forEach((e, i) => {
        const { id, customerId, orderId } = result.refs[i];
        if (id !== null)
          accepted.push({
            id,
            idempotencyKey: e.idempotencyKey,
            type: e.type,
            customerId,
            orderId,
            occurredAt: new Date(e.occurredAt),
            payload: e.payload ?? {},
            rating: e.review?.rating ?? null,
          });
      });
      deps.metrics?.eventsAccepted(accepted.length);
      if (deps.eventRouter) deps.eventRouter.submit(accepted);
      else
        await routeEvents(deps, accepted).catch((error: unknown) =>
          deps.log(`routing events failed: ${error instanceof Error ? error.message : String(error)}`, 'warn'),
        );
      const out = events.map((e, i) => ({
        idempotencyKey: e.idempotencyKey,
        id: result.ids[i],
        duplicate: result.ids[i] === null,
      }));
      return {
        accepted: out.filter((e) => !e.duplicate).length,
        duplicates: out.filter((e) => e.duplicate).length,
        events: out,
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/sms/receipts',
    summary: 'SMS delivery receipts from a provider callback (matched by provider message id or message key)',
    tag: 'data in',
    permission: 'events.ingest',
    body: ReceiptsBody,
    response: ReceiptsResult,
    handler: async ({ deps, body, principal }) => {
      const receipts = body.receipts.map((r) => ({ ...r, at: new Date(r.at) }));
      const updated = await storeReceipts(deps, principal, receipts);
      return { received: receipts.length, updated };
    },
  }),
  route({
    method: 'post',
    path: '/api/opt-outs',
    summary: 'Opt a number out of marketing SMS: an inbound reply (T/R/退订...) or a direct request (no text)',
    tag: 'data in',
    permission: 'events.ingest',
    body: OptOutBody,
    response: OptOutResult,
    handler: async ({ deps, body, principal }) => {
      if (body.text !== undefined && !isOptOutReply(body.text))
        return { optedOut: false, alreadyOptedOut: false, customerId: null };
      const phone = normalizePhone(body.phone);
      return withTransaction(deps.pool, async (db) => {
        const { rows: customers } = await db.query<{ id: string }>(
          'SELECT id FROM customers WHERE phone = $1 ORDER BY id LIMIT 1',
          [phone],
        );
        const customerId = customers[0] ? Number(customers[0].id) : null;
        const { rowCount } = await db.query(
          `INSERT INTO opt_outs (recipient, channel, customer_id, source) VALUES ($1, 'sms', $2, $3) ON CONFLICT (recipient, channel) DO NOTHING`,
          [phone, customerId, body.source ?? (body.text !== undefined ? `reply:${body.text.trim()}` : 'api')],
        );
        await audit(
          db,
          principal,
          'optout.create',
          { type: 'customer', id: customerId === null ? null : String(customerId) },
          { new: rowCount === 1 },
        );
        deps.log(`opt-out recorded for ${phone}`);
        return { optedOut: true, alreadyOptedOut: rowCount === 0, customerId };
      });
    },
  }),
];
