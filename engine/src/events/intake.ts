// Storing events: the requests POST /api/events has parsed while the previous write was under way
// share one statement (reference checks, the insert and one audit row per request), instead of a
// five-statement transaction each. Each request keeps its own outcome: one naming an unknown
// customer or order is rejected whole and stores nothing, the others in the group are stored.
// The statement is atomic, so a group is never half-written. Requests are fully validated before
// they join a group (schemas/src/http/data-in.ts and api/input-hygiene.ts); should the shared
// statement fail anyway, each request is retried in a statement of its own, so that a request's
// outcome depends only on its own content, never on what another client sent in the same turn.
import type pg from 'pg';
import type { OrderEvent } from '@huitou/schemas';
import type { Actor } from '../audit.ts';

export interface IncomingEvent {
  idempotencyKey: string;
  type: OrderEvent;
  customerId: number;
  orderId?: number;
  occurredAt: string;
  payload?: Record<string, unknown>;
}

/** The first event of a request that names something unknown (its index in the request). */
export interface BadReference {
  index: number;
  code: 'unknown_customer' | 'unknown_order' | 'order_customer_mismatch';
  field: 'customerId' | 'orderId';
}

/**
 * Per event of the request: its stored id, or null for a duplicate (of an earlier event, in this or
 * another request).
 */
export type IntakeResult = { ids: (number | null)[] } | { bad: BadReference };

interface Pending {
  events: readonly IncomingEvent[];
  principal: Actor;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/** Largest group of events written by one statement. */
const MAX_GROUP_EVENTS = 5000;

export interface EventIntake {
  store(events: readonly IncomingEvent[], principal: Actor): Promise<IntakeResult>;
}

export function createEventIntake(pool: pg.Pool): EventIntake {
  let waiting: Pending[] = [];
  let writing = false;

  const next = () => {
    if (writing || waiting.length === 0) return;
    let size = 0;
    let take = 0;
    while (take < waiting.length && (take === 0 || size + waiting[take].events.length <= MAX_GROUP_EVENTS))
      size += waiting[take++].events.length;
    const group = waiting.slice(0, take);
    waiting = waiting.slice(take);
    writing = true;
    storeIsolated(pool, group).finally(() => {
      writing = false;
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

/** The group in one statement; if that fails, each request alone, settling every request either way. */
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

async function storeGroup(pool: pg.Pool, group: readonly Pending[]): Promise<IntakeResult[]> {
  const flat = group.flatMap((p, r) => p.events.map((e) => ({ r, e })));
  const column = <T>(f: (e: IncomingEvent) => T) => flat.map((x) => f(x.e));
  const { rows } = await pool.query<{
    kind: 'bad' | 'stored';
    n: number;
    customer_ok: boolean | null;
    order_customer: string | null;
    id: string | null;
    key: string | null;
  }>(
    `WITH u AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::timestamptz[]) WITH ORDINALITY AS u(r, k, t, c, o, p, a, n)),
     checked AS (
       SELECT u.*, EXISTS (SELECT 1 FROM customers x WHERE x.id = u.c) AS customer_ok,
              (SELECT x.customer_id FROM orders x WHERE x.id = u.o) AS order_customer
       FROM u),
     bad AS (
       SELECT * FROM checked WHERE NOT customer_ok OR (o IS NOT NULL AND order_customer IS DISTINCT FROM c)),
     good AS (SELECT * FROM checked WHERE r NOT IN (SELECT r FROM bad)),
     ins AS (
       INSERT INTO events (idempotency_key, type, customer_id, order_id, payload, occurred_at)
       SELECT k, t, c, o, p, a FROM good ORDER BY n
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key),
     -- Who got each new key: its first event in the group.
     firsts AS (SELECT DISTINCT ON (k) k, r FROM good ORDER BY k, n),
     audited AS (
       INSERT INTO audit_log (actor, action, entity_type, entity_id, details)
       SELECT q.actor, 'events.ingest', 'event', NULL,
              jsonb_build_object('role', q.role, 'received', q.received,
                                 'accepted', (SELECT count(*) FROM ins JOIN firsts f ON f.k = ins.idempotency_key WHERE f.r = q.r))
       FROM unnest($8::int[], $9::text[], $10::text[], $11::int[]) AS q(r, actor, role, received)
       WHERE q.r NOT IN (SELECT r FROM bad)
       ORDER BY q.r)
     SELECT 'bad' AS kind, n::int, customer_ok, order_customer::text, NULL::text AS id, NULL AS key FROM bad
     UNION ALL SELECT 'stored', 0, NULL, NULL, id::text, idempotency_key FROM ins`,
    [
      flat.map((x) => x.r),
      column((e) => e.idempotencyKey),
      column((e) => e.type),
      column((e) => e.customerId),
      column((e) => e.orderId ?? null),
      column((e) => JSON.stringify(e.payload ?? {})),
      column((e) => e.occurredAt),
      group.map((_, r) => r),
      group.map((p) => p.principal.actor),
      group.map((p) => p.principal.role),
      group.map((p) => p.events.length),
    ],
  );

  // Requests with a bad reference: the first one, in the order of their events. A request's
  // events start in `flat` after all earlier requests' events.
  const starts: number[] = [];
  for (let r = 0, at = 0; r < group.length; at += group[r].events.length, r += 1) starts.push(at);
  const bad = new Map<number, BadReference>();
  for (const row of rows.filter((x) => x.kind === 'bad').sort((a, b) => a.n - b.n)) {
    const { r } = flat[row.n - 1];
    if (bad.has(r)) continue;
    const index = row.n - 1 - starts[r];
    if (!row.customer_ok) bad.set(r, { index, code: 'unknown_customer', field: 'customerId' });
    else if (row.order_customer === null) bad.set(r, { index, code: 'unknown_order', field: 'orderId' });
    else bad.set(r, { index, code: 'order_customer_mismatch', field: 'orderId' });
  }
  // A new key belongs to its first event in the group; every other event with it is a duplicate.
  const stored = new Map(rows.filter((x) => x.kind === 'stored').map((x) => [x.key as string, Number(x.id)]));
  const claimed = new Set<string>();
  return group.map((p, r) => {
    const reference = bad.get(r);
    if (reference) return { bad: reference };
    return {
      ids: p.events.map((e) => {
        const id = stored.get(e.idempotencyKey);
        if (id === undefined || claimed.has(e.idempotencyKey)) return null;
        claimed.add(e.idempotencyKey);
        return id;
      }),
    };
  });
}
