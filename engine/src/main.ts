// `npm start`: the whole product on one machine. Postgres (PGlite unless DATABASE_URL), Temporal
// (the embedded durable dev server unless TEMPORAL_ADDRESS), the journey worker, the API and the
// builder UI; a demo shop on first start. Ctrl+C or SIGTERM shuts everything down in order, so
// running journeys go on after the next start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configOrReport, exitOnHelp, processLogger } from './cli.ts';
import { ensureAdminKey } from './api/auth.ts';
import { startApiServer } from './api/server.ts';
import { databaseConfigFrom, openDatabase } from './db/connect.ts';
import type { Database } from './db/connect.ts';
import { seedDemoShop } from './demo/seed.ts';
import { startImportSweep } from './imports/lease.ts';
import { createJourneyWorker } from './journey-worker.ts';
import { installTemporalRuntime } from './observability/temporal-runtime.ts';
import type { LogFn } from './observability/logger.ts';
import { smsProviderFrom } from './sms-provider.ts';
import { EMBEDDED_TEMPORAL_DIR, connectTemporal } from './temporal/connect.ts';

exitOnHelp({
  command: 'npm start',
  summary:
    'Runs the whole product on one machine: the database (PGlite unless DATABASE_URL), Temporal (the embedded dev server unless TEMPORAL_ADDRESS), a journey worker, the HTTP API (PORT) and the builder UI; a demo shop on first start (HUITOU_DEMO_CUSTOMERS, never with a real SMS provider). Ctrl+C stops it cleanly. Logs: readable on a terminal, JSON lines otherwise (HUITOU_LOG_FORMAT).',
});

// Until the configuration is read, and for what goes wrong outside it: plain lines on stderr.
let log: LogFn = (message) => console.log(`[huitou] ${message}`);
let fail: LogFn = (message) => console.error(`[huitou] ${message}`);
const uiDir = fileURLToPath(new URL('../../builder-ui/dist/', import.meta.url));

async function main(): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  const logger = processLogger(config);
  const engineLog = logger.for('engine');
  log = engineLog;
  fail = (message) => engineLog(message, 'error');
  installTemporalRuntime(config, logger.for('temporal'));

  // Registered before anything starts, so a Ctrl+C during start-up still shuts down cleanly.
  const stop = stopSignal();
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  try {
    const db = await openDatabase({ ...databaseConfigFrom(config), log: logger.for('database') });
    closers.push({ name: 'database', close: () => db.close() });
    log(
      `database: ${db.kind === 'pglite' ? `PGlite in ${join(config.dataDir, 'pglite')}` : 'Postgres (DATABASE_URL)'}`,
    );
    // Imports a crash interrupted are failed before anything else runs (PGlite: this process owns
    // the database, so every running one was; Postgres: those whose owner's lease ran out).
    const importSweep = startImportSweep(db.pool, {
      exclusive: db.kind === 'pglite',
      log: logger.for('imports'),
    });
    closers.push({ name: 'import sweep', close: async () => importSweep.stop() });
    await importSweep.first;
    // config.ts turns the demo shop off with a real provider: its made-up numbers must never be texted.
    if (config.sms.kind !== 'local') log(`no demo shop: SMS go to a real provider (${config.sms.kind})`);
    else if (config.email.smtpUrl) log('no demo shop: e-mails go to a real SMTP server');
    else await seedOnFirstStart(db, config.demoCustomers);

    const temporal = await connectTemporal(config, { log: logger.for('temporal') });
    closers.push({ name: 'temporal', close: () => temporal.close() });
    log(
      temporal.embedded
        ? `Temporal: embedded dev server on ${temporal.address}, data in ${join(config.dataDir, EMBEDDED_TEMPORAL_DIR)} (set TEMPORAL_ADDRESS for a real server)`
        : `Temporal: ${temporal.address} (namespace ${temporal.namespace})`,
    );

    const worker = await createJourneyWorker({
      temporal,
      pool: db.pool,
      sms: config.sms,
      email: config.email,
      log: logger.for('worker'),
    });
    const running = worker.run();
    closers.push({
      name: 'worker',
      close: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    });
    log(`worker: polling ${temporal.taskQueue}`);

    const ui = ensureUiBuilt();
    const admin = await ensureAdminKey(db.pool);
    const api = await startApiServer(
      {
        pool: db.pool,
        temporal,
        config,
        importIdleMs: config.importIdleMs,
        importLimitBytes: config.importLimitBytes,
        applyImportsWhileStreaming: db.kind === 'postgres',
        smsProvider: smsProviderFrom(config.sms, db.pool),
        metricsToken: config.metricsToken,
        log: logger.for('api'),
      },
      { port: config.port, uiDir: ui },
    );
    closers.push({ name: 'api', close: () => api.close() });
    if (admin) log(`admin API key (shown once, keep it): ${admin.key}`);
    log(`builder: ${ui ? `${api.url}/` : 'not built (npm run build -w @huitou/builder-ui)'}`);
    log(`API docs: ${api.url}/api/docs`);
    log(`try the API: ${api.url}/api/docs/try-it`);
    log(`readiness: ${api.url}/api/ready, metrics: ${api.url}/metrics${config.metricsToken ? ' (bearer token)' : ''}`);
    if (config.temporalMetricsAddress) log(`Temporal SDK metrics: http://${config.temporalMetricsAddress}/metrics`);
    log('running; press Ctrl+C to stop');
  } catch (error) {
    fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    await closeAll(closers);
    return 1;
  }

  const signal = await stop;
  log(`${signal} received, shutting down`);
  await closeAll(closers);
  log('stopped');
  return 0;
}

