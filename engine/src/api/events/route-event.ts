// The boundary between storing an event and acting on it. Stored events keep processed_at NULL
// until a router handles them (events_unprocessed_idx), so nothing accepted is lost if routing is
// added, fails, or runs later.
import type { ApiDeps } from '../deps.ts';

export interface StoredEvent {
  id: number;
  idempotencyKey: string;
  type: string;
  customerId: number;
  orderId: number | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

export interface RouteResult {
  /** Journeys the event was delivered to (signal-with-start of their triggered runs). */
  journeys: string[];
}

/**
 * Routes a newly stored event to the triggered journeys that listen for its type. Not wired yet:
 * the triggered-run start (signalWithStart on triggeredWorkflowId(journey, triggerKey) with the
 * `event` signal) lands with the triggered-journey work; until then events stay unprocessed.
 */
export async function routeEvent(_deps: ApiDeps, _event: StoredEvent): Promise<RouteResult> {
  return { journeys: [] };
}
