// `npm run worker`: the worker process. Connects to Temporal (embedded dev server unless
// TEMPORAL_ADDRESS is set), opens the database, and runs the interpreter workflows with the
// journey activities until SIGINT/SIGTERM, then drains in-flight tasks and closes everything.
// Production passes a prebuilt bundle (HUITOU_WORKFLOW_BUNDLE) so start-up skips webpack.
import { ConfigError, loadConfig } from './config.ts';
import { databaseConfigFrom, openDatabase } from './db/connect.ts';
import { createJourneyWorker } from './journey-worker.ts';
import { connectTemporal } from './temporal/connect.ts';

const log = (message: string) => console.log(`[huitou worker] ${message}`);

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const db = await openDatabase({ ...databaseConfigFrom(config), log });
  const temporal = await connectTemporal(config, { log });
  try {
    const worker = await createJourneyWorker({ temporal, pool: db.pool, sms: config.sms, log });
    // worker.shutdown() stops polling and lets running activities finish before run() resolves.
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: shutting down`);
      if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
    log(`polling ${temporal.taskQueue} on ${temporal.address} (namespace ${temporal.namespace}), database ${db.kind}`);
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
