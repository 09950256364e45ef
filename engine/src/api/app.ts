// The Express app, built from injected deps: tests run it in process; server.ts listens.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { allows } from '@huitou/schemas/http';
import { authenticate } from './auth.ts';
import type { Principal } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError, errorHandler, fromZod } from './errors.ts';
import { createEventIntake } from '../events/intake.ts';
import { assertCleanInput, verifyJsonDepth } from './input-hygiene.ts';
import { keyUsageRecorder } from './key-usage.ts';
import { maskedLog, requestIdOf, requestLog } from './log.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { mountOps } from './ops.ts';
import { mountEmailUnsubscribe } from './email-unsubscribe.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { Route } from './route.ts';
import { CSV_BOM, RawResponse, WithStatus } from './route.ts';
import { IDEMPOTENCY_HEADER, beginIdempotent, finishIdempotent, idempotencyOf } from './idempotency.ts';
import { apiRoutes } from './routes/index.ts';

export type { ApiDeps } from './deps.ts';

export function createApp(input: ApiDeps): express.Express {
  const deps: ApiDeps = {
    ...input,
    log: maskedLog(input.log),
    eventIntake: input.eventIntake ?? createEventIntake(input.pool),
    metrics: input.metrics ?? createMetrics(input.pool),
  };
  const routes = apiRoutes();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // No ETag on API answers: express hashed every body, POSTs included (1,000 events/s = 1,000
  // hashes a second), while the answers are computed per request and no client sends If-None-Match.
  app.set('etag', false);
  app.use(requestLog(deps.log));

  const document = openApiDocument(routes);
  app.get('/api/health', (_req, res) => void res.json({ ok: true }));
  app.get('/api/openapi.json', (_req, res) => void res.json(document));
  app.get('/api/docs', (_req, res) => void res.type('html').send(docsPage(document)));
  mountOps(app, deps);
  mountEmailUnsubscribe(app, deps);

  const json = express.json({ limit: deps.bodyLimit ?? '1mb', strict: true, verify: verifyJsonDepth });
  const usage = keyUsageRecorder(deps.pool, { now: deps.now, log: deps.log });
  const auth = authenticate(deps.pool, usage);
  const callbackAuth = authenticate(deps.pool, usage, { keyInQuery: true });
  // One router per resource (/api/journeys, /api/events, …): a request is matched against its own
  // resource's routes, not all hundred in turn (at 1,000 events/s that walk was ~3% of the engine's time).
  const resources = new Map<string, express.Router>();
  for (const r of routes) {
    const resource = r.path.split('/').slice(0, 3).join('/');
    let router = resources.get(resource);
    if (!router) {
      router = express.Router();
      resources.set(resource, router);
      app.use(resource, router);
    }
    const path = r.path.slice(resource.length) || '/';
    router[r.method](path, r.keyInQuery ? callbackAuth : auth, authorize(r), requireJson(r), json, handle(r, deps));
  }

  app.use('/api', (req, _res, next) =>
    // The path is not repeated: it may carry personal data (a phone number typed into a URL).
    next(new ApiError(404, 'not_found', `no such route: see /api/docs for the routes`, ['path'])),
  );
  app.use(errorHandler(deps.log));
  return app;
}

function authorize(r: Route) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const principal = res.locals.principal as Principal;
    if (!allows(principal.role, r.permission)) {
      return next(new ApiError(403, 'forbidden', `role ${principal.role} may not ${r.permission}`, []));
    }
    next();
  };
}

/** A body sent as anything but JSON would reach the handler as undefined: say why instead. */
function requireJson(r: Route) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (r.body && hasBody && !req.is('application/json')) {
      return next(
        new ApiError(415, 'unsupported_media_type', 'send the body as application/json', ['headers', 'content-type']),
      );
    }
    next();
  };
}

function handle(r: Route, deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const parse = (schema: Route['params'], value: unknown, where: 'body' | 'query' | 'params') => {
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (!result.success) throw fromZod(result.error, where);
      return result.data;
    };
    assertCleanInput(req.params, ['params']);
    assertCleanInput(req.query, ['query']);
    assertCleanInput(req.body, ['body']);
    const params = parse(r.params, { ...req.params }, 'params');
    const query = parse(r.query, { ...(req.query as object) }, 'query');
    const body = parse(r.body, req.body, 'body');
    const principal = res.locals.principal as Principal;
    const begun = r.idempotent
      ? await beginIdempotent(deps.pool, {
          principal,
          route: `${r.method.toUpperCase()} ${r.path}`,
          header: req.get(IDEMPOTENCY_HEADER),
          params,
          body,
        })
      : {};
    if ('replay' in begun) {
      res.set('Idempotent-Replayed', 'true');
      res.status(begun.replay.status).json(begun.replay.body);
      return;
    }
    const idempotency = idempotencyOf(begun.ref);
    const result = await r.handler({ params, query, body, principal, deps, req, res, idempotency });

    if (result instanceof RawResponse) {
      res.status(r.status ?? 200).type(result.contentType);
      if (result.filename) res.attachment(result.filename);
      // Excel reads a CSV as the system's code page (GBK on a Chinese Windows) unless it opens with a BOM.
      res.send(result.contentType.startsWith('text/csv') ? CSV_BOM + result.body : result.body);
      return;
    }
    const [status, value] = result instanceof WithStatus ? [result.status, result.body] : [r.status ?? 200, result];
    // The response schema is the contract: a handler returning something else is our bug, and
    // stripping unknown keys keeps internals (hashes, raw rows) from leaking.
    const checked = r.response.safeParse(value);
    if (!checked.success) {
      deps.log(
        `response of ${r.method.toUpperCase()} ${r.path} does not match its schema: ${checked.error.message}`,
        'error',
        { requestId: requestIdOf(res) },
      );
      throw new ApiError(500, 'invalid_response', 'internal error: the response did not match its schema');
    }
    // A concurrent request with the same key may have answered first: all of them answer alike.
    const answer = await finishIdempotent(deps.pool, begun.ref, { status, body: checked.data });
    res.status(answer.status).json(answer.body);
  };
}
