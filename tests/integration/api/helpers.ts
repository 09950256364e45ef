// An in-process API on a fresh database: keys for every role, a fetch helper, captured log lines.
import type { Role } from '@huitou/schemas/http';
import { roles } from '@huitou/schemas/http';
import type { Database } from '../../../engine/src/db/connect.ts';
import { loadConfig } from '../../../engine/src/config.ts';
import { createApiKey, ensureAdminKey } from '../../../engine/src/api/auth.ts';
import type { ApiDeps } from '../../../engine/src/api/deps.ts';
import { startApiServer } from '../../../engine/src/api/server.ts';
import type { ListenOptions } from '../../../engine/src/api/server.ts';
import { openTestDatabase } from '../db/test-database.ts';
import { createJourneyActivities } from '@huitou/activities';
import { createLaneTestEnv } from '../../support/temporal-lane.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { workflowBundle } from '../../workflows/support.ts';

export interface TestApi {
  db: Database;
  url: string;
  deps: ApiDeps;
  keys: Record<Role, string>;
  logs: string[];
  call(
    method: string,
    path: string,
    options?: { role?: Role | null; key?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Resolves once the events posted so far have been routed (the server routes after answering). */
  routed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `setup` runs on the fresh database before the server starts (e.g. a Temporal worker on its pool);
 * its `close` runs first on close. `listen` adds server options (the built UI for browser tests).
 */
export async function startTestApi(
  extra: Partial<ApiDeps> = {},
  setup?: (db: Database) => Promise<{ deps?: Partial<ApiDeps>; close?: () => Promise<void> }>,
  listen: Partial<ListenOptions> = {},
): Promise<TestApi> {
  const db = await openTestDatabase();
  const prepared = setup ? await setup(db) : {};
  extra = { ...extra, ...prepared.deps };
  const logs: string[] = [];
  const config = loadConfig({ TEMPORAL_TASK_QUEUE: extra.config?.temporal.taskQueue ?? 'huitou-api-test' });
  const deps: ApiDeps = {
    pool: db.pool,
    config,
    log: (m) => logs.push(m),
    bodyLimit: '64kb',
    // As main.ts: on Postgres an orders import is applied while it streams.
    applyImportsWhileStreaming: db.kind === 'postgres',
    ...extra,
  };
  const server = await startApiServer(deps, { port: 0, host: '127.0.0.1', scheduler: false, ...listen });
  const admin = await ensureAdminKey(db.pool);
  if (!admin) throw new Error('expected a first admin key');
  const keys = { admin: admin.key } as Record<Role, string>;
  for (const role of roles.filter((r) => r !== 'admin'))
    keys[role] = (await createApiKey(db.pool, { name: role, role })).key;

  const call: TestApi['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key ?? (options.role === null ? undefined : keys[options.role ?? 'admin']);
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(server.url + path, { method, headers, body });
    // As sent: a CSV export's byte order mark stays (res.text() would drop it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (CSV, HTML)
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };

  return {
    db,
    url: server.url,
    deps,
    keys,
    logs,
    call,
    routed: () => server.router.idle(),
    close: async () => {
      await server.close();
      await prepared.close?.();
      await db.close();
    },
  };
}

/** A small valid audience journey: everyone, wait two days, one SMS, exit. */
export const waitThenSms = {
  name: 'wait then sms',
  settings: { holdoutPercent: 0, sms: { signature: '【测试店】' } },
  nodes: [
    {
      id: 'entry',
      type: 'entry.audience',
      position: { x: 0, y: 0 },
      config: { segment: { where: { kind: 'all', of: [] }, exclude: [] } },
    },
    { id: 'wait', type: 'wait.delay', position: { x: 1, y: 0 }, config: { duration: { amount: 2, unit: 'days' } } },
    { id: 'tip', type: 'action.sms', position: { x: 2, y: 0 }, config: { template: '新品上架，进店看看' } },
    { id: 'exit', type: 'exit', position: { x: 3, y: 0 }, config: {} },
  ],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'wait' },
    { source: 'wait', sourcePort: 'out', target: 'tip' },
    { source: 'tip', sourcePort: 'out', target: 'exit' },
  ],
};

/** The next instant at `hour`:00 UTC strictly after `now` (e.g. 15:00 UTC = 23:00 in Shanghai, in quiet hours). */
export function nextUtcHour(now: number, hour: number): number {
  const d = new Date(now);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour);
  return at > now ? at : at + 86_400_000;
}

/** Polls `probe` until it returns something truthy (a condition the system reaches on its own time). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const auditActions = async (api: TestApi, entityId?: string): Promise<string[]> =>
  (
    await api.db.pool.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE ($1::text IS NULL OR entity_id = $1) ORDER BY id',
      [entityId ?? null],
    )
  ).rows.map((r) => r.action);

/**
 * The API on this lane's Temporal (the embedded time-skipping server by default) with the real
 * journey worker on the test database; `extra` e.g. pins the engine's clock.
 */
export async function startTestApiOnTemporal(
  extra: Partial<ApiDeps> = {},
  listen: Partial<ListenOptions> = {},
): Promise<{ api: TestApi; env: TestEnv }> {
  const bundle = await workflowBundle();
  let env: TestEnv | undefined;
  const api = await startTestApi(
    extra,
    async (db) => {
      const started = await createLaneTestEnv({
        worker: { workflowBundle: bundle, activities: createJourneyActivities({ pool: db.pool }) },
      });
      env = started;
      const config = loadConfig({ TEMPORAL_TASK_QUEUE: started.taskQueue });
      return { deps: { temporal: { client: started.client }, config }, close: () => started.shutdown() };
    },
    listen,
  );
  return { api, env: env as TestEnv };
}
