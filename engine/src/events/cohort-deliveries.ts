// Where a routed batch's events go, worked out with one SQL statement for the whole batch: an entry
// event claims its trigger key for the cohort of this second (trigger_entries; a key claimed before
// is a duplicate, not admitted again); a later event goes to the cohort that holds its key, or,
// for a key no cohort ever held, to the one-member run of the old design (in-flight runs from
// before cohorts, which keep running to their end). Events are grouped per workflow, in batch
// order, so each cohort gets one signal per batch.
import { namedStatement } from '@huitou/activities/db';
import type { CohortEvent, TriggerEvent } from '@huitou/activities/contract';
import type { ExecutionPlan } from '@huitou/schemas';
import { cohortWorkflowId, triggeredWorkflowId } from '@huitou/workflows';
import type { Db } from '../db/transaction.ts';

const EVENTS_CLAIM_ENTRIES = namedStatement(
  'events.claim_entries',
  `WITH cand AS (
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS u(journey_id, trigger_key, workflow_id, n)),
   ins AS (
     INSERT INTO trigger_entries (journey_id, trigger_key, workflow_id)
     SELECT DISTINCT ON (journey_id, trigger_key) journey_id, trigger_key, workflow_id FROM cand
     WHERE workflow_id IS NOT NULL ORDER BY journey_id, trigger_key, n
     ON CONFLICT (journey_id, trigger_key) DO NOTHING
     RETURNING journey_id, trigger_key, workflow_id)
   SELECT k.journey_id, k.trigger_key, ins.workflow_id AS claimed, t.workflow_id AS held, t.admitted
   FROM (SELECT DISTINCT journey_id, trigger_key FROM cand) k
   LEFT JOIN ins ON ins.journey_id = k.journey_id AND ins.trigger_key = k.trigger_key
   LEFT JOIN trigger_entries t ON t.journey_id = k.journey_id AND t.trigger_key = k.trigger_key`,
);

/** One event for one journey, as the router decided it (enters: an entry the journey admits now). */
export interface Ask {
  eventId: number;
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  key: string;
  enters: boolean;
  /** The journey waits for this event type in runs (wait.event, a paid order under its goal). */
  hears: boolean;
  event: TriggerEvent;
}

/** One signal (or signal-with-start) to one cohort workflow, carrying its events in batch order. */
export interface CohortDelivery {
  workflowId: string;
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  start: boolean;
  events: CohortEvent[];
  eventIds: number[];
}

/** One event for a one-member run of the old design (triggeredRun). */
export interface LegacyDelivery {
  workflowId: string;
  journeyId: string;
  event: TriggerEvent;
  eventId: number;
}

/** A small stable hash of the key: its lane of `lanes` (HUITOU_COHORT_LANES). */
export function laneOf(key: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}

export async function planDeliveries(
  db: Db,
  asks: readonly Ask[],
  now: number,
  lanes: number,
): Promise<{ cohorts: CohortDelivery[]; legacy: LegacyDelivery[] }> {
  const bucket = Math.floor(now / 1000);
  const proposed = asks.map((a) => (a.enters ? cohortWorkflowId(a.journeyId, bucket, laneOf(a.key, lanes)) : null));
  // Claims the new entry keys; reads who holds the others (the CTE's insert is not visible to the
  // join, so `t` is what was there before this batch).
  const { rows } = await db.query<{
    journey_id: string;
    trigger_key: string;
    claimed: string | null;
    held: string | null;
    admitted: boolean | null;
  }>(EVENTS_CLAIM_ENTRIES([asks.map((a) => a.journeyId), asks.map((a) => a.key), proposed]));
  const holders = new Map(rows.map((r) => [`${r.journey_id} ${r.trigger_key}`, r]));
  const cohorts = new Map<string, CohortDelivery>();
  const legacy: LegacyDelivery[] = [];
  for (const a of asks) {
    const h = holders.get(`${a.journeyId} ${a.key}`);
    const workflowId = h?.claimed ?? h?.held ?? null;
    const { event } = a;
    const asEvent = (entry: boolean): CohortEvent => ({
      key: a.key,
      entry,
      type: event.type,
      customerId: event.customerId,
      orderId: event.orderId,
      at: event.at,
    });
    if (workflowId === null) {
      // No cohort ever held the key: a run of the old design may (it hears entries' duplicates too).
      legacy.push({
        workflowId: triggeredWorkflowId(a.journeyId, a.key),
        journeyId: a.journeyId,
        event,
        eventId: a.eventId,
      });
      continue;
    }
    // Claimed (now, or before and not admitted yet, e.g. a delivery that failed): the entry (again).
    const undecided = h?.claimed != null || h?.admitted === null;
    let item: CohortEvent | null = null;
    if (a.enters && undecided) item = asEvent(true);
    else if (a.hears && h?.admitted !== false) item = asEvent(false);
    if (!item) continue;
    let d = cohorts.get(workflowId);
    if (!d) {
      d = {
        workflowId,
        journeyId: a.journeyId,
        versionId: a.versionId,
        plan: a.plan,
        start: false,
        events: [],
        eventIds: [],
      };
      cohorts.set(workflowId, d);
    }
    d.start ||= item.entry;
    d.events.push(item);
    d.eventIds.push(a.eventId);
  }
  return { cohorts: [...cohorts.values()], legacy };
}
