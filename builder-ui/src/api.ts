/**
 * The builder's only door to the engine: one function per `/api/...` call (docs/api.md § Routes),
 * with the API key from the sign-in screen. Failures arrive as ApiRequestError carrying the API's
 * structured error, so screens can say what went wrong in plain words (see errors.ts).
 */
import type { GraphError, JourneyGraphInput } from '@huitou/schemas';
import type * as http from '@huitou/schemas/http';
import { IDEMPOTENCY_HEADER } from '@huitou/schemas/http';

// The HTTP types are the engine's own schemas (@huitou/schemas/http): the builder re-exports them
// under the names its screens use instead of keeping copies.
export type {
  Me,
  Permission,
  Role,
  RunControl,
  NodeCount,
  MessageTally,
  RunMessages,
  ReportRow,
  AbSplitReport,
  VersionSummary,
} from '@huitou/schemas/http';
export type RunInfo = http.Run;
export type RunDetail = http.RunDetail;
export type ArmFigures = http.ArmReport;
export type JourneySummary = http.JourneySummary;
/**
 * Drafts and versions come back as the builder saved them, so their graphs are typed as the journey
 * language's input (the API leaves them open: incomplete drafts are the compiler's to judge).
 */
export type JourneyDetail = Omit<http.JourneyDetail, 'draft'> & { readonly draft: JourneyGraphInput | null };
export type PublishedVersion = Omit<http.VersionDetail, 'graph'> & { readonly graph: JourneyGraphInput };

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
async function send(
  method: string,
  path: string,
  body?: unknown,
  key = storedKey(),
  idempotencyKey?: string,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiRequestError(0, 'unreachable', error instanceof Error ? error.message : String(error));
  }
  if (res.ok) return res;
  const e = ((await res.json().catch(() => null)) as Partial<http.ApiErrorBody> | null)?.error;
  throw e
    ? new ApiRequestError(e.status, e.code, e.message, e.path, e.details)
    : new ApiRequestError(res.status, 'http_error', res.statusText);
}

export const call = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await send(method, path, body)).json() as Promise<T>;

/** A download (CSV export) as bytes: fetched with the key, which a plain link could not send. */
export const callBlob = async (path: string): Promise<Blob> => (await send('GET', path)).blob();

/** Attempts of a campaign write whose answer was lost on the way (the engine was not reached or went away). */
const CAMPAIGN_WRITE_ATTEMPTS = 3;

/**
 * A campaign write (publish, run start): one Idempotency-Key per click, resent on every retry, so a
 * lost answer retried never publishes or starts twice (docs/api.md § Idempotent campaign writes).
 */
