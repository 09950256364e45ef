// `npm run worker`: the worker process. Connects to Temporal (embedded dev server unless
// TEMPORAL_ADDRESS is set), opens the database, and runs the interpreter workflows with the
// journey activities until SIGINT/SIGTERM, then drains in-flight tasks and closes everything.
// Production passes a prebuilt bundle (HUITOU_WORKFLOW_BUNDLE) so start-up skips webpack.
import { configOrReport, exitOnHelp, processLogger } from './cli.ts';
import { databaseConfigFrom, openDatabase } from './db/connect.ts';
import { createJourneyWorker } from './journey-worker.ts';
import { installTemporalRuntime } from './observability/temporal-runtime.ts';
import { connectTemporal } from './temporal/connect.ts';

exitOnHelp({
  command: 'npm run worker',
  summary:
    'Runs a journey worker: polls TEMPORAL_TASK_QUEUE on TEMPORAL_ADDRESS (or the embedded dev server) and runs the journey workflows and activities on the configured database until SIGINT/SIGTERM. HUITOU_TEMPORAL_METRICS=host:port serves the Temporal SDK metrics for Prometheus.',
});

async function main(): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  const logger = processLogger(config);
  const log = logger.for('worker');
  installTemporalRuntime(config, logger.for('temporal'));
  const db = await openDatabase({ ...databaseConfigFrom(config), log: logger.for('database') });
  const temporal = await connectTemporal(config, { log: logger.for('temporal') });
  try {
    const worker = await createJourneyWorker({ temporal, pool: db.pool, sms: config.sms, email: config.email, log });
    // worker.shutdown() stops polling and lets running activities finish before run() resolves.
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: shutting down`);
      if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
    log(`polling ${temporal.taskQueue} on ${temporal.address} (namespace ${temporal.namespace}), database ${db.kind}`);
    if (config.temporalMetricsAddress) log(`Temporal SDK metrics: http://${config.temporalMetricsAddress}/metrics`);
    await worker.run();
    log('stopped');
    return 0;
  } finally {
    await temporal.close();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[huitou worker] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
