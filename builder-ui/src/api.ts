/**
 * The builder's only door to the engine. Each function is one future `/api/...` call; until the
 * API is ready they run against `@huitou/schemas` and localStorage, with the same async shapes, so
 * switching is a change inside this file only.
 */
import type { GraphError, JourneyGraphInput, ValidationResult } from '@huitou/schemas';
import { compileJourney, journeyTemplates, validateJourney } from '@huitou/schemas';

export interface TemplateSummary {
  readonly id: string;
  readonly nodeCount: number;
  readonly smsCount: number;
}

export interface PublishedVersion {
  readonly version: number;
  readonly hash: string;
  readonly publishedAt: string;
  readonly graph: JourneyGraphInput;
}

export type PublishResult = { readonly ok: true; readonly version: PublishedVersion } | { readonly ok: false; readonly errors: readonly GraphError[] };

export type RunStatus = 'running' | 'paused' | 'draining' | 'stopped';
export interface RunInfo {
  readonly runId: string;
  readonly version: number;
  readonly status: RunStatus;
  readonly startedAt: string;
}

const KEYS = { draft: 'huitou.draft', versions: 'huitou.versions', runs: 'huitou.runs' } as const;

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  localStorage.setItem(key, JSON.stringify(value));
}

// GET /api/templates
export async function listTemplates(): Promise<TemplateSummary[]> {
  return Object.entries(journeyTemplates).map(([id, graph]) => ({
    id,
    nodeCount: graph.nodes.length,
    smsCount: graph.nodes.filter((n) => n.type === 'action.sms').length,
  }));
}

// GET /api/templates/:id
export async function getTemplate(id: string): Promise<JourneyGraphInput> {
  const graph = journeyTemplates[id];
  if (graph === undefined) throw new Error(`unknown template ${id}`);
  return structuredClone(graph);
}

// GET /api/journeys/:id/draft
export async function loadDraft(): Promise<JourneyGraphInput | null> {
  return read<JourneyGraphInput | null>(KEYS.draft, null);
}

// PUT /api/journeys/:id/draft
export async function saveDraft(graph: JourneyGraphInput): Promise<{ savedAt: string }> {
  write(KEYS.draft, graph);
  return { savedAt: new Date().toISOString() };
}

// POST /api/journeys/validate (the server runs the same compiler the canvas runs live)
export async function validate(graph: JourneyGraphInput): Promise<ValidationResult> {
  return validateJourney(graph);
}

// POST /api/journeys/:id/publish: compiles to an immutable version, or returns the errors.
export async function publish(graph: JourneyGraphInput): Promise<PublishResult> {
  const compiled = compileJourney(graph);
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  const versions = read<PublishedVersion[]>(KEYS.versions, []);
  const version: PublishedVersion = {
    version: versions.length + 1,
    hash: compiled.plan.hash,
    publishedAt: new Date().toISOString(),
    graph: structuredClone(graph),
  };
  write(KEYS.versions, [...versions, version]);
  return { ok: true, version };
}

// GET /api/journeys/:id/versions
export async function listVersions(): Promise<PublishedVersion[]> {
  return read<PublishedVersion[]>(KEYS.versions, []);
}

// POST /api/journeys/:id/simulate: needs the engine's time-skipping sandbox.
export async function simulate(_graph: JourneyGraphInput): Promise<never> {
  throw new Error('simulation needs the engine API');
}

// POST /api/journeys/:id/runs
export async function startRun(version: number): Promise<RunInfo> {
  const run: RunInfo = { runId: `run_${Date.now().toString(36)}`, version, status: 'running', startedAt: new Date().toISOString() };
  write(KEYS.runs, [...read<RunInfo[]>(KEYS.runs, []), run]);
  return run;
}

async function setRunStatus(runId: string, status: RunStatus): Promise<RunInfo> {
  const runs = read<RunInfo[]>(KEYS.runs, []);
  const run = runs.find((r) => r.runId === runId);
  if (run === undefined) throw new Error(`unknown run ${runId}`);
  const updated = { ...run, status };
  write(KEYS.runs, runs.map((r) => (r.runId === runId ? updated : r)));
  return updated;
}

// POST /api/runs/:id/pause | resume | drain | stop
export const pauseRun = (runId: string) => setRunStatus(runId, 'paused');
export const resumeRun = (runId: string) => setRunStatus(runId, 'running');
export const drainRun = (runId: string) => setRunStatus(runId, 'draining');
export const stopRun = (runId: string) => setRunStatus(runId, 'stopped');

// GET /api/runs
export async function listRuns(): Promise<RunInfo[]> {
  return read<RunInfo[]>(KEYS.runs, []);
}
