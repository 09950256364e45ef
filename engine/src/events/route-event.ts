// The boundary between storing an event and acting on it. Stored events keep processed_at NULL
// until a router handles them (events_unprocessed_idx), so nothing accepted is lost if routing
// fails or runs later: an event is marked processed only once every delivery it needs succeeded.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { TriggerEvent } from '@huitou/activities/contract';
import type { ExecutionPlan, NodeParams, OrderEvent, ReviewRating } from '@huitou/schemas';
import { eventSignal, triggeredRun, triggeredWorkflowId, triggerKeyOf } from '@huitou/workflows';
import type { TriggeredRunInput } from '@huitou/workflows';
import { loadPlans } from '../plans/load-plan.ts';
import type { Db } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';

/** Deliveries in flight at once within a batch (one lane per customer at a time). */
const DELIVERY_LANES = 64;

export interface StoredEvent {
  id: number;
  idempotencyKey: string;
  type: string;
  customerId: number;
  orderId: number | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
  /** The rating a review_posted event carried (events.rating); none for other events. */
  rating?: ReviewRating | null;
}

export interface RouteResult {
  /** Journeys the event was delivered to (a triggered run started or signalled). */
  journeys: string[];
}

/** A journey listening for some of the batch's event types: its latest published version. */
interface Listener {
  journeyId: string;
  versionId: string;
  /** Only `published` journeys take new entries; paused and draining ones still hear their runs' events. */
  admits: boolean;
  plan: ExecutionPlan;
  entry: NodeParams<'entry.event'>;
  /** Event types that start a run (the entry's). */
  starts: ReadonlySet<string>;
  /** Event types a running run waits for (wait.event nodes; order_paid under goal trigger_order_paid). */
  signals: ReadonlySet<string>;
}

/** What a triggered plan hears, worked out once per plan (loaded plans are immutable and cached by version). */
interface Hearing {
  entry: NodeParams<'entry.event'>;
  starts: ReadonlySet<string>;
  signals: ReadonlySet<string>;
}
const hearings = new WeakMap<ExecutionPlan, Hearing | null>();

function hearingOf(plan: ExecutionPlan): Hearing | null {
  let hearing = hearings.get(plan);
  if (hearing !== undefined) return hearing;
  const entry = plan.nodes[plan.entry];
  hearing = null;
  if (plan.kind === 'triggered' && entry?.type === 'entry.event') {
    const signals = new Set<string>();
    for (const node of Object.values(plan.nodes)) if (node.type === 'wait.event') signals.add(node.params.event);
    if (plan.settings.goal.kind === 'trigger_order_paid') signals.add('order_paid');
    hearing = { entry: entry.params, starts: new Set([entry.params.event]), signals };
  }
  hearings.set(plan, hearing);
  return hearing;
}

/**
 * One query for the whole batch: every triggered journey (not a draft, not archived) with its
 * latest version; those whose plan starts on or waits for one of `types` (or ends on payment and
 * `types` has order_paid) listen. The plans come checked from loadPlans (cached by version id).
 */
async function listeners(db: Db, types: string[]): Promise<Listener[]> {
  const { rows } = await db.query<{ journey_id: string; version_id: string; state: string }>(
    `SELECT DISTINCT ON (v.journey_id) v.journey_id, v.id AS version_id, j.state
     FROM journeys j JOIN journey_versions v ON v.journey_id = j.id
     WHERE j.kind = 'triggered' AND j.state NOT IN ('draft', 'archived')
     ORDER BY v.journey_id, v.version DESC`,
  );
  const plans = await loadPlans(
    db,
    rows.map((r) => r.version_id),
  );
  const out: Listener[] = [];
  for (const r of rows) {
    const plan = plans.get(r.version_id) as ExecutionPlan;
    const hearing = hearingOf(plan);
    if (!hearing || !types.some((t) => hearing.starts.has(t) || hearing.signals.has(t))) continue;
    out.push({ journeyId: r.journey_id, versionId: r.version_id, admits: r.state === 'published', plan, ...hearing });
  }
  return out;
}

/** An entry with a ratings filter (the 中评 alert) starts only on a review of those ratings. */
const entersOn = (listener: Listener, type: string, rating: ReviewRating | null) =>
  listener.starts.has(type) &&
  (!listener.entry.ratings || (rating !== null && listener.entry.ratings.includes(rating)));

/**
 * Delivers one event to one journey. An entry event signal-with-starts the run on its deterministic
 * id (a duplicate trigger joins the run already there); any other event only signals a run that
 * exists, so a payment for an order no run waits on starts nothing. A review whose rating the
 * entry's filter leaves out is no entry event. False when nothing was delivered.
 */