export async function callOnce<T>(method: string, path: string, body: unknown): Promise<T> {
  // getRandomValues, not randomUUID: the builder may be served over plain http on a LAN address.
  const idempotencyKey = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await send(method, path, body, storedKey(), idempotencyKey)).json()) as T;
    } catch (error) {
      const lost = error instanceof ApiRequestError && error.status === 0;
      if (!lost || attempt >= CAMPAIGN_WRITE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

// --- Session ---------------------------------------------------------------------------------

// GET /api/me, with a key that is not stored yet (the sign-in screen checks it first).
export async function whoAmI(key: string): Promise<http.Me> {
  return (await send('GET', '/me', undefined, key)).json() as Promise<http.Me>;
}

// --- Templates and journeys -------------------------------------------------------------------

/** A gallery card: the template's texts and size (the graph itself stays on the server until used). */
export type TemplateSummary = Pick<http.Template, 'id' | 'card' | 'nodeCount'> & { readonly smsCount: number };

// GET /api/templates
export async function listTemplates(): Promise<TemplateSummary[]> {
  const { templates } = await call<http.TemplateList>('GET', '/templates');
  return templates.map((t) => ({
    id: t.id,
    card: t.card,
    nodeCount: t.nodeCount,
    smsCount: (t.graph as unknown as JourneyGraphInput).nodes.filter((n) => n.type === 'action.sms').length,
  }));
}

// GET /api/categories
export async function listCategories(): Promise<http.Category[]> {
  return (await call<http.CategoryList>('GET', '/categories')).categories;
}

/** A query string from the fields that are set (empty text and undefined are left out). */
const queryString = (fields: Readonly<Record<string, unknown>>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
};

// GET /api/journeys?q=&archived=&limit=&offset= (the home page: figures per journey, a total)
export type JourneyListItem = http.JourneyListItem;
export const listJourneyPage = (query: http.JourneyListQuery) =>
  call<http.JourneyList>('GET', `/journeys?${queryString(query)}`);

// POST /api/journeys/:id/archive | unarchive
export const archiveJourney = (id: string) => call<unknown>('POST', `/journeys/${encodeURIComponent(id)}/archive`);
export const unarchiveJourney = (id: string) =>
  call<JourneyDetail>('POST', `/journeys/${encodeURIComponent(id)}/unarchive`);

// GET /api/journeys/:id
export const openJourney = (id: string) => call<JourneyDetail>('GET', `/journeys/${encodeURIComponent(id)}`);

// POST /api/journeys
export const createJourney = (graph: JourneyGraphInput) =>
  call<JourneyDetail>('POST', '/journeys', { name: graph.name, draft: graph } satisfies http.CreateJourneyRequest);

// POST /api/templates/:id/journeys
export const createFromTemplate = (templateId: string) =>
  call<JourneyDetail>(
    'POST',
    `/templates/${encodeURIComponent(templateId)}/journeys`,
    {} satisfies http.FromTemplateRequest,
  );

// PUT /api/journeys/:id/draft (an empty name keeps the stored one: names are required)
export async function saveDraft(journeyId: string, graph: JourneyGraphInput): Promise<{ savedAt: string }> {
  const name = graph.name.trim();
  const saved = await call<JourneyDetail>('PUT', `/journeys/${encodeURIComponent(journeyId)}/draft`, {
    draft: graph,
    ...(name ? { name: name.slice(0, 80) } : {}),
  } satisfies http.SaveDraftRequest);
  return { savedAt: saved.updatedAt };
}

// POST /api/journeys/:id/validate: the server runs the same compiler the canvas runs live.
export const validate = (journeyId: string, graph: JourneyGraphInput) =>
  call<http.ValidateResult>('POST', `/journeys/${encodeURIComponent(journeyId)}/validate`, {
    draft: graph,
  } satisfies http.ValidateRequest);

export type PublishResult =
  | { readonly ok: true; readonly version: http.VersionSummary }
  | { readonly ok: false; readonly errors: readonly GraphError[] };

// POST /api/journeys/:id/publish: compiles the stored draft to an immutable version, or 422 with the errors.
export async function publish(journeyId: string, notes: string): Promise<PublishResult> {
  try {
    return {
      ok: true,
      version: await callOnce<http.VersionSummary>('POST', `/journeys/${encodeURIComponent(journeyId)}/publish`, {
        notes,
      } satisfies http.PublishRequest),
    };
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'journey_invalid') {
      return { ok: false, errors: (error.details as { errors?: GraphError[] } | undefined)?.errors ?? [] };
    }
    throw error;
  }
}

// GET /api/journeys/:id/versions (newest first)
export async function listVersions(journeyId: string): Promise<http.VersionSummary[]> {
  return (await call<http.VersionList>('GET', `/journeys/${encodeURIComponent(journeyId)}/versions`)).versions;
}

// GET /api/journeys/:id/versions/:version
export const getVersion = (journeyId: string, version: number) =>
  call<PublishedVersion>('GET', `/journeys/${encodeURIComponent(journeyId)}/versions/${version}`);

// GET /api/journeys/:id/review[?version=] (the saved draft before publishing; a version before a run)
export type JourneyReview = http.JourneyReview;
export type WaitingGroup = http.WaitingGroup;
export const journeyReview = (journeyId: string, version?: number) =>
  call<http.JourneyReview>(
    'GET',
    `/journeys/${encodeURIComponent(journeyId)}/review${version === undefined ? '' : `?version=${version}`}`,
  );

// --- Runs ---------------------------------------------------------------------------------------

// POST /api/journeys/:id/runs
export const startRun = (journeyId: string, version: number) =>
  callOnce<RunInfo>('POST', `/journeys/${encodeURIComponent(journeyId)}/runs`, {
    version,
  } satisfies http.StartRunRequest);

// GET /api/runs?journeyId=
export async function listRuns(journeyId: string): Promise<RunInfo[]> {
  return (await call<http.RunList>('GET', `/runs?journeyId=${encodeURIComponent(journeyId)}`)).runs;
}

// GET /api/runs?journeyId=&state=&from=&to=&limit=&offset= (the runs page: every journey, a total)
export type RunListItem = http.RunListItem;
export const listRunPage = (query: http.RunListQuery) => call<http.RunList>('GET', `/runs?${queryString(query)}`);

// GET /api/runs/:id
export const getRun = (runId: string) => call<RunDetail>('GET', `/runs/${encodeURIComponent(runId)}`);

// POST /api/runs/:id/pause | resume | drain | stop
export async function controlRun(runId: string, control: http.RunControl): Promise<RunInfo> {
  return (await call<http.ControlResult>('POST', `/runs/${encodeURIComponent(runId)}/${control}`)).run;
}

// GET /api/runs/:id/messages
export const runMessages = (runId: string) =>
  call<http.RunMessages>('GET', `/runs/${encodeURIComponent(runId)}/messages`);

// --- Reports ------------------------------------------------------------------------------------

// GET /api/runs/:id/report (rows per checkpoint and group, and the A/B comparisons)
export const runReport = (runId: string) => call<http.RunReport>('GET', `/runs/${encodeURIComponent(runId)}/report`);

// GET /api/runs/:id/report.csv (fetched with the key: a plain link could not send it). The file as
// sent, bytes and all: decoding it as text would drop the BOM that makes Excel read it as UTF-8.
// Its header row is in the builder's language.
export async function runReportCsv(runId: string, lang: 'zh' | 'en'): Promise<Blob> {
  return callBlob(`/runs/${encodeURIComponent(runId)}/report.csv?lang=${lang}`);
}

// GET /api/journeys/:id/report?period=&from=&to= (triggered journeys: members by entry time)
export type JourneyReport = http.JourneyReport;
export type JourneyReportQuery = Pick<http.JourneyReportQuery, 'period' | 'from' | 'to'>;
const journeyReportPath = (journeyId: string, q: JourneyReportQuery, csvLang?: 'zh' | 'en') => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  if (csvLang) {
    params.set('format', 'csv');
    params.set('lang', csvLang);
  }
  return `/journeys/${encodeURIComponent(journeyId)}/report?${params.toString()}`;
};
export const journeyReport = (journeyId: string, q: JourneyReportQuery) =>
  call<http.JourneyReport>('GET', journeyReportPath(journeyId, q));
