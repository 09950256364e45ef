// The one helper workflow tests (and simulations) need: an embedded time-skipping server, a real
// SDK worker and client on it, and the server's sleep()/now().
import { Client, Connection } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { DevServer } from './devserver/index.js';
import type { DevServerOptions } from './devserver/index.js';

export interface TestEnvOptions extends DevServerOptions {
  taskQueue?: string;
  /** Worker options (workflowsPath or workflowBundle, activities...); no worker when omitted. */
  worker?: Omit<WorkerOptions, 'connection' | 'taskQueue' | 'namespace'>;
}

export interface TestEnv {
  server: DevServer;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  worker?: Worker;
  taskQueue: string;
  /** Lets `ms` of server time pass (skipping when idle). */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Another worker on the same server (e.g. a restarted one). */
  startWorker(options: Omit<WorkerOptions, 'connection' | 'namespace'>): Promise<{ worker: Worker; stop(): Promise<void> }>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** Quiet SDK logs in tests unless HUITOU_TEST_LOG is set. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ telemetryOptions: { logging: { forward: {} } }, logger: new (class {
      log() {}
      trace() {}
      debug() {}
      info() {}
      warn(message: string, meta?: unknown) { if (process.env.HUITOU_TEST_LOG) console.warn(message, meta); }
      error(message: string, meta?: unknown) { if (process.env.HUITOU_TEST_LOG) console.error(message, meta); }
    })() });
  } catch {
    // Already installed by an earlier environment in this process.
  }
}

export async function createTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  installQuietRuntime();
  const server = await DevServer.start({ timeSkipping: true, ...options });
  const taskQueue = options.taskQueue ?? `test-${Math.random().toString(36).slice(2)}`;
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const workers: { stop(): Promise<void> }[] = [];

  const startWorker: TestEnv['startWorker'] = async (workerOptions) => {
    const worker = await Worker.create({ connection: nativeConnection, namespace: 'default', ...workerOptions });
    const running = worker.run();
    const handle = {
      worker,
      stop: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    };
    workers.push(handle);
    return handle;
  };

  const main = options.worker ? await startWorker({ taskQueue, ...options.worker }) : undefined;
  return {
    server,
    client,
    connection,
    nativeConnection,
    worker: main?.worker,
    taskQueue,
    sleep: (ms) => server.sleep(ms),
    now: () => server.now(),
    startWorker,
    shutdown: async () => {
      for (const w of workers) await w.stop().catch(() => {});
      await connection.close();
      await nativeConnection.close();
      await server.shutdown();
    },
  };
}
