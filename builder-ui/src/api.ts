/**
 * The builder's only door to the engine: one function per `/api/...` call (README § The HTTP API),
 * with the API key from the sign-in screen. Failures arrive as ApiRequestError carrying the API's
 * structured error, so screens can say what went wrong in plain words (see errors.ts).
 */
import type { GraphError, JourneyGraphInput } from '@huitou/schemas';

const KEY_STORAGE = 'huitou.apiKey';

/** The API's error body `{ error: { status, code, path, message } }`; status 0 = the engine was not reached. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: readonly (string | number)[] = [],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export function storedKey(): string | null {
  return localStorage.getItem(KEY_STORAGE);
}

export function rememberKey(key: string): void {
  localStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey(): void {
  localStorage.removeItem(KEY_STORAGE);
}

// The built UI is served by the engine, so `/api` is on the page's own origin.
async function send(method: string, path: string, body?: unknown, key = storedKey()): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiRequestError(0, 'unreachable', error instanceof Error ? error.message : String(error));
  }
  if (res.ok) return res;
  const parsed = (await res.json().catch(() => null)) as { error?: { status: number; code: string; path: (string | number)[]; message: string; details?: unknown } } | null;
  const e = parsed?.error;
  throw e ? new ApiRequestError(e.status, e.code, e.message, e.path, e.details) : new ApiRequestError(res.status, 'http_error', res.statusText);
}

const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await send(method, path, body)).json() as Promise<T>;

// --- Session ---------------------------------------------------------------------------------

export type Role = 'admin' | 'marketer' | 'ops' | 'engineer' | 'viewer';
export type Permission = 'read' | 'journeys.write' | 'journeys.publish' | 'runs.start' | 'runs.control' | 'segments.preview' | 'events.ingest' | 'activities.manage' | 'webhooks.manage' | 'audit.read' | 'keys.manage';
export interface Me {
  readonly name: string;
  readonly role: Role;
  readonly permissions: readonly Permission[];
}

// GET /api/me, with a key that is not stored yet (the sign-in screen checks it first).
export async function whoAmI(key: string): Promise<Me> {
  return (await send('GET', '/me', undefined, key)).json() as Promise<Me>;
}

// --- Templates and journeys -------------------------------------------------------------------

export interface TemplateSummary {
  readonly id: string;
  readonly nodeCount: number;
  readonly smsCount: number;
}

// GET /api/templates
export async function listTemplates(): Promise<TemplateSummary[]> {
  const { templates } = await call<{ templates: { id: string; nodeCount: number; graph: JourneyGraphInput }[] }>('GET', '/templates');
  return templates.map((t) => ({ id: t.id, nodeCount: t.nodeCount, smsCount: t.graph.nodes.filter((n) => n.type === 'action.sms').length }));
}

export interface JourneySummary {
  readonly id: string;
  readonly name: string;
  readonly kind: 'audience' | 'triggered';
  readonly state: string;
  readonly latestVersion: number | null;
  readonly updatedAt: string;
}
export interface JourneyDetail extends JourneySummary {
  readonly draft: JourneyGraphInput | null;
}

// GET /api/journeys
export async function listJourneys(): Promise<JourneySummary[]> {
  return (await call<{ journeys: JourneySummary[] }>('GET', '/journeys?limit=100')).journeys;
}

// GET /api/journeys/:id
export const openJourney = (id: string) => call<JourneyDetail>('GET', `/journeys/${encodeURIComponent(id)}`);

// POST /api/journeys
export const createJourney = (graph: JourneyGraphInput) => call<JourneyDetail>('POST', '/journeys', { name: graph.name, draft: graph });

// POST /api/templates/:id/journeys
export const createFromTemplate = (templateId: string) => call<JourneyDetail>('POST', `/templates/${encodeURIComponent(templateId)}/journeys`, {});

// PUT /api/journeys/:id/draft (an empty name keeps the stored one: names are required)
export async function saveDraft(journeyId: string, graph: JourneyGraphInput): Promise<{ savedAt: string }> {
  const name = graph.name.trim();
  const saved = await call<JourneyDetail>('PUT', `/journeys/${encodeURIComponent(journeyId)}/draft`, { draft: graph, ...(name ? { name: name.slice(0, 80) } : {}) });
  return { savedAt: saved.updatedAt };
}

// POST /api/journeys/:id/validate: the server runs the same compiler the canvas runs live.
export const validate = (journeyId: string, graph: JourneyGraphInput) =>
  call<{ ok: boolean; errors: GraphError[] }>('POST', `/journeys/${encodeURIComponent(journeyId)}/validate`, { draft: graph });

export interface VersionSummary {
  readonly id: string;
  readonly version: number;
  readonly planHash: string | null;
  readonly notes: string;
  readonly publishedAt: string;
}
export interface PublishedVersion extends VersionSummary {
  readonly graph: JourneyGraphInput;
}

export type PublishResult = { readonly ok: true; readonly version: VersionSummary } | { readonly ok: false; readonly errors: readonly GraphError[] };

// POST /api/journeys/:id/publish: compiles the stored draft to an immutable version, or 422 with the errors.
export async function publish(journeyId: string, notes: string): Promise<PublishResult> {
  try {
    return { ok: true, version: await call<VersionSummary>('POST', `/journeys/${encodeURIComponent(journeyId)}/publish`, { notes }) };
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'journey_invalid') {
      return { ok: false, errors: (error.details as { errors?: GraphError[] } | undefined)?.errors ?? [] };
    }
    throw error;
  }
}

// GET /api/journeys/:id/versions (newest first)
export async function listVersions(journeyId: string): Promise<VersionSummary[]> {
  return (await call<{ versions: VersionSummary[] }>('GET', `/journeys/${encodeURIComponent(journeyId)}/versions`)).versions;
}

// GET /api/journeys/:id/versions/:version
export const getVersion = (journeyId: string, version: number) => call<PublishedVersion>('GET', `/journeys/${encodeURIComponent(journeyId)}/versions/${version}`);

// --- Runs ---------------------------------------------------------------------------------------

export type RunControl = 'pause' | 'resume' | 'drain' | 'stop';
export interface RunInfo {
  readonly id: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly state: string;
  readonly memberCount: number | null;
  readonly holdoutRatio: number;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}
export interface NodeCount {
  readonly entered: number;
  readonly waiting: number;
  readonly exited: number;
}
export interface RunDetail extends RunInfo {
  readonly positions: readonly { position: string | null; members: number; active: number; exited: number; holdout: number }[];
  /** Per node, live from the workflow while it runs; null once it has ended. */
  readonly live: Readonly<Record<string, NodeCount>> | null;
  /** The ops controls the run state allows now. */
  readonly controls: readonly RunControl[];
}