/** The same report as CSV, bytes and all (the BOM stays, as for runs). */
export async function journeyReportCsv(journeyId: string, q: JourneyReportQuery, lang: 'zh' | 'en'): Promise<Blob> {
  return callBlob(journeyReportPath(journeyId, q, lang));
}

// GET /api/shop/overview?period=&monetary=&from=&to= (the query string: pages/overview/overview-model.ts)
export type ShopOverview = http.ShopOverview;
export const shopOverview = (query: string) => call<http.ShopOverview>('GET', `/shop/overview?${query}`);
/** Every figure of the overview as CSV, bytes and all (the BOM stays, as for runs). */
export async function shopOverviewCsv(query: string, lang: 'zh' | 'en'): Promise<Blob> {
  return (await send('GET', `/shop/overview.csv?${query}&lang=${lang}`)).blob();
}

// --- Staff inbox --------------------------------------------------------------------------------

export type InboxTask = http.Task;
export type InboxCounts = http.TaskCounts;

// GET /api/tasks?state=&kind=&cursor=
export async function listTasks(filter: http.TaskListQuery): Promise<http.TaskPage> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') query.set(k, String(v));
  return call<http.TaskPage>('GET', `/tasks?${query.toString()}`);
}

// GET /api/tasks/counts
export const taskCounts = () => call<http.TaskCounts>('GET', '/tasks/counts');

