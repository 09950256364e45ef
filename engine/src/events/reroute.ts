// Events whose routing failed (Temporal down or unreachable when they arrived) stay unprocessed;
// this sweep routes them later with the one routing function, routeEvents.
//
// Routing an event twice is harmless by design: a triggered run's workflow id is derived from the
// journey and the trigger key, so a repeated signal-with-start joins the run already there, and
// admitTriggered finds the run row of that key and never runs an ended one again; a repeated
// signal only repeats an event the run already holds. The age threshold keeps the sweep out of
// the way of the request that stored the event and is routing it right now; SKIP LOCKED keeps two
// engines from routing the same batch at once.
import type { ReviewRating } from '@huitou/schemas';
import type { EngineDeps } from '../deps.ts';
import { withTransaction } from '../db/transaction.ts';
import { routeEvents } from './route-event.ts';
import type { StoredEvent } from './route-event.ts';

export const REROUTE_MIN_AGE_MS = 5000;
export const REROUTE_BATCH = 500;

/**
 * Routes the oldest unprocessed events received at least `minAgeMs` ago (at most `limit`), in
 * order, holding them locked; returns the ids marked processed. Without Temporal it does nothing.
 */
export async function rerouteUnprocessedEvents(
  deps: EngineDeps,
  options: { minAgeMs?: number; limit?: number } = {},
): Promise<number[]> {
  if (!deps.temporal) return [];
  return withTransaction(deps.pool, async (db) => {
    const { rows } = await db.query<{
      id: string;
      idempotency_key: string;
      type: string;
      customer_id: string;
      order_id: string | null;
      occurred_at: Date;
      payload: Record<string, unknown>;
      rating: ReviewRating | null;
    }>(
      `SELECT id, idempotency_key, type, customer_id, order_id, occurred_at, payload, rating FROM events
       WHERE processed_at IS NULL AND received_at <= now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY received_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [options.minAgeMs ?? REROUTE_MIN_AGE_MS, options.limit ?? REROUTE_BATCH],
    );
    if (rows.length === 0) return [];
    const events: StoredEvent[] = rows.map((r) => ({
      id: Number(r.id),
      idempotencyKey: r.idempotency_key,
      type: r.type,
      customerId: Number(r.customer_id),
      orderId: r.order_id === null ? null : Number(r.order_id),
      occurredAt: r.occurred_at,
      payload: r.payload,
      rating: r.rating,
    }));
    // A failure leaves its event unprocessed for the next pass; the ones routed are marked in this
    // transaction and committed with it.
    await routeEvents(deps, events, db).catch((error: unknown) =>
      deps.log(`re-routing events failed: ${error instanceof Error ? error.message : String(error)}`, 'warn'),
    );
    const { rows: done } = await db.query<{ id: string }>(
      'SELECT id FROM events WHERE id = ANY($1::bigint[]) AND processed_at IS NOT NULL ORDER BY id',
      [events.map((e) => e.id)],
    );
    return done.map((d) => Number(d.id));
  });
}

/** Runs the sweep every `everyMs`; returns a stop function that waits for a pass under way. */
export function startEventSweep(deps: EngineDeps, everyMs = 5000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => rerouteUnprocessedEvents(deps))
      .catch((error: unknown) =>
        deps.log(`event sweep: ${error instanceof Error ? error.message : String(error)}`, 'warn'),
      );
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
