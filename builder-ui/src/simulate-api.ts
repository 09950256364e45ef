/**
 * The simulate and segment-preview calls (README § Simulating a draft, `segments/preview`), with
 * the API key and error shape of api.ts: failures are ApiRequestError, so describeError words them.
 */
import type { JourneyGraphInput, Segment } from '@huitou/schemas';
import { ApiRequestError, storedKey } from './api.ts';

async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const key = storedKey();
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(0, 'unreachable', error instanceof Error ? error.message : String(error));
  }
  if (res.ok) return res.json() as Promise<T>;
  const e = ((await res.json().catch(() => null)) as { error?: { status: number; code: string; path: (string | number)[]; message: string; details?: unknown } } | null)?.error;
  throw e ? new ApiRequestError(e.status, e.code, e.message, e.path, e.details) : new ApiRequestError(res.status, 'http_error', res.statusText);
}

export type SimulationAudience = 'demo_shop' | { readonly customerId: number };

export interface NaturalRate {
  readonly windowDays: number;
  readonly base: number;
  readonly returned: number;
  readonly rate: number;
}

export interface ExpectedResponses {
  readonly treatment: number;
  readonly natural: NaturalRate;
  readonly responses: number;
}

export interface SimulatedNode {
  readonly id: string;
  readonly type: string;
  readonly label: string | null;
  readonly entered: number;
  readonly exited: number;
  readonly ports: Readonly<Record<string, number>>;
  readonly sms?: { readonly sent: number; readonly failed: number; readonly skipped: Readonly<Record<string, number>>; readonly segments: number; readonly cost: number };
  readonly coupons?: { readonly done: number; readonly skipped: Readonly<Record<string, number>>; readonly value: number };
  readonly actions?: { readonly done: number; readonly skipped: Readonly<Record<string, number>> };
  readonly expected?: ExpectedResponses;
}

export interface Simulation {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly simulatedDays: number;
  readonly members: number;
  readonly holdout: number;
  readonly totals: {
    readonly smsSent: number;
    readonly smsSegments: number;
    readonly smsCost: number;
    readonly couponsIssued: number;
    readonly couponValue: number;
    readonly expected: ExpectedResponses;
  };
  readonly nodes: readonly SimulatedNode[];
}

// POST /api/journeys/:id/simulate with the graph on the canvas (it may be newer than the saved draft).
export const simulate = (journeyId: string, graph: JourneyGraphInput, audience: SimulationAudience) =>
  post<Simulation>(`/journeys/${encodeURIComponent(journeyId)}/simulate`, { graph, audience });

// POST /api/segments/preview: the live audience count of the segment builder (no sample needed).
export async function countSegment(segment: Segment, signal?: AbortSignal): Promise<number> {
  const { count } = await post<{ count: number }>('/segments/preview', { segment, sampleSize: 0 }, signal);
  return count;
}
