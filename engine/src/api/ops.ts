// What operators and their tools call, outside the route table (no API key): GET /api/ready (can
// this engine work now: Postgres and Temporal answer), GET /metrics (Prometheus; a bearer token
// when HUITOU_METRICS_TOKEN is set) and GET /api/docs/try-it (Swagger UI on /api/openapi.json,
// served from the installed swagger-ui-dist, so it works offline and sends nothing to a CDN).
import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express from 'express';
import type { ReadinessCheck, ReadyResponse } from '@huitou/schemas/http';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

/** A check slower than this fails: a load balancer must not hang on a stuck dependency. */
export const READY_TIMEOUT_MS = 3_000;
export const TRY_IT_PATH = '/api/docs/try-it';

export function mountOps(app: express.Express, deps: ApiDeps): void {
  app.get('/api/ready', async (_req, res) => {
    const body = await readiness(deps);
    res.status(body.ready ? 200 : 503).json(body);
  });

  app.get('/metrics', async (req, res, next) => {
    if (!deps.metrics) return next(new ApiError(404, 'not_found', 'metrics are not collected here', ['path']));
    if (deps.metricsToken !== undefined && !bearerMatches(req.get('authorization'), deps.metricsToken)) {
      return next(
        new ApiError(401, 'unauthorized', 'send Authorization: Bearer <HUITOU_METRICS_TOKEN>', [
          'headers',
          'authorization',
        ]),
      );
    }
    try {
      const text = await deps.metrics.registry.metrics();
      res.type(deps.metrics.registry.contentType).send(text);
    } catch (error) {
      next(error);
    }
  });

  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.use(`${TRY_IT_PATH}/assets`, express.static(assets, { index: false, maxAge: '1h' }));
  app.get(`${TRY_IT_PATH}/init.js`, (_req, res) => void res.type('js').send(TRY_IT_INIT));
  app.get(TRY_IT_PATH, (_req, res) => void res.type('html').send(TRY_IT_PAGE));
}

/** Both checks at once, each bounded by READY_TIMEOUT_MS. */
export async function readiness(deps: ApiDeps): Promise<ReadyResponse> {
  const [postgres, temporal] = await Promise.all([
    check(async () => {
      await deps.pool.query('SELECT 1');
    }),
    check(async () => {
      const client = deps.temporal?.client;
      if (!client) throw new Error('not connected');
      // The namespace the engine uses: a server that answers but lost it cannot run journeys.
      await client.workflowService.describeNamespace({ namespace: deps.config.temporal.namespace });
    }),
  ]);
  return { ready: postgres.ok && temporal.ok, checks: { postgres, temporal } };
}

async function check(probe: () => Promise<void>): Promise<ReadinessCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true, ms: elapsed(started) };
  } catch (error) {
    return { ok: false, ms: elapsed(started), error: shortReason(error) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Number((performance.now() - started).toFixed(1));

/**
 * The error's code (ECONNREFUSED, 28P01, UNAVAILABLE) or our own short message: an unauthenticated
 * caller learns which part failed, never a host name, user or connection string.
 */
function shortReason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(e.code)) return e.code;
  if (typeof e?.code === 'number') return `grpc status ${e.code}`;
  if (error instanceof Error && ['timed out', 'not connected'].includes(error.message)) return error.message;
  return 'failed';
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

const TRY_IT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Huitou API: try it</title>
<link rel="stylesheet" href="${TRY_IT_PATH}/assets/swagger-ui.css"></head>
<body><p style="font:14px system-ui,sans-serif;margin:1rem">Authorize with an API key (Bearer), then "Try it out".
The plain reference: <a href="/api/docs">/api/docs</a>.</p>
<div id="swagger-ui"></div>
<script src="${TRY_IT_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="${TRY_IT_PATH}/init.js"></script>
</body></html>`;

const TRY_IT_INIT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
`;
