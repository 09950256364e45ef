// The boundary between storing an event and acting on it. Stored events keep processed_at NULL
// until a router handles them (events_unprocessed_idx), so nothing accepted is lost if routing
// fails or runs later: an event is marked processed only once every delivery it needs succeeded.
import { namedStatement } from '@huitou/activities/db';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TriggerEvent } from '@huitou/activities/contract';
import type { ExecutionPlan, NodeParams, OrderEvent, ReviewRating } from '@huitou/schemas';
import { cohortEventsSignal, eventSignal, triggeredCohort, triggerKeyOf } from '@huitou/workflows';
import type { TriggeredCohortInput } from '@huitou/workflows';
import { planDeliveries } from './cohort-deliveries.ts';
import type { Ask, LegacyDelivery } from './cohort-deliveries.ts';
import { loadPlans } from '../plans/load-plan.ts';
import type { Db } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';

const EVENTS_PENDING = namedStatement(
  'events.pending',
  `SELECT id FROM events WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
);

const EVENTS_MARK_ROUTED = namedStatement(
  'events.mark_routed',
  `UPDATE events SET processed_at = now() WHERE id = ANY($1::bigint[]) AND processed_at IS NULL
   RETURNING extract(epoch FROM processed_at - received_at)::float8 AS lag`,
);

/** Deliveries in flight at once within a batch (cohort signals, and old runs one at a time each). */
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
  /** Journeys the event was delivered to (a cohort started or signalled, or a run of the old design signalled). */
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

/** Runs `work` over `items` with at most DELIVERY_LANES at once. */
async function inLanes<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lane = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, queue.length) }, lane));
}

/** A plain signal to a workflow that may have ended: false when there is none (nothing waits). */
async function signalIfRunning(run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Routes newly stored events to the triggered journeys that listen for their types: one journey
 * lookup and one trigger_entries statement for the batch (cohort-deliveries.ts), then one signal
 * per cohort workflow carrying its events in order: a signal-with-start when it carries entries
 * (the cohort of this second), a plain signal for later events (the cohort holding the key). Keys
 * no cohort holds go to their one-member run of the old design, if it still runs.
 * Events already processed are skipped, so routing the same event again delivers nothing twice;
 * events whose deliveries all succeeded are marked processed, the others stay unprocessed, and so
 * do a customer's events after one of theirs failed, so the sweep delivers them in order (the
 * first failure is thrown after the batch is done).
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
  const { rows: pending } = await db.query<{ id: string }>(EVENTS_PENDING([events.map((e) => e.id)]));
  const open = new Set(pending.map((r) => Number(r.id)));
  const unrouted = events.filter((e) => open.delete(e.id));
  for (const e of unrouted) results.set(e.id, { journeys: [] });
  if (unrouted.length === 0) return results;

  const journeys = await listeners(db, [...new Set(unrouted.map((e) => e.type))]);
  const asks: Ask[] = [];
  // Triggered runs are keyed and matched on the order (TriggerEvent.orderId): an event without one has nowhere to go.
  for (const e of unrouted) {
    if (e.orderId === null) continue;
    const event: TriggerEvent = {
      type: e.type as OrderEvent,
      orderId: e.orderId,
      customerId: e.customerId,
      at: e.occurredAt.getTime(),
    };
    for (const j of journeys) {
      const enters = entersOn(j, e.type, e.rating ?? null);
      const hears = j.signals.has(e.type);
      if (!enters && !hears) continue;
      const key = triggerKeyOf(j.entry, event);
      asks.push({
        eventId: e.id,
        journeyId: j.journeyId,
        versionId: j.versionId,
        plan: j.plan,
        key,
        enters: enters && j.admits,
        hears: hears || enters,
        event,
      });
    }
  }
  const now = (deps.now?.() ?? new Date()).getTime();
  const plan =
    asks.length > 0
      ? await planDeliveries(db, asks, now, deps.config.temporal.cohortLanes)
      : { cohorts: [], legacy: [] };

  const failed = new Set<number>();
  let failure: unknown;
  const delivered = (ids: readonly number[], journeyId: string) => {
    for (const id of ids) {
      const journeysOf = results.get(id)?.journeys;
      if (journeysOf && !journeysOf.includes(journeyId)) journeysOf.push(journeyId);
    }
  };
  const fail = (ids: readonly number[], error: unknown) => {
    failure ??= error;
    for (const id of ids) failed.add(id);
    deps.log(
      `routing events ${ids.join(', ')} failed: ${error instanceof Error ? error.message : String(error)}`,
      'warn',
    );
  };
  const { taskQueue } = deps.config.temporal;
  const cohortSends = inLanes(plan.cohorts, async (d) => {
    try {
      const ok = d.start
        ? await client.workflow
            .signalWithStart(triggeredCohort, {
              taskQueue,
              workflowId: d.workflowId,
              args: [{ journeyId: d.journeyId, versionId: d.versionId, plan: d.plan }] as [TriggeredCohortInput],
              signal: cohortEventsSignal,
              signalArgs: [d.events],
            })
            .then(() => true)
        : await signalIfRunning(() => client.workflow.getHandle(d.workflowId).signal(cohortEventsSignal, d.events));
      if (ok) delivered(d.eventIds, d.journeyId);
    } catch (error) {
      fail(d.eventIds, error);
    }
  });
  // The old design's runs: one workflow per key, its events in order.
  const legacyByRun = new Map<string, LegacyDelivery[]>();
  for (const l of plan.legacy) legacyByRun.set(l.workflowId, [...(legacyByRun.get(l.workflowId) ?? []), l]);
  const legacySends = inLanes([...legacyByRun.values()], async (queue) => {
    for (const l of queue) {
      try {
        if (await signalIfRunning(() => client.workflow.getHandle(l.workflowId).signal(eventSignal, l.event)))
          delivered([l.eventId], l.journeyId);
      } catch (error) {
        fail([l.eventId], error);
      }
    }
  });
  await Promise.all([cohortSends, legacySends]);

  // A customer's events after a failed one stay unprocessed too (the sweep keeps their order).
  const blocked = new Set<number>();
  const done: number[] = [];
  for (const e of unrouted) {
    if (failed.has(e.id)) blocked.add(e.customerId);
    if (blocked.has(e.customerId)) results.delete(e.id);
    else done.push(e.id);
  }
  if (done.length > 0) {
    const { rows: marked } = await db.query<{ lag: number }>(EVENTS_MARK_ROUTED([done]));
    deps.metrics?.eventsRouted(marked.map((r) => r.lag));
  }
  if (failure !== undefined) throw failure;
  return results;
}

/** Routes one newly stored event (see routeEvents); an already processed event routes to nothing. */
export async function routeEvent(deps: EngineDeps, event: StoredEvent): Promise<RouteResult> {
  return (await routeEvents(deps, [event])).get(event.id) ?? { journeys: [] };
}