// POST /api/journeys/:id/runs
export const startRun = (journeyId: string, version: number) => call<RunInfo>('POST', `/journeys/${encodeURIComponent(journeyId)}/runs`, { version });

// GET /api/runs?journeyId=
export async function listRuns(journeyId: string): Promise<RunInfo[]> {
  return (await call<{ runs: RunInfo[] }>('GET', `/runs?journeyId=${encodeURIComponent(journeyId)}`)).runs;
}

// GET /api/runs/:id
export const getRun = (runId: string) => call<RunDetail>('GET', `/runs/${encodeURIComponent(runId)}`);

// POST /api/runs/:id/pause | resume | drain | stop
export async function controlRun(runId: string, control: RunControl): Promise<RunInfo> {
  return (await call<{ run: RunInfo }>('POST', `/runs/${encodeURIComponent(runId)}/${control}`)).run;
}

export interface MessageTally {
  readonly sent: number;
  readonly delivered: number;
  readonly failed: number;
  readonly pending: number;
  readonly skipped: number;
  readonly segments: number;
  readonly cost: number;
}
export interface RunMessages {
  readonly total: MessageTally;
  readonly skipReasons: Readonly<Record<string, number>>;
  readonly nodes: readonly (MessageTally & { nodeId: string })[];
}

// GET /api/runs/:id/messages
export const runMessages = (runId: string) => call<RunMessages>('GET', `/runs/${encodeURIComponent(runId)}/messages`);

// --- Reports ------------------------------------------------------------------------------------

export interface ArmMetrics {
  readonly responseRate: number | null;
  readonly conversionRate: number | null;
  readonly averageOrderValue: number | null;
  readonly roi: number | null;
  readonly deliveryRate: number | null;
}
export interface ArmFigures {
  readonly targets: number;
  readonly sent: number;
  readonly delivered: number;
  readonly billedSegments: number;
  readonly buyers: number;
  readonly orders: number;
  readonly sales: number;
  readonly cost: number;
  readonly metrics: ArmMetrics;
}
export interface ReportRow {
  readonly checkpoint: string;
  readonly nodeId: string | null;
  readonly cycle: number;
  readonly group: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly treatment: ArmFigures;
  readonly holdout: ArmFigures;
  readonly lift: { readonly lift: number; readonly ciLow: number; readonly ciHigh: number; readonly pValue: number; readonly significant: boolean } | null;
  readonly incrementalSales: number | null;
  readonly incrementalRoi: number | null;
}

// GET /api/runs/:id/report
export async function runReport(runId: string): Promise<ReportRow[]> {
  return (await call<{ rows: ReportRow[] }>('GET', `/runs/${encodeURIComponent(runId)}/report`)).rows;
}

// GET /api/runs/:id/report.csv (fetched with the key: a plain link could not send it)
export async function runReportCsv(runId: string): Promise<string> {
  return (await send('GET', `/runs/${encodeURIComponent(runId)}/report.csv`)).text();
}