/** A newcomer gets a realistic shop to play with; an existing database is never touched. */
async function seedOnFirstStart(db: Database, customers: number): Promise<void> {
  if (customers <= 0) return;
  const { rows } = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM customers LIMIT 1) x',
  );
  if (rows[0].n > 0) return;
  log(`seeding the demo shop (${customers} customers; HUITOU_DEMO_CUSTOMERS=0 to skip)...`);
  let shown = 0;
  const result = await seedDemoShop(db.pool, {
    customers,
    onProgress: (p) => {
      const pct = Math.floor((p.customers / customers) * 100);
      if (pct >= shown + 25) log(`  ${(shown = pct - (pct % 25))}%`);
    },
  });
  log(`demo shop: ${result.customers} customers, ${result.orders} orders in ${(result.elapsedMs / 1000).toFixed(1)} s`);
}

/** Builds the builder UI on first start (a few seconds); undefined if it cannot be built. */
function ensureUiBuilt(): string | undefined {
  if (existsSync(join(uiDir, 'index.html'))) return uiDir;
  log('building the builder UI (first start only)...');
  // From the repository root, so it also works when the engine is started from another folder.
  const built = spawnSync('npm', ['run', 'build', '-w', '@huitou/builder-ui'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return built.status === 0 && existsSync(join(uiDir, 'index.html')) ? uiDir : undefined;
}

/** Closes in reverse start order: API, worker (drains running tasks), Temporal, database. */
async function closeAll(closers: { name: string; close: () => Promise<unknown> }[]): Promise<void> {
  for (const { name, close } of closers.reverse()) {
    try {
      await close();
    } catch (error) {
      fail(`closing ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Resolves on the first SIGINT/SIGTERM and keeps the process alive until then; a second one forces exit. */
function stopSignal(): Promise<NodeJS.Signals> {
  // Remote connections alone do not hold the event loop open.
  const keepAlive = setInterval(() => {}, 1 << 30);
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      process.once('SIGINT', forceExit).once('SIGTERM', forceExit);
      resolve(signal);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}

function forceExit(signal: NodeJS.Signals): void {
  fail(`${signal} again: exiting without a clean shutdown`);
  process.exit(130);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
