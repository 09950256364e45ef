// `npm run bench:devserver`: figures for the embedded Temporal dev server with the real SDK worker
// and client in one process. Prints a table; not a test (no thresholds are asserted).
//   a) workflows with one activity, completed per second
//   b) timers fired per second under time skipping (each firing also runs the workflow task that
//      completes its run, as a journey step would)
//   c) memory for 10,000 completed workflows: heap the server retains, process RSS
// Sizes can be changed with BENCH_RUNS, BENCH_TIMERS, BENCH_MEMORY_RUNS and BENCH_IN_FLIGHT.
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DevServer } from '../../engine/src/temporal/devserver/index.ts';
import * as activities from '../devserver/activities.ts';

const THROUGHPUT_RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const TIMER_RUNS = Number(process.env.BENCH_TIMERS ?? 1000);
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 10_000);
/** Workflows in flight at once: enough to keep every worker slot busy. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const DAY = 24 * 3600 * 1000;

// Measured on the 2-core machine: the SDK's workflow thread is the busiest part, so a second one
// helps; more task slots, pollers or cache did not change the figures.
const workerTuning = { workflowThreadPoolSize: 2 };
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Rows = [string, string][];
function report(rows: Rows, label: string, value: string): void {
  rows.push([label, value]);
  console.log(`  ${label}: ${value}`);
}

/** Runs `count` jobs with at most `limit` in flight; returns elapsed wall seconds. */
async function timed(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await job(next++);
  }));
  return (performance.now() - started) / 1000;
}

interface Stack {
  server: DevServer;
  client: Client;
  taskQueue: string;
  /** Stops the worker early (to see what the server alone holds); idempotent. */
  stopWorker(): Promise<void>;
}

/** Server, worker and client in this process, torn down after `body`. */
async function withStack<T>(bundle: WorkflowBundleWithSourceMap, timeSkipping: boolean, body: (stack: Stack) => Promise<T>): Promise<T> {
  const server = await DevServer.start({ timeSkipping, log: () => {} });
  const connection = await Connection.connect({ address: server.address });
  // Loopback in one process: gzip (the native connection's default) only burns CPU.
  const nativeConnection = await NativeConnection.connect({ address: server.address, grpcCompression: { codec: 'none' } });
  const taskQueue = 'bench';
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle, activities, ...workerTuning });
  const running = worker.run();
  const stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  try {
    return await body({ server, client: new Client({ connection }), taskQueue, stopWorker });
  } finally {
    await stopWorker();
    await connection.close();
    await nativeConnection.close();
    await server.shutdown();
  }
}

async function throughput(bundle: WorkflowBundleWithSourceMap, rows: Rows): Promise<void> {
  console.log(`a) ${THROUGHPUT_RUNS} workflows with one activity each, ${IN_FLIGHT} in flight`);
  await withStack(bundle, false, async ({ client, taskQueue }) => {
    const greet = (id: string) => client.workflow.execute('greet', { args: ['bench'], taskQueue, workflowId: id });
    await timed(200, IN_FLIGHT, (i) => greet(`warm-${i}`)); // JIT, workflow threads, pollers
    const seconds = await timed(THROUGHPUT_RUNS, IN_FLIGHT, (i) => greet(`greet-${i}`));
    report(rows, 'a) workflows + activity completed/s', `${(THROUGHPUT_RUNS / seconds).toFixed(0)}  (${THROUGHPUT_RUNS} in ${seconds.toFixed(1)} s)`);
  });
}

