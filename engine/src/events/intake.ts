// Storing events: the requests POST /api/events has parsed while the previous writes were under way
// share one transaction (store-group.ts: reference checks, customers and orders created, the insert,
// one audit row per request, what the events do to orders and reviews, responses), instead of a
// transaction each. Each request keeps its own outcome: one naming an unknown customer or order is
// rejected whole and stores nothing, the others in the group are stored. The transaction is atomic,
// so a group is never half-written. Requests are fully validated before they join a group
// (schemas/src/http/data-in.ts and api/input-hygiene.ts); should the shared transaction fail anyway
// (or two requests create one order for different customers), each request is retried in a
// transaction of its own, so that a request's outcome depends only on its own content, never on
// what another client sent in the same turn.
import type pg from 'pg';
import type { EventIn } from '@huitou/schemas/http';
import type { Actor } from '../audit.ts';
import type { BadReference } from './resolve.ts';
import { storeGroup } from './store-group.ts';
import type { GroupRequest } from './store-group.ts';

export type { BadReference } from './resolve.ts';

/** An event as POST /api/events validated it. */
export type IncomingEvent = EventIn;

/** What a stored (or duplicate) event turned out to name. */
export interface StoredRef {
  /** The stored event's id, or null for a duplicate (of an earlier event, in this or another request). */
  id: number | null;
  customerId: number;
  orderId: number | null;
}

export type IntakeResult = { ids: (number | null)[]; refs: StoredRef[] } | { bad: BadReference };

interface Pending extends GroupRequest {
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/** Largest group of events written by one transaction. */
const MAX_GROUP_EVENTS = 5000;

/**
 * Groups written at once. With one, a request that came during a write waited for that write and
 * then its own (about 1.5 writes): at 1,000 requests/s over 64 keep-alive connections that wait
 * is the whole budget (64 ms a request). Two overlap a group's round trips with the next one's.
 * Concurrent groups are what several engine processes already are: resolve.ts and createOrders
 * settle orders created meanwhile, and a failed group is retried a request at a time.
 */
export const CONCURRENT_WRITES = 2;

export interface EventIntake {
  store(events: readonly IncomingEvent[], principal: Actor): Promise<IntakeResult>;
}

export function createEventIntake(pool: pg.Pool): EventIntake {
  let waiting: Pending[] = [];
  let writing = 0;

  const next = () => {
    if (writing >= CONCURRENT_WRITES || waiting.length === 0) return;
    let size = 0;
    let take = 0;
    while (take < waiting.length && (take === 0 || size + waiting[take].events.length <= MAX_GROUP_EVENTS))
      size += waiting[take++].events.length;
    const group = waiting.slice(0, take);
    waiting = waiting.slice(take);
    writing++;
    storeIsolated(pool, group).finally(() => {
      writing--;
      next();
    });
  };

  return {
    store: (events, principal) =>
      new Promise<IntakeResult>((resolve, reject) => {
        waiting.push({ events, principal, resolve, reject });
        // Requests parsed in the same turn of the event loop join the same group.
        setImmediate(next);
      }),
  };
}

/** The group in one transaction; if that fails, each request alone, in order, settling every request either way. */
async function storeIsolated(pool: pg.Pool, group: readonly Pending[]): Promise<void> {
  try {
    const results = await storeGroup(pool, group);
    group.forEach((p, i) => p.resolve(results[i]));
    return;
  } catch (error) {
    if (group.length === 1) return group[0].reject(error);
  }
  for (const p of group) {
    try {
      p.resolve((await storeGroup(pool, [p]))[0]);
    } catch (error) {
      p.reject(error);
    }
  }
}
