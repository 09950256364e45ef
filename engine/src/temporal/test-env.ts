// The one helper workflow tests (and simulations) need: a Temporal server, a real SDK worker and
// client on it, and the server's sleep()/now(). The server is the embedded time-skipping one
// unless the caller brings another (the test lanes bring Temporal's own servers, tests/support).
import { Client, Connection, WorkflowClient } from '@temporalio/client';
import type {
  ClientOptions,
  WorkflowClientOptions,
  WorkflowResultOptions,
  WorkflowResultType,
} from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import type { InternalConnectionOptions } from '@temporalio/client/lib/connection.js';
import type { Workflow } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { WorkerOptions } from '@temporalio/worker';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { DevServer } from '@huitou/temporal-devserver';
import type { DevServerOptions } from '@huitou/temporal-devserver';
import { timestampToMs } from '@huitou/temporal-devserver/proto';

/** A Temporal server a test environment runs on. */
export interface TestServer {
  /** embedded | temporal | java-test-server */
  readonly kind: string;
  readonly address: string;
  /** The embedded server itself, when that is the one (its own tests look inside). */
  readonly embedded?: DevServer;
  /** The server's process id, when it runs in a process of its own. */
  readonly pid?: number;
  /** Whether sleep() skips time; on a real-time server it waits for real. */
  readonly timeSkipping: boolean;
  /** Lets `ms` of server time pass (skipping when idle). */
  sleep(ms: number): Promise<void>;
  /** The server's current time. */
  now(): number;
  /** Runs a long wait (a workflow's result) with time skipping unlocked, as the SDK's test client does. */
  unlockedWhile<T>(wait: () => Promise<T>): Promise<T>;
  shutdown(): Promise<void>;
}

export interface TestEnvOptions extends DevServerOptions {
  taskQueue?: string;
  /** Worker options (workflowsPath or workflowBundle, activities...); no worker when omitted. */
  worker?: Omit<WorkerOptions, 'connection' | 'taskQueue' | 'namespace'>;
  /** The server to run on (the environment shuts it down); an embedded time-skipping one when omitted. */
  server?: TestServer;
}

export interface TestEnv {
  server: TestServer;
  /** Its workflow client awaits results with time skipping unlocked (TestService). */
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  worker?: Worker;
  taskQueue: string;
  /** Lets `ms` of server time pass (skipping when idle). */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Another worker on the same server (e.g. a restarted one). */
  startWorker(
    options: Omit<WorkerOptions, 'connection' | 'namespace'>,
  ): Promise<{ worker: Worker; stop(): Promise<void> }>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** Quiet SDK logs in tests unless HUITOU_TEST_LOG is set. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      telemetryOptions: { logging: { forward: {} } },
      logger: new (class {
        log() {}
        trace() {}
        debug() {}
        info() {}
        warn(message: string, meta?: unknown) {
          if (process.env.HUITOU_TEST_LOG) console.warn(message, meta);
        }
        error(message: string, meta?: unknown) {
          if (process.env.HUITOU_TEST_LOG) console.error(message, meta);
        }
      })(),
    });
  } catch {
    // Already installed by an earlier environment in this process.
  }
}

export async function createTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  installQuietRuntime();
  const server = options.server ?? (await startEmbeddedTestServer(options));
  const taskQueue = options.taskQueue ?? `test-${Math.random().toString(36).slice(2)}`;
  const connection = await Connection.connect({ address: server.address });
  const client = new TestClient({ connection }, server);
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

/** The embedded server with a skipping clock, time locked but for sleeps and result waits. */
async function startEmbeddedTestServer(options: DevServerOptions): Promise<TestServer> {
  const dev = await DevServer.start({ timeSkipping: true, ...options });
  const time = await timeSkippingControl(dev.address, () => dev.now());
  return {
    kind: 'embedded',
    embedded: dev,
    address: dev.address,
    timeSkipping: true,
    sleep: (ms) => dev.sleep(ms),
    now: () => dev.now(),
    unlockedWhile: (wait) => time.unlockedWhile(wait),
    shutdown: async () => {
      await time.close();
      await dev.shutdown();
    },
  };
}

export interface TimeSkippingControl {
  /** LockTimeSkipping: one more lock (a server that starts unlocked gets the SDK's locked default). */
  lock(): Promise<void>;
  unlockedWhile<T>(wait: () => Promise<T>): Promise<T>;
  /** UnlockTimeSkippingWithSleep: `ms` of server time, skipping while idle. */
  sleep(ms: number): Promise<void>;
  /** GetCurrentTime. */
  currentTime(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Time skipping through a server's TestService, as the SDK's test environment drives it: time is
 * locked, and lifted while a client awaits a result (overlapping waits lift it once) or sleeps.
 * `onTimeMoved` runs after each wait, when time may have jumped.
 */
export async function timeSkippingControl(
  address: string,
  onTimeMoved: () => unknown = () => {},
): Promise<TimeSkippingControl> {
  // The SDK opens the TestService only on connections flagged this way (its own test environment's).
  const options: InternalConnectionOptions = {
    address,
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  };
  const connection = await Connection.connect(options);
  const service = connection.testService!;
  let waiting = 0;
  // Lock and unlock calls go out in order, so the server's lock count never dips below zero.
  let chain: Promise<unknown> = Promise.resolve();
  const inOrder = (call: () => Promise<unknown>) => (chain = chain.then(call, call));
  return {
    lock: async () => {
      await inOrder(() => service.lockTimeSkipping({}));
    },
    async unlockedWhile(wait) {
      if (waiting++ === 0) await inOrder(() => service.unlockTimeSkipping({}));
      try {
        return await wait();
      } finally {
        if (--waiting === 0) await inOrder(() => service.lockTimeSkipping({}));
        await onTimeMoved();
      }
    },
    async sleep(ms) {
      await service.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
      await onTimeMoved();
    },
    async currentTime() {
      return timestampToMs((await service.getCurrentTime({})).time);
    },
    close: () => connection.close(),
  };
}

/** A client whose workflow results are awaited with time skipping unlocked (the SDK test client's way). */
class TestClient extends Client {
  constructor(options: ClientOptions, server: TestServer) {
    super(options);
    const workflow = new TimeSkippingWorkflowClient(
      { connection: options.connection, namespace: options.namespace },
      server,
    );
    Object.defineProperty(this, 'workflow', { value: workflow });
  }
}

class TimeSkippingWorkflowClient extends WorkflowClient {
  constructor(
    options: WorkflowClientOptions,
    private readonly server: TestServer,
  ) {
    super(options);
  }

  override result<T extends Workflow>(
    workflowId: string,
    runId?: string,
    opts?: WorkflowResultOptions,
  ): Promise<WorkflowResultType<T>> {
    return this.server.unlockedWhile(() => super.result<T>(workflowId, runId, opts));
  }
}