// POST /api/tasks/:id/claim | complete | dismiss
export const claimTask = (id: number) => call<http.Task>('POST', `/tasks/${id}/claim`);
export const completeTask = (id: number, outcome: string) =>
  call<http.Task>('POST', `/tasks/${id}/complete`, { outcome } satisfies http.CompleteTaskRequest);
export const dismissTask = (id: number, reason: string) =>
  call<http.Task>('POST', `/tasks/${id}/dismiss`, { reason } satisfies http.DismissTaskRequest);

// --- Data pages: imports, schedules, opt-outs ----------------------------------------------------

export type ImportKindName = http.ImportKindName;
export type ImportOut = http.ImportOut;
export type ImportSummary = http.ImportSummary;
export type Schedule = http.Schedule;
export type ScheduleListed = http.ScheduleListed;
export type ScheduleRequest = http.ScheduleRequest;
export type OptOut = http.OptOut;

const page = (limit: number, offset: number) => `limit=${limit}&offset=${offset}`;

// GET /api/imports
export const listImports = (limit: number, offset: number) =>
  call<http.ImportHistory>('GET', `/imports?${page(limit, offset)}`);
// GET /api/imports/:id
export const getImport = (id: string) => call<http.ImportOut>('GET', `/imports/${encodeURIComponent(id)}`);

/** A fresh v4 uuid (getRandomValues: the builder may be served over plain http on a LAN address). */
export function newUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * POST /api/imports/:kind with the file as text/csv. XMLHttpRequest, not fetch: only it reports
 * the upload's progress. A rejected file fails with the API's error (its details carry the row errors).
 */
export function uploadImport(
  kind: ImportKindName,
  file: File,
  importId: string,
  onProgress: (sent: number, total: number) => void,
): Promise<http.ImportOut> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = `importId=${importId}&fileName=${encodeURIComponent(file.name.slice(0, 200))}`;
    xhr.open('POST', `/api/imports/${kind}?${query}`);
    const key = storedKey();
    if (key) xhr.setRequestHeader('authorization', `Bearer ${key}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiRequestError(0, 'unreachable', 'the upload did not reach the engine'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as http.ImportOut);
      const e = (body as Partial<http.ApiErrorBody> | null)?.error;
      reject(
        e
          ? new ApiRequestError(e.status, e.code, e.message, e.path, e.details)
          : new ApiRequestError(xhr.status, 'http_error', xhr.statusText),
      );
    };
    xhr.send(file);
  });
}

// GET /api/schedules
export const listSchedules = (limit: number, offset: number) =>
  call<http.ScheduleIndex>('GET', `/schedules?${page(limit, offset)}`);
// GET /api/journeys/:id/schedules
export const journeySchedules = (journeyId: string) =>
  call<http.ScheduleList>('GET', `/journeys/${encodeURIComponent(journeyId)}/schedules`);
// POST /api/journeys/:id/schedules
export const createSchedule = (journeyId: string, body: http.ScheduleRequest) =>
  callOnce<http.Schedule>('POST', `/journeys/${encodeURIComponent(journeyId)}/schedules`, body);
// POST /api/schedules/:id/pause|resume, DELETE /api/schedules/:id
export const changeSchedule = (id: string, action: 'pause' | 'resume' | 'delete') =>
  action === 'delete'
    ? call<http.Schedule>('DELETE', `/schedules/${encodeURIComponent(id)}`)
    : call<http.Schedule>('POST', `/schedules/${encodeURIComponent(id)}/${action}`);

// GET /api/opt-outs
export const listOptOuts = (q: string, limit: number, offset: number) =>
  call<http.OptOutList>('GET', `/opt-outs?${page(limit, offset)}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
// POST /api/opt-outs/manual
export const addOptOut = (body: http.ManualOptOutRequest) => call<http.OptOut>('POST', '/opt-outs/manual', body);
// POST /api/opt-outs/:id/remove
export const removeOptOut = (id: string, reason: string) =>
  call<http.OptOut>('POST', `/opt-outs/${encodeURIComponent(id)}/remove`, { reason });
