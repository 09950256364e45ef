import { Context } from '@temporalio/activity';
import type { JourneySettings } from '@huitou/schemas';
import { ALL_WEEKDAYS, nextAllowedInstant } from '@huitou/schemas';
import type { Queryable } from './members.ts';

export type JourneyState = 'running' | 'paused' | 'draining' | 'stopped';

/**
 * The run's and its journey's state, re-read before every batch of side effects. Either side
 * paused or stopped wins (ops act on the journey; the engine may stop a single run). Draining
 * admits no new members but lets those inside finish, so it does not block sends.
 */
export async function currentState(db: Queryable, runId: string): Promise<JourneyState> {
  const { rows } = await db.query<{ run_state: string; journey_state: string }>(
    `SELECT r.state AS run_state, j.state AS journey_state FROM runs r JOIN journeys j ON j.id = r.journey_id WHERE r.id = $1::uuid`,
    [runId],
  );
  if (rows.length === 0) throw new Error(`run ${runId} not found`);
  const states = [rows[0].run_state, rows[0].journey_state];
  if (states.some((s) => s === 'stopped' || s === 'cancelled')) return 'stopped';
  if (states.includes('paused')) return 'paused';
  if (states.includes('draining')) return 'draining';
  return 'running';
}

export function blocksSideEffects(state: JourneyState): state is 'paused' | 'stopped' {
  return state === 'paused' || state === 'stopped';
}

/**
 * The instant the send path acts at: the workflow's time, or the wall clock when a retry runs
 * later than the call was made. Time-skipping tests run far ahead of the wall clock, so the
 * larger one is right in both worlds.
 */
export function effectiveNow(callNow: number, clock: () => Date): number {
  return Math.max(callNow, clock().getTime());
}

/** When marketing may be sent again if `at` is inside the quiet hours, else null. */
export function quietUntil(at: number, settings: Pick<JourneySettings, 'quietHours' | 'timeZone'>): number | null {
  const quiet = settings.quietHours;
  if (!quiet) return null;
  // The allowed window is the complement of the quiet one.
  const next = nextAllowedInstant(at, [{ from: quiet.to, to: quiet.from }], ALL_WEEKDAYS, settings.timeZone);
  return next === at ? null : next;
}

/**
 * Why a send may not go now, or null: the journey paused or stopped, or (for marketing) the
 * journey's quiet hours at `at`. Deferred members get nothing written; the node runs again later.
 */
export function sendDeferral(
  state: JourneyState,
  at: number,
  marketing: boolean,
  settings: Pick<JourneySettings, 'quietHours' | 'timeZone'>,
): 'paused' | 'stopped' | 'quiet_hours' | null {
  if (blocksSideEffects(state)) return state;
  return marketing && quietUntil(at, settings) !== null ? 'quiet_hours' : null;
}

/** Heartbeats when running inside a Temporal activity (a no-op in plain calls, e.g. tests). */
export function heartbeat(details?: unknown): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat(details);
}
