// `npm run bench:devserver`: the embedded Temporal dev server next to Temporal's own dev server
// (go.temporal.io/server in development mode, SQLite in memory: tools/temporal-server), the same
// workload on each, with the real SDK worker and client. Prints a table; not a test (no
// thresholds are asserted).
//   a) workflows with one activity, completed per second
//   b) timers in real time: every run sleeps until one common instant, at least BENCH_TIMER_MS
//      after the last start, then completes; timers fired and runs completed per second, from
//      that instant to the last result. The embedded server's time-skipping figure is an extra line.
//   c) memory after BENCH_MEMORY_RUNS completed workflows: embedded, the heap the server retains
//      and this process's RSS (server, worker and client); real, the server process's RSS.
// Both servers get a fresh instance per phase, the same worker tuning and a warm-up before (a)
// and (b). Sizes: BENCH_RUNS, BENCH_TIMERS, BENCH_TIMER_MS, BENCH_MEMORY_RUNS, BENCH_IN_FLIGHT.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DevServer } from '@huitou/temporal-devserver';
import { timeSkippingControl } from '../../engine/src/temporal/test-env.ts';
import { startReferenceServer } from '../support/temporal-lane.ts';
import * as activities from '../../engine/devserver/tests/activities.ts';

const THROUGHPUT_RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const TIMER_RUNS = Number(process.env.BENCH_TIMERS ?? 1000);
/** The shortest real-time timer (the last run started sleeps about this long). */
const TIMER_MS = Number(process.env.BENCH_TIMER_MS ?? 1000);
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 10_000);
/** Workflows in flight at once: enough to keep every worker slot busy. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const WARM_UP_RUNS = 200;
const DAY = 24 * 3600 * 1000;

// Measured on the 2-core machine with the embedded server: the SDK's workflow thread is the
// busiest part, so a second one helps; more task slots, pollers or cache did not change the
// figures. The same for both servers; sticky execution (the SDK's default cache) stays on.
const workerTuning = { workflowThreadPoolSize: 2 };
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Kind = 'embedded' | 'real';
const title: Record<Kind, string> = { embedded: 'embedded', real: 'Temporal dev server' };

/** label -> figure per server; kept in insertion order for the table. */
const table = new Map<string, Partial<Record<Kind, string>>>();
function report(kind: Kind, label: string, value: string): void {
  table.set(label, { ...table.get(label), [kind]: value });
  console.log(`  ${title[kind]}: ${label}: ${value}`);
}
/** Headline rates, for the ratios. */
const rates: Partial<Record<'workflows' | 'timers', Partial<Record<Kind, number>>>> = {};

/** Runs `count` jobs with at most `limit` in flight; returns elapsed wall seconds. */
async function timed(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

// Temporal's server runs as a child process: it is stopped in a finally, and killed on exit or a
// signal should anything get past that.
const children = new Set<number>();
const killChildren = () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/** Resident set size now and at its peak (VmRSS, VmHWM) of a process, in bytes. */
function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface Server {
  address: string;
  /** The server's own process (Temporal's server). */
  pid?: number;
  /** The embedded server itself. */
  embedded?: DevServer;
  shutdown(): Promise<void>;
}

async function startServer(kind: Kind, timeSkipping: boolean): Promise<Server> {
  if (kind === 'embedded') {
    const server = await DevServer.start({ timeSkipping, log: () => {} });
    return { address: server.address, embedded: server, shutdown: () => server.shutdown() };
  }
  if (timeSkipping) throw new Error("Temporal's dev server has no time skipping");
  const server = await startReferenceServer('temporal');
  const pid = server.pid;
  if (pid === undefined) {
    await server.shutdown();
    throw new Error("Temporal's dev server did not report its pid");
  }
  children.add(pid);
  return {
    address: server.address,
    pid,
    shutdown: async () => {
      await server.shutdown();
      children.delete(pid);
    },
  };
}

interface Stack {
  server: Server;
  client: Client;
  taskQueue: string;
  /** Stops the worker early (to see what the server alone holds); idempotent. */
  stopWorker(): Promise<void>;
}

/** A fresh server, a worker and a client (in this process), torn down after `body`. */
async function withStack<T>(
  kind: Kind,
  bundle: WorkflowBundleWithSourceMap,
  timeSkipping: boolean,
  body: (stack: Stack) => Promise<T>,
): Promise<T> {
  const server = await startServer(kind, timeSkipping);
  try {
    const connection = await Connection.connect({ address: server.address });
    try {
      // Loopback: gzip (the native connection's default) only burns CPU. The same for both servers.
      const nativeConnection = await NativeConnection.connect({
        address: server.address,
        grpcCompression: { codec: 'none' },
      });
      try {
        const taskQueue = 'bench';
        const worker = await Worker.create({
          connection: nativeConnection,
          taskQueue,
          workflowBundle: bundle,
          activities,
          ...workerTuning,
        });
        const running = worker.run();
        const stopWorker = async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        };
        try {
          return await body({ server, client: new Client({ connection }), taskQueue, stopWorker });
        } finally {
          await stopWorker();
        }
      } finally {
        await nativeConnection.close();
      }
    } finally {
      await connection.close();
    }
  } finally {
    await server.shutdown();
  }
}