async function timers(bundle: WorkflowBundleWithSourceMap, rows: Rows): Promise<void> {
  console.log(`b) ${TIMER_RUNS} workflows sleeping 1-30 days, time skipping`);
  // Deterministic "random" durations (an LCG): every timer at its own instant, runs comparable.
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  await withStack(bundle, true, async ({ server, client, taskQueue }) => {
    // Time is locked until a client awaits a result: start every run and let each reach its timer,
    // so the measured phase is only skipping, firing and completing.
    const startedAt = performance.now();
    await timed(TIMER_RUNS, IN_FLIGHT, (i) =>
      client.workflow.start('sleeper', { args: [DAY + Math.floor(random() * 29 * DAY)], taskQueue, workflowId: `sleep-${i}` }));
    while (!server.engine.isIdle()) await sleep(10);
    const startSeconds = (performance.now() - startedAt) / 1000;
    const virtualStart = server.now();
    const started = performance.now();
    await Promise.all(Array.from({ length: TIMER_RUNS }, (_, i) => client.workflow.getHandle(`sleep-${i}`).result()));
    const seconds = (performance.now() - started) / 1000;
    const days = (server.now() - virtualStart) / DAY;
    report(rows, 'b) timers fired/s (time skipping)', `${(TIMER_RUNS / seconds).toFixed(0)}  (${TIMER_RUNS} fired and completed in ${seconds.toFixed(1)} s, ${days.toFixed(1)} virtual days; starting them up to their timers took ${startSeconds.toFixed(1)} s)`);
  });
}

async function memory(bundle: WorkflowBundleWithSourceMap, rows: Rows): Promise<void> {
  // Workflows that complete in their first task run twice as fast as (a), which keeps the bench
  // within its time budget; what matters here is what the server keeps per closed run.
  console.log(`c) ${MEMORY_RUNS} completed workflows (each done in one workflow task), memory`);
  const measure = async () => {
    await sleep(500); // the worker evicts finished runs from its cache
    gc?.();
    gc?.();
    return process.memoryUsage();
  };
  const base = await measure();
  let peakRss = base.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  await withStack(bundle, false, async ({ server, client, taskQueue, stopWorker }) => {
    const seconds = await timed(MEMORY_RUNS, IN_FLIGHT, (i) => client.workflow.execute('counter', { args: [0, 0], taskQueue, workflowId: `mem-${i}` }));
    clearInterval(sampler);
    const after = await measure();
    await stopWorker();
    const serverOnly = await measure();
    // Histories keep payload bytes in Buffers: off the JS heap, so count `external` too.
    const retained = after.heapUsed + after.external - (base.heapUsed + base.external);
    report(rows, 'c) completed (rate while measuring)', `${MEMORY_RUNS} in ${seconds.toFixed(1)} s (${(MEMORY_RUNS / seconds).toFixed(0)}/s)`);
    report(rows, 'c) server store.size', String(server.engine.store.size));
    report(rows, 'c) heapUsed before -> after, gc', `${mb(base.heapUsed)} -> ${mb(after.heapUsed)}`);
    report(rows, 'c) external before -> after, gc', `${mb(base.external)} -> ${mb(after.external)}`);
    report(rows, 'c) retained (heap + external) per run', `${(retained / MEMORY_RUNS / 1024).toFixed(1)} KB`);
    report(rows, 'c) rss before -> after', `${mb(base.rss)} -> ${mb(after.rss)}  (${mb(serverOnly.rss)} once the worker stopped)`);
    report(rows, 'c) peak rss (sampled every 50 ms)', mb(peakRss));
  });
}

async function main(): Promise<void> {
  if (!gc) console.warn('(run with --expose-gc for the memory figures; heap numbers include garbage)');
  const started = performance.now();
  const loadBefore = loadavg()[0];
  Runtime.install({ logger: silent });
  const bundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../devserver/workflows/index.ts', import.meta.url)), logger: silent });
  const [a, b, c]: Rows[] = [[], [], []];
  // Memory first, so its RSS baseline is not inflated by the earlier phases.
  await memory(bundle, c);
  await throughput(bundle, a);
  await timers(bundle, b);

  const rows = [...a, ...b, ...c];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nembedded Temporal dev server + SDK worker + client in one process: Node ${process.version}, ${cpus().length} CPUs, ` +
    `load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log(`  ${'process peak rss (maxRSS)'.padEnd(width)}  ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
