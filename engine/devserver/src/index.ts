// The embedded Temporal dev server: Temporal's frontend gRPC API (the part the SDK and this
// project use) served in-process on 127.0.0.1, with a real-time or a time-skipping clock, in memory
// or durable in a data directory. Production uses a real Temporal server instead.
import * as grpc from '@grpc/grpc-js';
import type { Clock } from './clock.js';
import { RealClock, SkippingClock } from './clock.js';
import { DataDirLock } from './data-dir-lock.js';
import { Engine } from './engine.js';
import { Code, RpcError } from './errors.js';
import { Journal } from './journal.js';
import { durationToMs, msToTimestamp, serviceDefinition, timestampToMs } from './proto.js';
import { recover } from './recovery.js';
import { Store } from './store.js';
import type { UnaryHandler } from './workflow-service.js';
import { WorkflowServiceHandlers, wrapGrpc } from './workflow-service.js';

export interface DevServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Time skipping (tests, simulations) instead of wall-clock time. */
  timeSkipping?: boolean;
  /** Persist to and recover from this directory; in memory when unset. */
  dataDir?: string;
  /** How long closed runs stay visible (wall-clock ms). Default 24 h. */
  retentionMs?: number;
  namespaces?: string[];
  log?: (message: string) => void;
}

export class DevServer {
  private constructor(
    private readonly grpcServer: grpc.Server,
    readonly engine: Engine,
    readonly clock: Clock,
    private readonly handlers: WorkflowServiceHandlers,
    private readonly time: TimeLock,
    private readonly lock: DataDirLock | undefined,
    readonly port: number,
    readonly host: string,
  ) {}

  /** The server's current time (virtual under time skipping). */
  now(): number {
    return this.clock.now();
  }

  /** Waits `ms` of server time, letting time skip meanwhile (the TestService's UnlockTimeSkippingWithSleep). */
  sleep(ms: number): Promise<void> {
    return unlockedSleep(this.clock, this.time, ms);
  }

  /**
   * Why time cannot skip now: the locks held and each busy run's workflow task and unfinished
   * activities. For a test that waits on a clock running at wall-clock pace.
   */
  busyReport(): string[] {
    const lines = [`time locks ${this.time.locks}, unlocked sleeps/waits ${this.time.unlockers}`];
    if (this.engine.queries.pendingCount() > 0) lines.push(`queries pending: ${this.engine.queries.pendingCount()}`);
    for (const run of this.engine.store.busyRuns()) {
      const parts = [];
      if (run.wft) parts.push(`workflow task ${run.wft.state} (attempt ${run.wft.attempt})`);
      for (const a of run.activities.values())
        if (a.state !== 'backoff') parts.push(`activity ${a.activityType} ${a.state} (attempt ${a.attempt})`);
      const failed = run.events.findLast((e) => e.workflowTaskFailedEventAttributes);
      const why = failed?.workflowTaskFailedEventAttributes?.failure?.message;
      if (why) parts.push(`its workflow task failed: ${why}`);
      lines.push(`${run.workflowId}: ${parts.join(', ')}`);
    }
    return lines;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(options: DevServerOptions = {}): Promise<DevServer> {
    const host = options.host ?? '127.0.0.1';
    const log = options.log ?? ((m: string) => console.warn(`[temporal-dev] ${m}`));
    // Lock the data directory before touching its journal; read and compact it before opening it
    // for appends (compaction replaces the file).
    const lock = options.dataDir ? DataDirLock.acquire(options.dataDir) : undefined;
    const cleanups: (() => void)[] = [() => lock?.release()];
    try {
      const records = options.dataDir ? Journal.compact(options.dataDir, Journal.read(options.dataDir)) : [];
      const journal = options.dataDir ? new Journal(options.dataDir) : undefined;
      const time: TimeLock = { locks: 1, unlockers: 0, changed: () => {} };
      const engineRef: { current?: Engine } = {};
      const canSkip = () =>
        time.locks - time.unlockers <= 0 && engineRef.current !== undefined && engineRef.current.isIdle();
      const clock: Clock = options.timeSkipping ? new SkippingClock(canSkip) : new RealClock();
      const onStateChange = clock instanceof SkippingClock ? () => clock.maybeSkip() : () => {};
      time.changed = onStateChange;
      const store = new Store(options.namespaces ?? ['default'], options.retentionMs ?? 24 * 3600 * 1000, journal);
      cleanups.push(
        () => store.close(),
        () => clock.close(),
      );
      const engine = new Engine(clock, store, { onStateChange });
      engineRef.current = engine;
      if (records.length > 0) {
        const count = recover(engine, records);
        log(`recovered ${count} workflow runs from ${options.dataDir}`);
      }

      const handlers = new WorkflowServiceHandlers(engine);
      const server = new grpc.Server({
        'grpc.max_receive_message_length': 128 * 1024 * 1024,
        'grpc.max_send_message_length': 128 * 1024 * 1024,
        'grpc.enable_channelz': 0,
      });
      cleanups.push(() => server.forceShutdown());
      const onError = (err: unknown) => log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
      server.addService(
        serviceDefinition('temporal.api.workflowservice.v1.WorkflowService'),
        implement(handlers, 'temporal.api.workflowservice.v1.WorkflowService', log, onError),
      );
      server.addService(
        serviceDefinition('temporal.api.operatorservice.v1.OperatorService'),
        implement(
          {
            ListSearchAttributes: () => ({ customAttributes: {}, systemAttributes: {}, storageSchema: {} }),
            AddSearchAttributes: () => ({}),
          },
          'temporal.api.operatorservice.v1.OperatorService',
          log,
          onError,
        ),
      );
      server.addService(
        serviceDefinition('temporal.api.testservice.v1.TestService'),
        implement(testService(clock, time), 'temporal.api.testservice.v1.TestService', log, onError),
      );
      const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
          err ? reject(err) : resolve(p),
        );
      });
      return new DevServer(server, engine, clock, handlers, time, lock, port, host);
    } catch (err) {
      for (const cleanup of cleanups.reverse()) cleanup();
      throw err;
    }
  }

  async shutdown(): Promise<void> {
    this.handlers.releaseAllPollers();
    this.engine.queries.close();
    this.clock.close();
    this.engine.store.close();
    await new Promise<void>((resolve) => this.grpcServer.tryShutdown(() => resolve()));
    this.grpcServer.forceShutdown();
    this.lock?.release();
  }
}