async function throughput(kind: Kind, bundle: WorkflowBundleWithSourceMap): Promise<void> {
  await withStack(kind, bundle, false, async ({ client, taskQueue }) => {
    const greet = (id: string) => client.workflow.execute('greet', { args: ['bench'], taskQueue, workflowId: id });
    await timed(WARM_UP_RUNS, IN_FLIGHT, (i) => greet(`warm-${i}`)); // JIT, workflow threads, pollers, caches
    const seconds = await timed(THROUGHPUT_RUNS, IN_FLIGHT, (i) => greet(`greet-${i}`));
    const rate = THROUGHPUT_RUNS / seconds;
    (rates.workflows ??= {})[kind] = rate;
    report(
      kind,
      'a) workflows + activity completed/s',
      `${rate.toFixed(0)}  (${THROUGHPUT_RUNS} in ${seconds.toFixed(1)} s)`,
    );
  });
}

/**
 * Starts `count` sleepers that all fall due at one instant, `lead` ms from now, then awaits them.
 * Returns how long the starts took, the slack left before that instant, and when each run's result
 * arrived (ms after the instant).
 */
async function sleepersDueTogether(client: Client, taskQueue: string, prefix: string, count: number, lead: number) {
  const due = Date.now() + lead;
  const handles: WorkflowHandle[] = [];
  const startSeconds = await timed(count, IN_FLIGHT, async (i) => {
    handles[i] = await client.workflow.start('sleeper', {
      args: [Math.max(1, due - Date.now())],
      taskQueue,
      workflowId: `${prefix}-${i}`,
    });
  });
  const slack = due - Date.now();
  const arrivals = await Promise.all(
    handles.map(async (handle) => {
      await handle.result();
      return Date.now() - due;
    }),
  );
  return { startSeconds, slack, arrivals: arrivals.sort((x, y) => x - y) };
}

async function realTimeTimers(kind: Kind, bundle: WorkflowBundleWithSourceMap): Promise<void> {
  await withStack(kind, bundle, false, async ({ client, taskQueue }) => {
    // The warm-up runs the same workload, smaller, and tells how long starting takes: the timers
    // fall due only once every run is started and waiting on its timer.
    const warm = await sleepersDueTogether(client, taskQueue, 'warm', WARM_UP_RUNS, 3000);
    const lead = TIMER_MS + Math.ceil(1.5 * warm.startSeconds * 1000 * (TIMER_RUNS / WARM_UP_RUNS));
    const { startSeconds, slack, arrivals } = await sleepersDueTogether(client, taskQueue, 'sleep', TIMER_RUNS, lead);
    const seconds = arrivals[arrivals.length - 1] / 1000;
    const rate = TIMER_RUNS / seconds;
    (rates.timers ??= {})[kind] = rate;
    const late =
      slack < 0 ? `; STARTING OVERRAN THE DUE INSTANT BY ${(-slack / 1000).toFixed(1)} s, the rate is start-bound` : '';
    report(
      kind,
      'b) real-time timers fired + completed/s',
      `${rate.toFixed(0)}  (${TIMER_RUNS} due at once, all done ${seconds.toFixed(2)} s after; ` +
        `median result +${(arrivals[arrivals.length >> 1] / 1000).toFixed(2)} s; starting took ${startSeconds.toFixed(1)} s, slept ${(slack / 1000).toFixed(1)}-${(lead / 1000).toFixed(1)} s${late})`,
    );
  });
}

