// `npm start`: the whole product on one machine. Pieces land issue by issue; today it reads the
// configuration, brings up Temporal (embedded unless TEMPORAL_ADDRESS says otherwise) and keeps it
// running until Ctrl+C or SIGTERM, then closes everything so the durable journal ends cleanly.
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { EMBEDDED_TEMPORAL_DIR, connectTemporal } from './temporal/connect.ts';

const log = (message: string) => console.log(`[huitou] ${message}`);
const fail = (message: string) => console.error(`[huitou] ${message}`);

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
    return 1;
  }

  // Registered before anything starts, so a Ctrl+C during start-up still shuts down cleanly.
  const stop = stopSignal();
  let temporal;
  try {
    temporal = await connectTemporal(config, { log: (m) => log(`temporal: ${m}`) });
  } catch (error) {
    fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  if (temporal.embedded) {
    log(`Temporal: embedded dev server on ${temporal.address} (namespace ${temporal.namespace}), data in ${join(config.dataDir, EMBEDDED_TEMPORAL_DIR)}`);
    log('         set TEMPORAL_ADDRESS to use a real Temporal server instead');
  } else {
    const security = config.temporal.clientCert ? 'mTLS' : config.temporal.tls ? 'TLS' : 'plaintext';
    log(`Temporal: ${temporal.address} (namespace ${temporal.namespace}, ${security}${config.temporal.apiKey ? ', API key' : ''})`);
  }
  log(`task queue ${temporal.taskQueue}; the API (port ${config.port}), the worker and the builder UI land with the next issues`);
  log('running; press Ctrl+C to stop');

  const signal = await stop;
  log(`${signal} received, shutting down`);
  await temporal.close();
  log('stopped');
  return 0;
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