async function deliver(
  client: Client,
  taskQueue: string,
  listener: Listener,
  event: TriggerEvent,
  rating: ReviewRating | null,
): Promise<boolean> {
  const triggerKey = triggerKeyOf(listener.entry, event);
  const workflowId = triggeredWorkflowId(listener.journeyId, triggerKey);
  const enters = entersOn(listener, event.type, rating);
  if (listener.admits && enters) {
    const args: [TriggeredRunInput] = [
      { journeyId: listener.journeyId, versionId: listener.versionId, plan: listener.plan, triggerKey },
    ];
    await client.workflow.signalWithStart(triggeredRun, {
      taskQueue,
      workflowId,
      args,
      signal: eventSignal,
      signalArgs: [event],
    });
    return true;
  }
  if (!listener.signals.has(event.type) && !enters) return false;
  try {
    await client.workflow.getHandle(workflowId).signal(eventSignal, event);
    return true;
  } catch (error) {
    // No run for this key, or it has ended: nothing waits for the event.
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Routes newly stored events to the triggered journeys that listen for their types: one journey
 * lookup for the batch, then per event and journey a signal-with-start (entry events) or a signal
 * to the running run (later events), a customer's events in order and customers side by side.
 * Events already processed are skipped, so routing the same event again delivers nothing twice;
 * events whose deliveries all succeeded are marked processed,
 * the others stay unprocessed (and the first failure is thrown after the batch is done).
 * Without a Temporal client nothing is routed and every event stays unprocessed. `db` is the
 * caller's transaction when it holds the events locked (the re-route sweep), else the pool.
 */
export async function routeEvents(
  deps: EngineDeps,
  events: readonly StoredEvent[],
  db: Db = deps.pool,
): Promise<Map<number, RouteResult>> {
  const results = new Map<number, RouteResult>();
  const client = deps.temporal?.client;
  if (!client || events.length === 0) return results;
  const { rows: pending } = await db.query<{ id: string }>(
    'SELECT id FROM events WHERE id = ANY($1::bigint[]) AND processed_at IS NULL',
    [events.map((e) => e.id)],
  );
  const open = new Set(pending.map((r) => Number(r.id)));
  const unrouted = events.filter((e) => open.delete(e.id));
  for (const e of unrouted) results.set(e.id, { journeys: [] });
  if (unrouted.length === 0) return results;

  const journeys = await listeners(db, [...new Set(unrouted.map((e) => e.type))]);
  const done: number[] = [];
  let failure: unknown;
  /** False when a delivery failed: the event stays unprocessed. */
  const routeOne = async (e: StoredEvent): Promise<boolean> => {
    const result = results.get(e.id) as RouteResult;
    // Triggered runs are keyed and matched on the order (TriggerEvent.orderId): an event without one has nowhere to go.
    if (e.orderId !== null) {
      const event: TriggerEvent = {
        type: e.type as OrderEvent,
        orderId: e.orderId,
        customerId: e.customerId,
        at: e.occurredAt.getTime(),
      };
      const targets = journeys.filter((j) => entersOn(j, e.type, e.rating ?? null) || j.signals.has(e.type));
      const outcomes = await Promise.allSettled(
        targets.map((j) => deliver(client, deps.config.temporal.taskQueue, j, event, e.rating ?? null)),
      );
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) {
        failure ??= failed.reason;
        deps.log(
          `routing event ${e.id} (${e.type}) failed: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`,
        );
        results.delete(e.id);
        return false;
      }
      outcomes.forEach((o, i) => o.status === 'fulfilled' && o.value && result.journeys.push(targets[i].journeyId));
    }
    done.push(e.id);
    return true;
  };
  // A customer's events in order (an order's later events reach its run after the event that
  // started it; trigger keys are per order or per customer), different customers side by side.
  // After a failure the customer's later events wait too, so the sweep delivers them in order.
  const byCustomer = new Map<number, StoredEvent[]>();
  for (const e of unrouted) {
    const queue = byCustomer.get(e.customerId);
    if (queue) queue.push(e);
    else byCustomer.set(e.customerId, [e]);
  }
  const queues = [...byCustomer.values()];
  const lane = async () => {
    for (let q = queues.shift(); q; q = queues.shift()) {
      let i = 0;
      while (i < q.length && (await routeOne(q[i]))) i += 1;
      for (const e of q.slice(i + 1)) results.delete(e.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, queues.length) }, lane));
  if (done.length > 0)
    await db.query('UPDATE events SET processed_at = now() WHERE id = ANY($1::bigint[]) AND processed_at IS NULL', [
      done,
    ]);
  if (failure !== undefined) throw failure;
  return results;
}

/** Routes one newly stored event (see routeEvents); an already processed event routes to nothing. */
export async function routeEvent(deps: EngineDeps, event: StoredEvent): Promise<RouteResult> {
  return (await routeEvents(deps, [event])).get(event.id) ?? { journeys: [] };
}
