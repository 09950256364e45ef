// Listens with the app; close() stops accepting and ends keep-alive connections.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { startEventSweep } from '../events/reroute.ts';
import { createEventRouter } from '../events/router.ts';
import type { EventRouter } from '../events/router.ts';
import { maskedLog } from './log.ts';
import { createMetrics } from '../observability/metrics.ts';
import { startScheduler } from '../scheduler/schedule.ts';

export interface ApiServer {
  readonly server: Server;
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** Routes the events POST /api/events accepted (tests await router.idle()). */
  readonly router: EventRouter;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host?: string;
  /** Start runs scheduled for later (default true; every 5 s). */
  scheduler?: boolean;
  /** Re-route events left unprocessed (Temporal was unavailable) (default: as `scheduler`; every 5 s). */
  eventSweep?: boolean;
  /** Serve this folder (the built builder UI) at `/`, with index.html for client-side routes. */
  uiDir?: string;
}

export async function startApiServer(input: ApiDeps, options: ListenOptions): Promise<ApiServer> {
  // Its own router always: deps passed on from another server must not route through that one's.
  // One set of counters for the router and the app, so /metrics sees what the router routed.
  const metrics = input.metrics ?? createMetrics(input.pool);
  const router = createEventRouter({ ...input, metrics, log: maskedLog(input.log) });
  const deps: ApiDeps = { ...input, metrics, eventRouter: router };
  const app = createApp(deps);
  if (options.uiDir) serveUi(app, options.uiDir);
  const host = options.host ?? '0.0.0.0';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const stopScheduler = options.scheduler === false ? () => Promise.resolve() : startScheduler(deps);
  const stopEventSweep =
    (options.eventSweep ?? options.scheduler) === false ? () => Promise.resolve() : startEventSweep(deps);
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    router,
    close: async () => {
      await Promise.all([stopScheduler(), stopEventSweep(), router.close()]);
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function serveUi(app: express.Express, dir: string): void {
  app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
  // Anything that is not the API falls back to the single-page app. The build links its assets
  // relatively, so a deep link (/journeys/7/report) needs a <base> or the reload comes up blank.
  app.get(/^\/(?!api(\/|$)).*/, (_req, res, next) => {
    readFile(join(dir, 'index.html'), 'utf8').then(
      (html) => res.type('html').set('Cache-Control', 'no-cache').send(withRootBase(html)),
      next,
    );
  });
}

function withRootBase(html: string): string {
  return html.includes('<base ') ? html : html.replace(/<head>/i, '<head><base href="/">');
}
