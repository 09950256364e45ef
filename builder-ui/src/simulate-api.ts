/**
 * The simulate and segment-preview calls (docs/api.md § Simulating a draft, `segments/preview`), with
 * the API key and error shape of api.ts: failures are ApiRequestError, so describeError words them.
 */
import type { JourneyGraphInput, Segment } from '@huitou/schemas';
import type * as http from '@huitou/schemas/http';
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
  const e = ((await res.json().catch(() => null)) as Partial<http.ApiErrorBody> | null)?.error;
  throw e
    ? new ApiRequestError(e.status, e.code, e.message, e.path, e.details)
    : new ApiRequestError(res.status, 'http_error', res.statusText);
}

export type { ExpectedResponses, SimulatedNode, Simulation, SimulationAudience } from '@huitou/schemas/http';

// POST /api/journeys/:id/simulate with the graph on the canvas (it may be newer than the saved draft).
export const simulate = (journeyId: string, graph: JourneyGraphInput, audience: http.SimulationAudience) =>
  post<http.Simulation>(`/journeys/${encodeURIComponent(journeyId)}/simulate`, {
    graph,
    audience,
  } satisfies http.SimulateRequest);

// POST /api/segments/preview: the live audience count of the segment builder (no sample needed).
export async function countSegment(segment: Segment, signal?: AbortSignal): Promise<number> {
  const { count } = await post<http.SegmentPreview>(
    '/segments/preview',
    { segment, sampleSize: 0 } satisfies http.SegmentPreviewRequest,
    signal,
  );
  return count;
}
