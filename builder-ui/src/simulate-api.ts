/**
 * The simulate and segment-preview calls (docs/api.md § Simulating a draft, `segments/preview`), with
 * the API key and error shape of api.ts: failures are ApiRequestError, so describeError words them.
 */
import type { JourneyGraphInput, Segment } from '@huitou/schemas';
import type * as http from '@huitou/schemas/http';
import { ApiRequestError, call, callOnce, storedKey } from './api.ts';

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

export type {
  CustomerMatch,
  ExpectedResponses,
  FollowUpRate,
  FollowUpSetting,
  SimulatedMessage,
  SimulatedNode,
  Simulation,
  SimulationAudience,
  TestSendResult,
} from '@huitou/schemas/http';

// POST /api/journeys/:id/simulate with the graph on the canvas (it may be newer than the saved draft).
export const simulate = (
  journeyId: string,
  graph: JourneyGraphInput,
  audience: http.SimulationAudience,
  followUps: http.FollowUpSetting[] = [],
) =>
  post<http.Simulation>(`/journeys/${encodeURIComponent(journeyId)}/simulate`, {
    graph,
    audience,
    ...(followUps.length > 0 ? { followUps } : {}),
  } satisfies http.SimulateRequest);

// GET /api/customers?q=: the one-customer mode's and the test send's search box.
export const findCustomers = async (q: string) =>
  (await call<http.CustomerMatches>('GET', `/customers?q=${encodeURIComponent(q)}`)).customers;

// POST /api/journeys/:id/test-send: one Idempotency-Key per click (a lost answer retried never texts twice).
export const testSend = (journeyId: string, body: http.TestSendRequest) =>
  callOnce<http.TestSendResult>('POST', `/journeys/${encodeURIComponent(journeyId)}/test-send`, body);

// The colleagues' numbers test sends go to (shop settings).
export const getTestPhones = async () => (await call<http.TestPhones>('GET', '/test-phones')).phones;
export const putTestPhones = async (phones: string[]) =>
  (await call<http.TestPhones>('PUT', '/test-phones', { phones } satisfies http.UpdateTestPhonesRequest)).phones;

// POST /api/segments/preview: the live audience count of the segment builder (no sample needed).
export async function countSegment(segment: Segment, signal?: AbortSignal): Promise<number> {
  const { count } = await post<http.SegmentPreview>(
    '/segments/preview',
    { segment, sampleSize: 0 } satisfies http.SegmentPreviewRequest,
    signal,
  );
  return count;
}

/** The canvas cards' figures of a simulation: members reached, SMS sent (SMS cards). */
export const simulationFigures = (sim: http.Simulation) =>
  new Map(sim.nodes.map((n) => [n.id, { reached: n.entered, sent: n.sms ? n.sms.sent : null }]));