/** Registers every method of the service; those without a handler answer UNIMPLEMENTED (logged once). */
function implement(
  handlers: object,
  serviceName: string,
  log: (m: string) => void,
  onError: (e: unknown) => void,
): grpc.UntypedServiceImplementation {
  const definition = serviceDefinition(serviceName);
  const impl: grpc.UntypedServiceImplementation = {};
  const warned = new Set<string>();
  for (const method of Object.keys(definition)) {
    const handler = (handlers as Record<string, unknown>)[method];
    if (typeof handler === 'function') {
      const bound = (handler as UnaryHandler).bind(handlers);
      // HUITOU_DEVSERVER_TRACE=1 logs every call: the quickest way to see what an SDK expects.
      const traced: UnaryHandler = process.env.HUITOU_DEVSERVER_TRACE
        ? (req, ctx) => {
            log(`-> ${method}`);
            return bound(req, ctx);
          }
        : bound;
      impl[method] = wrapGrpc(traced, onError);
    } else {
      impl[method] = wrapGrpc(() => {
        if (!warned.has(method)) {
          warned.add(method);
          log(`unimplemented RPC called: ${serviceName}/${method}`);
        }
        throw new RpcError(Code.UNIMPLEMENTED, `${method} is not implemented by the embedded dev server`);
      }, onError);
    }
  }
  return impl;
}

/**
 * Time-skipping locks, as in Temporal's test server: time is locked by default; explicit unlocks
 * (the SDK's test client unlocks around result()) and unlocked sleeps each lift one lock while they last.
 */
interface TimeLock {
  locks: number;
  unlockers: number;
  changed: () => void;
}

const sleepUntil = (clock: Clock, atMs: number) => new Promise<void>((resolve) => clock.schedule(atMs, resolve));

async function unlockedSleep(clock: Clock, time: TimeLock, ms: number): Promise<void> {
  time.unlockers++;
  time.changed();
  try {
    await sleepUntil(clock, clock.now() + ms);
  } finally {
    time.unlockers--;
    time.changed();
  }
}

function testService(clock: Clock, time: TimeLock): object {
  return {
    LockTimeSkipping: () => {
      time.locks++;
      time.changed();
      return {};
    },
    UnlockTimeSkipping: () => {
      if (time.locks <= 0) throw new RpcError(Code.FAILED_PRECONDITION, 'time skipping is already unlocked');
      time.locks--;
      time.changed();
      return {};
    },
    UnlockTimeSkippingWithSleep: async (req: { duration?: object | null }) => {
      await unlockedSleep(clock, time, durationToMs(req.duration as never));
      return {};
    },
    Sleep: async (req: { duration?: object | null }) => {
      await sleepUntil(clock, clock.now() + durationToMs(req.duration as never));
      return {};
    },
    SleepUntil: async (req: { timestamp?: object | null }) => {
      await sleepUntil(clock, timestampToMs(req.timestamp as never));
      return {};
    },
    GetCurrentTime: () => ({ time: msToTimestamp(clock.now()) }),
  };
}
