// Routing after the accept: POST /api/events answers once its events are committed and hands them
// to this in-process router, which routes them in batches right behind the requests. Accept latency
// then no longer includes a Temporal round trip per event, and a burst becomes a few large batches
// (one journey lookup and one processed_at update each) instead of one routing pass per request.
// Nothing depends on the router's memory: an event it has not routed yet (the engine stopped, or
// Temporal failed) keeps processed_at NULL and the sweep (reroute.ts) routes it later.
import type { EngineDeps } from '../deps.ts';
import { routeEvents } from './route-event.ts';
import type { StoredEvent } from './route-event.ts';

export const ROUTER_BATCH = 1000;

/**
 * A routing pass starts at most this often (the first after a quiet spell at once). Each pass costs
 * the same few queries, a signal per cohort, and the cohort's admission and send for what it
 * brought, whatever its size: at 1,000 events/s, passes right behind every write (about 50 a
 * second, 20 events each) spent most of the CPU on per-pass work; ten a second carry 100 each.
 */
export const ROUTER_PASS_SPACING_MS = 100;

export interface EventRouter {
  /** Routes these stored events soon, in the order given; never throws. */
  submit(events: readonly StoredEvent[]): void;
  /** Resolves when everything submitted so far has been routed (or has failed and been left to the sweep). */
  idle(): Promise<void>;
  /** Stops taking events and waits for the batch under way; queued events are left to the sweep. */
  close(): Promise<void>;
  /** Events submitted and not routed yet. */
  readonly backlog: number;
}

export function createEventRouter(
  deps: EngineDeps,
  options: { batch?: number; passSpacingMs?: number } = {},
): EventRouter {
  const batchSize = options.batch ?? ROUTER_BATCH;
  const spacingMs = options.passSpacingMs ?? ROUTER_PASS_SPACING_MS;
  let queue: StoredEvent[] = [];
  let closed = false;
  let pumping: Promise<void> | null = null;
  let lastPass = -Infinity;

  const pump = async () => {
    while (queue.length > 0 && !closed) {
      // A full batch goes at once; a smaller one waits for the spacing and gathers meanwhile.
      const wait = lastPass + spacingMs - performance.now();
      if (wait > 0 && queue.length < batchSize) await new Promise((resolve) => setTimeout(resolve, wait));
      if (closed) break;
      lastPass = performance.now();
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batch.length);
      await routeEvents(deps, batch).catch((error: unknown) =>
        deps.log(`routing events failed: ${error instanceof Error ? error.message : String(error)}`, 'warn'),
      );
    }
  };
  const start = () => {
    pumping ??= pump().finally(() => {
      pumping = null;
      if (queue.length > 0 && !closed) start();
    });
  };

  return {
    submit(events) {
      if (closed || events.length === 0 || !deps.temporal) return;
      queue.push(...events);
      start();
    },
    async idle() {
      while (pumping) await pumping;
    },
    async close() {
      closed = true;
      await pumping;
      queue = [];
    },
    get backlog() {
      return queue.length;
    },
  };
}