async function timeSkippingTimers(bundle: WorkflowBundleWithSourceMap): Promise<void> {
  // Deterministic "random" durations (an LCG): every timer at its own instant, runs comparable.
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  await withStack('embedded', bundle, true, async ({ server, client, taskQueue }) => {
    const embedded = server.embedded!;
    // Time stays locked until the client lifts the lock around awaiting the results (TestService, as
    // the SDK's test client does): start every run and let each reach its timer first, so the
    // measured phase is only skipping, firing and completing.
    const startedAt = performance.now();
    await timed(TIMER_RUNS, IN_FLIGHT, (i) =>
      client.workflow.start('sleeper', {
        args: [DAY + Math.floor(random() * 29 * DAY)],
        taskQueue,
        workflowId: `sleep-${i}`,
      }),
    );
    while (!embedded.engine.isIdle()) await sleep(10);
    const startSeconds = (performance.now() - startedAt) / 1000;
    const virtualStart = embedded.now();
    const started = performance.now();
    const time = await timeSkippingControl(server.address);
    try {
      await time.unlockedWhile(() =>
        Promise.all(Array.from({ length: TIMER_RUNS }, (_, i) => client.workflow.getHandle(`sleep-${i}`).result())),
      );
    } finally {
      await time.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const days = (embedded.now() - virtualStart) / DAY;
    report(
      'embedded',
      'b) timers fired/s, time skipping (embedded only; 1-30 days each)',
      `${(TIMER_RUNS / seconds).toFixed(0)}  (${TIMER_RUNS} fired and completed in ${seconds.toFixed(1)} s, ${days.toFixed(1)} virtual days; starting them up to their timers took ${startSeconds.toFixed(1)} s)`,
    );
  });
}

/** Workflows that complete in their first task: what matters here is what the server keeps per closed run. */
const completeRuns = (client: Client, taskQueue: string) =>
  timed(MEMORY_RUNS, IN_FLIGHT, (i) =>
    client.workflow.execute('counter', { args: [0, 0], taskQueue, workflowId: `mem-${i}` }),
  );

async function embeddedMemory(bundle: WorkflowBundleWithSourceMap): Promise<void> {
  const measure = async () => {
    await sleep(500); // the worker evicts finished runs from its cache
    gc?.();
    gc?.();
    return process.memoryUsage();
  };
  const base = await measure();
  let peakRss = base.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  await withStack('embedded', bundle, false, async ({ server, client, taskQueue, stopWorker }) => {
    const seconds = await completeRuns(client, taskQueue);
    clearInterval(sampler);
    const after = await measure();
    await stopWorker();
    const serverOnly = await measure();
    // Histories keep payload bytes in Buffers: off the JS heap, so count `external` too.
    const retained = after.heapUsed + after.external - (base.heapUsed + base.external);
    report(
      'embedded',
      'c) completed (rate while measuring)',
      `${MEMORY_RUNS} in ${seconds.toFixed(1)} s (${(MEMORY_RUNS / seconds).toFixed(0)}/s)`,
    );
    report('embedded', 'c) server store.size', String(server.embedded!.engine.store.size));
    report('embedded', 'c) heapUsed before -> after, gc', `${mb(base.heapUsed)} -> ${mb(after.heapUsed)}`);
    report('embedded', 'c) external before -> after, gc', `${mb(base.external)} -> ${mb(after.external)}`);
    report('embedded', 'c) retained (heap + external) per run', `${(retained / MEMORY_RUNS / 1024).toFixed(1)} KB`);
    report(
      'embedded',
      'c) rss before -> after',
      `${mb(base.rss)} -> ${mb(after.rss)}  (this process: server, worker, client; ${mb(serverOnly.rss)} once the worker stopped)`,
    );
    report('embedded', 'c) rss growth per run', `${((after.rss - base.rss) / MEMORY_RUNS / 1024).toFixed(1)} KB`);
    report('embedded', 'c) peak rss', `${mb(peakRss)}  (sampled every 50 ms)`);
  });
}

async function realMemory(bundle: WorkflowBundleWithSourceMap): Promise<void> {
  await withStack('real', bundle, false, async ({ server, client, taskQueue }) => {
    const pid = server.pid!;
    const base = processMemory(pid);
    const seconds = await completeRuns(client, taskQueue);
    await sleep(500);
    const after = processMemory(pid);
    report(
      'real',
      'c) completed (rate while measuring)',
      `${MEMORY_RUNS} in ${seconds.toFixed(1)} s (${(MEMORY_RUNS / seconds).toFixed(0)}/s)`,
    );
    report(
      'real',
      'c) rss before -> after',
      `${mb(base.rss)} -> ${mb(after.rss)}  (the server process, VmRSS; Go heap, garbage included)`,
    );
    report('real', 'c) rss growth per run', `${((after.rss - base.rss) / MEMORY_RUNS / 1024).toFixed(1)} KB`);
    report('real', 'c) peak rss', `${mb(after.peak)}  (VmHWM)`);
  });
}

async function main(): Promise<void> {
  if (!gc) console.warn('(run with --expose-gc for the memory figures; heap numbers include garbage)');
  const started = performance.now();
  const loadBefore = loadavg();
  Runtime.install({ logger: silent });
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../engine/devserver/tests/workflows/index.ts', import.meta.url)),
    logger: silent,
  });

  // Memory first, so this process's RSS baseline is not inflated by the other phases.
  console.log(`c) ${MEMORY_RUNS} completed workflows (each done in one workflow task), memory`);
  await embeddedMemory(bundle);
  await realMemory(bundle);
  console.log(
    `a) ${THROUGHPUT_RUNS} workflows with one activity each, ${IN_FLIGHT} in flight (after ${WARM_UP_RUNS} to warm up)`,
  );
  await throughput('embedded', bundle);
  await throughput('real', bundle);
  console.log(
    `b) ${TIMER_RUNS} workflows whose timers fall due at one real-time instant, >= ${TIMER_MS} ms after the last start (after ${WARM_UP_RUNS} to warm up)`,
  );
  await realTimeTimers('embedded', bundle);
  await realTimeTimers('real', bundle);
  console.log(`b) ${TIMER_RUNS} workflows sleeping 1-30 days, time skipping (embedded only)`);
  await timeSkippingTimers(bundle);

  const loadAfter = loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(
    `\nSDK worker + client in this process; the embedded server in it too, Temporal's dev server (v1.32.1, SQLite in memory) in a child process.`,
  );
  console.log(
    `Node ${process.version}, ${cpus().length} CPUs, load average ${load(loadBefore)} -> ${load(loadAfter)}, ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `worker: ${JSON.stringify(workerTuning)}, sticky cache on (SDK default), uncompressed gRPC, for both servers`,
  );
  const labels = [...table.keys()];
  const width = Math.max(...labels.map((label) => label.length));
  const cell = (value: string | undefined) => (value ?? '-').split('  (')[0];
  const columnWidth = Math.max(title.embedded.length, ...[...table.values()].map((row) => cell(row.embedded).length));
  console.log(`  ${''.padEnd(width)}  ${title.embedded.padEnd(columnWidth)}  ${title.real}`);
  for (const [label, row] of table)
    console.log(`  ${label.padEnd(width)}  ${cell(row.embedded).padEnd(columnWidth)}  ${cell(row.real)}`);
  console.log(`  ${'bench process peak rss (maxRSS)'.padEnd(width)}  ${mb(process.resourceUsage().maxRSS * 1024)}`);

  const ratio = (of: 'workflows' | 'timers', what: string, name: string) => {
    const { embedded, real } = rates[of] ?? {};
    if (embedded === undefined || real === undefined) return `${name}: n/a (${what})`;
    return `${name}: ${(embedded / real).toFixed(2)}  (${what}: ${embedded.toFixed(0)}/s embedded / ${real.toFixed(0)}/s Temporal dev server)`;
  };
  console.log(ratio('timers', 'real-time timers fired + completed per second', 'embedded/real timer ratio'));
  console.log(ratio('workflows', 'workflows with one activity completed per second', 'embedded/real ratio'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
