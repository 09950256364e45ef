// Responses (docs/domain.md § Responses): a marketing SMS is responded to when its customer makes a
// purchase (a paid order not refunded: the `purchases` view) after it was sent and within the
// shop's attribution window (shop_settings.attribution_days, default 15). A customer's
// times_responded is the number of their sent marketing messages that were responded to, and
// last_responded_at the latest purchase that responded to one; response rate =
// times_responded / times_marketed. One purchase answers every message sent in the window before
// it; a message sent after the purchase never counts.
//
// Recomputed, not incremented, so it stays true whatever changed (an order paid, imported twice,
// refunded, a late event) and however the purchase arrived: the event intake and the CSV imports
// call it for the customers whose orders they wrote, in their own transaction.
import { namedStatement } from '@huitou/activities/db';
import type { Db } from '../db/transaction.ts';

/** Which customers to recompute: internal ids and/or the platform's buyer ids. */
export interface CustomerSet {
  ids?: readonly number[];
  externalIds?: readonly string[];
}

const REFRESH = namedStatement(
  'customers.refresh_responses',
  `WITH who AS (
     SELECT id FROM customers WHERE id = ANY($1::bigint[])
     UNION SELECT id FROM customers WHERE external_id = ANY($2::text[])),
   window_days AS (SELECT coalesce((SELECT attribution_days FROM shop_settings LIMIT 1), 15) AS days),
   marketed AS (
     SELECT m.id, m.customer_id, m.sent_at
     FROM messages m JOIN who ON who.id = m.customer_id
     WHERE m.class = 'marketing' AND m.sent_at IS NOT NULL),
   answered AS (
     SELECT m.customer_id, m.id,
            (SELECT max(p.paid_at) FROM purchases p
             WHERE p.customer_id = m.customer_id AND p.paid_at > m.sent_at
               AND p.paid_at <= m.sent_at + make_interval(days => w.days)) AS responded_at
     FROM marketed m CROSS JOIN window_days w),
   figures AS (
     SELECT customer_id, count(responded_at)::int AS n, max(responded_at) AS last
     FROM answered GROUP BY customer_id)
   UPDATE customers c SET times_responded = f.n, last_responded_at = f.last
   FROM figures f
   WHERE c.id = f.customer_id
     AND (c.times_responded IS DISTINCT FROM f.n OR c.last_responded_at IS DISTINCT FROM f.last)`,
);

/**
 * Recomputes times_responded and last_responded_at of the given customers in one statement.
 * Customers without a sent marketing message keep their counters (nothing can have been
 * responded to; the demo shop's counters are synthetic). Returns how many customers changed.
 */
export async function refreshResponses(db: Db, customers: CustomerSet): Promise<number> {
  const ids = customers.ids ?? [];
  const externalIds = customers.externalIds ?? [];
  if (ids.length === 0 && externalIds.length === 0) return 0;
  const { rowCount } = await db.query(REFRESH([ids, externalIds]));
  return rowCount ?? 0;
}
