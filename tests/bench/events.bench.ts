// Event ingestion and triggered-journey latency (issues 6 and 5):
// npm run bench:events -- [--rate 1000] [--seconds 60] [--batch 1] [--connections 64]
// [--drain-seconds 900] [--worker on|off]
// The product as `npm start` runs it, in this process: a fresh database of its own (on DATABASE_URL's
// server, else in-memory PGlite), the embedded Temporal dev server in real time (durable, in a temp
// folder), the journey worker and the HTTP API on loopback. A triggered journey (order_paid → the
// order-care template's "paid thanks" notification SMS, sent at once, so quiet hours never defer it)
// is published through the API; a load generator in a second process (event-load.ts) posts
// order_paid events at a fixed open-loop rate. Prints HTTP accept latency, event → SMS latency
// (the SMS ledger row's created_at minus the time the event was due), event → routed latency (its
// processed_at: the triggered run was started in Temporal), throughput and peak RSS. `--worker off`
// measures ingestion alone (issue 6: accepted, stored, routed): no worker runs, the started runs
// wait in Temporal, and the count check counts them there instead of SMS.
// The engine runs with the Node flags of `npm start` (engine/src/node-flags.ts): started without
// them, the bench starts itself again with them (a flag given on the command line still wins).
// Figures never fail the bench; a count mismatch (an event accepted but not stored, routed or
// messaged, or anything twice) does, loudly.
import { fork, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { journeyTemplates } from '@huitou/schemas';
import { createApiKey, ensureAdminKey } from '../../engine/src/api/auth.ts';
import { startApiServer } from '../../engine/src/api/server.ts';
import { loadConfig } from '../../engine/src/config.ts';
import { createJourneyWorker } from '../../engine/src/journey-worker.ts';
import { missingEngineFlags } from '../../engine/src/node-flags.ts';
import { connectTemporal } from '../../engine/src/temporal/connect.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { rssSampler, seconds } from './bench-shop.ts';
import { keepShortfallEvidence } from './shortfall.ts';
import type { LoadPlan, LoadProgress, LoadResult } from './event-load.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    batch: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    customers: { type: 'string', default: '10000' },
    'drain-seconds': { type: 'string', default: '900' },
    /** steady: --rate for --seconds; burst: 5,000/s for 10 s, then 200/s for 50 s (a midnight rush). */
    profile: { type: 'string', default: 'steady' },
    warmup: { type: 'string', default: '200' },
    worker: { type: 'string', default: 'on' },
  },
});
const missingFlags = missingEngineFlags();
if (missingFlags.length > 0) {
  const again = spawnSync(process.execPath, [...missingFlags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}
if (values.profile !== 'steady' && values.profile !== 'burst') throw new Error('--profile is steady or burst');
const burst = values.profile === 'burst';
/** The load's phases (rate per second, seconds), one after the other. */
const phases: Array<{ rate: number; seconds: number }> = burst
  ? [
      { rate: 5000, seconds: 10 },
      { rate: 200, seconds: 50 },
    ]
  : [{ rate: Number(values.rate), seconds: Number(values.seconds) }];
const rate = Math.max(...phases.map((p) => p.rate));
const batch = Number(values.batch);
const customers = Number(values.customers);
const drainSeconds = Number(values['drain-seconds']);
const warmup = Number(values.warmup);
const total = phases.reduce((n, p) => n + Math.round(p.rate * p.seconds), 0);
/** The one-workflow-per-event design's last figures on this machine (docs/benchmarks.md, issue 16). */
const OLD_DESIGN = { smsPerSecond: 37, offered: 200, p50: 51_000, p99: 89_000 };
const PROGRESS_MS = 5000;
if (values.worker !== 'on' && values.worker !== 'off') throw new Error('--worker is on or off');
const withWorker = values.worker === 'on';
const silent = () => {};

/** The order-care template's first step on its own: order_paid → "paid thanks" (notification SMS) → exit. */
function paidThanksJourney() {
  const care = journeyTemplates.orderCare;
  const pick = (id: string) => {
    const node = care.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`order-care template has no ${id}`);
    return node;
  };
  return {
    name: 'bench: paid thanks',
    settings: care.settings,
    nodes: [pick('entry'), pick('paid_thanks'), { id: 'exit', type: 'exit', position: { x: 520, y: 140 }, config: {} }],
    edges: [
      { source: 'entry', sourcePort: 'out', target: 'paid_thanks' },
      { source: 'paid_thanks', sourcePort: 'out', target: 'exit' },
    ],
  };
}

/**
 * Customers with phones (nothing suppressed or opted out), and one paid order per event: order g is
 * customer 1 + (g - 1) % customers's.
 */
async function seed(pool: pg.Pool, orders: number): Promise<void> {
  await pool.query(
    `INSERT INTO customers (id, nickname, phone) SELECT g, '买家' || g, '+86139' || lpad(g::text, 8, '0') FROM generate_series(1, $1::bigint) g`,
    [customers],
  );
  await pool.query(
    `INSERT INTO orders (id, customer_id, status, amount, item_count, created_at, paid_at)
     SELECT g, 1 + (g - 1) % $2, 'paid', 100 + g % 300, 1, now(), now() FROM generate_series(1, $1::bigint) g`,
    [orders, customers],
  );
  await pool.query('ANALYZE customers; ANALYZE orders');
}

async function call(url: string, key: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

interface Counts {
  stored: number;
  routed: number;
  sms: number;
  /** Members admitted (run_members of the journey's cohort runs). */
  members: number;
  /** Trigger keys claimed for a cohort (trigger_entries). */
  claimed: number;
  /** Cohort runs. */
  runs: number;
}

async function counts(pool: pg.Pool, journeyId: string): Promise<Counts> {
  const { rows } = await pool.query<Counts>(
    `SELECT (SELECT count(*)::int FROM events) AS stored,
            (SELECT count(*)::int FROM events WHERE processed_at IS NOT NULL) AS routed,
            (SELECT count(*)::int FROM messages m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1) AS sms,
            (SELECT count(*)::int FROM run_members m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1) AS members,
            (SELECT count(*)::int FROM trigger_entries WHERE journey_id = $1) AS claimed,
            (SELECT count(*)::int FROM runs WHERE journey_id = $1) AS runs`,
    [journeyId],
  );
  return rows[0];
}

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`);
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted[sorted.length - 1] ?? NaN)} (n = ${sorted.length})`;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<number> {
  const rss = rssSampler();
  const loadBefore = load();
  const db = await openTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'huitou-bench-events-'));
  const closers: (() => Promise<unknown>)[] = [() => db.close(), () => rm(dataDir, { recursive: true, force: true })];
  try {
    await seed(db.pool, warmup + total);
    const config = loadConfig({
      ...process.env,
      HUITOU_DATA_DIR: dataDir,
      TEMPORAL_DEV_PORT: '0',
      HUITOU_SMS_PROVIDER: 'local',
    });
    const temporal = await connectTemporal(config, { log: silent });
    closers.unshift(() => temporal.close());
    if (withWorker) {
      const worker = await createJourneyWorker({ temporal, pool: db.pool, sms: config.sms, log: silent });
      const running = worker.run();
      closers.unshift(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
    }
    const api = await startApiServer({ pool: db.pool, temporal, config, log: silent }, { port: 0, host: '127.0.0.1' });
    closers.unshift(() => api.close());
    const admin = await ensureAdminKey(db.pool);
    if (!admin) throw new Error('expected a fresh database');
    const marketer = (await createApiKey(db.pool, { name: 'bench marketer', role: 'marketer' })).key;
    const engineer = (await createApiKey(db.pool, { name: 'bench shop', role: 'engineer' })).key;
    const journeyId = (await call(api.url, marketer, '/api/journeys', { draft: paidThanksJourney() })).id;
    await call(api.url, marketer, `/api/journeys/${journeyId}/publish`, { notes: 'bench' });
    console.log(
      `[${db.kind}] ${customers} customers, ${warmup + total} paid orders; embedded Temporal ${temporal.embedded ? 'dev server, real time' : `at ${temporal.address}`}; API ${api.url}; ${withWorker ? 'journey worker in process' : 'no worker (ingestion only)'}`,
    );

    const generator = fileURLToPath(new URL('./event-load.ts', import.meta.url));
    const runLoad = (plan: LoadPlan, onProgress: (p: LoadProgress) => void) =>
      new Promise<LoadResult>((resolve, reject) => {
        const child = fork(generator, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
        child.on('message', (m: LoadProgress | LoadResult) => (m.kind === 'progress' ? onProgress(m) : resolve(m)));
        child.on('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
        child.send(plan);
      });
    const plan = (first: number, r: number, s: number): LoadPlan => ({
      url: api.url,
      key: engineer,
      rate: r,
      seconds: s,
      batch,
      connections: Number(values.connections),
      firstOrder: first,
      customers,
    });
    const waitFor = async (expected: number, deadlineMs: number, show: (c: Counts) => void) => {
      for (let shown = Date.now(); ;) {
        const c = await counts(db.pool, journeyId);
        if (((c.sms >= expected || !withWorker) && c.routed >= expected) || Date.now() > deadlineMs) return c;
        if (Date.now() - shown >= PROGRESS_MS) {
          show(c);
          shown = Date.now();
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    // Warm-up (JIT, workflow bundle, pollers), outside the figures but inside the count check.
    if (warmup > 0) {
      await runLoad(plan(1, Math.min(rate, 50), warmup / Math.min(rate, 50)), silent);
      await waitFor(warmup, Date.now() + 120_000, silent);
    }
    const base = await counts(db.pool, journeyId);

    const offered = phases.map((p) => `${p.rate}/s for ${p.seconds} s`).join(', then ');
    console.log(
      `load: ${total} order_paid events at ${offered}, ${batch === 1 ? 'single events' : `batches of ${batch}`}, ${values.connections} keep-alive connections (load average ${loadBefore})`,
    );
    const started = Date.now();
    const cpuAtStart = process.cpuUsage();
    const gc = mainThreadGc();
    let latest: LoadProgress = { kind: 'progress', due: 0, sent: 0, accepted: 0, failed: 0 };
    const line = (c: Counts) =>
      console.log(
        `  ${seconds(Date.now() - started).padStart(6)} s  due ${latest.due}  sent ${latest.sent}  accepted ${latest.accepted}  failed ${latest.failed}  ` +
          `stored ${c.stored - base.stored}  routed ${c.routed - base.routed}  sms ${c.sms - base.sms}  rss ${rss.peakMb().toFixed(0)} MB  load ${load()}`,
      );
    const ticker = setInterval(() => void counts(db.pool, journeyId).then(line, silent), PROGRESS_MS);
    // Phases one after the other; a later phase's due times continue from the generator's clock.
    let result: LoadResult | null = null;
    let first = warmup + 1;
    for (const phase of phases) {
      const part = await runLoad(plan(first, phase.rate, phase.seconds), (p) => (latest = p));
      first += Math.round(phase.rate * phase.seconds);
      result = result ? joinResults(result, part) : part;
    }
    if (!result) throw new Error('no load phase');
    clearInterval(ticker);
    const loadEnded = Date.now();
    const atLoadEnd = await counts(db.pool, journeyId);
    line(atLoadEnd);
    console.log(`load done in ${seconds(loadEnded - started)} s; waiting for the backlog (at most ${drainSeconds} s)`);
    const expected = warmup + result.accepted;
    const final = await waitFor(expected, loadEnded + drainSeconds * 1000, line);
    const drained = Date.now();
    const cpu = process.cpuUsage(cpuAtStart);
    gc.stop();
    const loadAfter = load();

    // Per event: due time; per SMS: the ledger row's created_at (written before the provider call)
    // and the sink's received_at.
    const { rows: sms } = await db.pool.query<{ order_id: string; created: number; sent: number | null }>(
      `SELECT substr(m.trigger_key, 7) AS order_id, extract(epoch FROM m.created_at) * 1000 AS created, extract(epoch FROM s.received_at) * 1000 AS sent
       FROM messages m JOIN runs r ON r.id = m.run_id LEFT JOIN sms_sink s ON s.message_key = m.message_key WHERE r.journey_id = $1`,
      [journeyId],
    );
    const { rows: routedRows } = await db.pool.query<{ order_id: string; routed: number }>(
      `SELECT order_id, extract(epoch FROM processed_at) * 1000 AS routed FROM events WHERE processed_at IS NOT NULL AND order_id > $1`,
      [warmup],
    );
    const toRouted = routedRows.map((r) => Number(r.routed) - result.dueAt[Number(r.order_id) - warmup - 1]);
    const toLedger: number[] = [];
    const toSent: number[] = [];
    let firstSms = Infinity;
    let lastSms = 0;
    for (const row of sms) {
      const i = Number(row.order_id) - warmup - 1;
      if (i < 0) continue;
      toLedger.push(Number(row.created) - result.dueAt[i]);
      if (row.sent !== null) toSent.push(Number(row.sent) - result.dueAt[i]);
      firstSms = Math.min(firstSms, Number(row.created));
      lastSms = Math.max(lastSms, Number(row.created));
    }
    const statuses = await db.pool.query<{ status: string; n: number }>(
      `SELECT m.status, count(*)::int AS n FROM messages m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 GROUP BY 1 ORDER BY 1`,
      [journeyId],
    );
    const twice = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT m.trigger_key FROM messages m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 GROUP BY 1 HAVING count(*) > 1) x`,
      [journeyId],
    );

    const accepted = result.acceptMs.filter((_, i) => result.status[i] === 202);
    const smsDuringLoad = atLoadEnd.sms - base.sms;
    console.log(
      `\nevents bench: ${db.kind}, embedded Temporal (real time), worker and API in one process, load generator in another; ` +
        `load average ${loadBefore} -> ${loadAfter}`,
    );
    console.log(
      `  offered                      ${total} events at ${offered} (${batch === 1 ? 'single events' : `batches of ${batch}`}); generator lag max ${ms(result.maxLagMs)}`,
    );
    console.log(
      `  HTTP accept (202)            ${summary(accepted)}; ${total - accepted.length} not accepted${result.errors.length ? `: ${result.errors.join(' | ')}` : ''}`,
    );
    console.log(
      `  accepted rate                ${(result.accepted / ((loadEnded - started) / 1000)).toFixed(0)}/s (all ${result.accepted} answered ${seconds(loadEnded - started)} s after the first was due)`,
    );
    console.log(`  event -> routed              ${summary(toRouted)}`);
    console.log(`  event -> SMS ledger row      ${summary(toLedger)}`);
    console.log(`  event -> SMS in the sink     ${summary(toSent)}`);
    console.log(
      `  triggered runs -> SMS /s     ${(smsDuringLoad / ((loadEnded - started) / 1000)).toFixed(0)} during the load, ` +
        `${(toLedger.length / Math.max(0.001, (lastSms - firstSms) / 1000)).toFixed(0)} first to last SMS; backlog drained ${seconds(drained - loadEnded)} s after the load`,
    );
    if (phases.length > 1) {
      // The burst: when its last SMS was written, after its last event was due; the phase after it alone.
      const inBurst = Math.round(phases[0].rate * phases[0].seconds);
      let burstLast = 0;
      const after: number[] = [];
      for (const row of sms) {
        const i = Number(row.order_id) - warmup - 1;
        if (i < 0) continue;
        if (i < inBurst) burstLast = Math.max(burstLast, Number(row.created));
        else after.push(Number(row.created) - result.dueAt[i]);
      }
      console.log(
        `  burst backlog                drained ${seconds(burstLast - result.dueAt[inBurst - 1])} s after the burst's last event was due`,
      );
      console.log(`  after the burst: event -> SMS ${summary(after)}`);
    }
    const sorted = [...toLedger].sort((a, b) => a - b);
    console.log(
      `  against one workflow per event  ${(toLedger.length / Math.max(0.001, (lastSms - firstSms) / 1000) / OLD_DESIGN.smsPerSecond).toFixed(0)}x the SMS/s ` +
        `(${OLD_DESIGN.smsPerSecond} SMS/s at ${OLD_DESIGN.offered}/s offered); p50 ${(OLD_DESIGN.p50 / percentile(sorted, 50)).toFixed(0)}x, ` +
        `p99 ${(OLD_DESIGN.p99 / percentile(sorted, 99)).toFixed(0)}x lower (${ms(OLD_DESIGN.p50)} / ${ms(OLD_DESIGN.p99)} then)`,
    );
    // CPU time varies far less than latency on a shared host: the figure to compare changes by.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `  engine process CPU           ${cpuSeconds.toFixed(1)} s from the load's start to the drain ` +
        `(${((cpuSeconds * 1e6) / result.accepted).toFixed(0)} µs an event; the embedded Temporal server included)`,
    );
    console.log(
      `  load generator CPU           ${(result.cpuMs / 1000).toFixed(1)} s (${((result.cpuMs * 1000) / total).toFixed(0)} µs an event, ` +
        `taken from the same two cores)`,
    );
    console.log(
      `  engine GC (main thread)      ${gc.young} young collections (${ms(gc.youngMs)}), ${gc.full} full (${ms(gc.fullMs)}) ` +
        `from the load's start to the drain`,
    );
    console.log(`  ledger                       ${statuses.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
    console.log(
      `  peak RSS                     ${rss.peakMb().toFixed(0)} MB (product process), ${result.peakRssMb.toFixed(0)} MB (generator)`,
    );

    // The count check: every accepted event stored, routed and messaged exactly once.
    // Without a worker the events are counted where they wait: claimed for a cohort, one key per event.
    const inTemporal = withWorker ? {} : { claimed: final.claimed };
    const want = withWorker
      ? {
          accepted: expected,
          stored: expected,
          routed: expected,
          members: expected,
          sms: expected,
          twice: 0,
          duplicates: 0,
        }
      : { accepted: expected, stored: expected, routed: expected, claimed: expected, duplicates: 0 };
    const got = withWorker
      ? {
          accepted: expected,
          stored: final.stored,
          routed: final.routed,
          members: final.members,
          sms: final.sms,
          twice: twice.rows[0].n,
          duplicates: result.duplicates,
        }
      : {
          accepted: expected,
          stored: final.stored,
          routed: final.routed,
          ...inTemporal,
          duplicates: result.duplicates,
        };
    console.log(`  count check                  ${JSON.stringify(got)}; ${final.runs} cohort runs`);
    const wrong = Object.entries(want)
      .filter(([k, v]) => (got as Record<string, number | undefined>)[k] !== v)
      .map(([k]) => k);
    if (wrong.length > 0 || result.accepted !== total) {
      console.error(
        `COUNT MISMATCH (${[...wrong, ...(result.accepted !== total ? ['accepted of offered'] : [])].join(', ')}): expected ${JSON.stringify(want)} with ${total} accepted of ${total} offered`,
      );
      console.error(`  evidence kept in ${await keepShortfallEvidence(db.pool, temporal.client)}`);
      return 1;
    }
    console.log('  nothing lost, nothing twice');
    return 0;
  } finally {
    for (const close of closers) await close().catch((e: unknown) => console.error(e));
    rss.stop();
  }
}

/** Two phases' results as one: per-event arrays follow on, counts add up. */
function joinResults(a: LoadResult, b: LoadResult): LoadResult {
  return {
    ...b,
    accepted: a.accepted + b.accepted,
    duplicates: a.duplicates + b.duplicates,
    dueAt: [...a.dueAt, ...b.dueAt],
    acceptMs: [...a.acceptMs, ...b.acceptMs],
    status: [...a.status, ...b.status],
    errors: [...a.errors, ...b.errors],
    maxLagMs: Math.max(a.maxLagMs, b.maxLagMs),
    peakRssMb: Math.max(a.peakRssMb, b.peakRssMb),
    cpuMs: a.cpuMs + b.cpuMs,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/** Garbage collections on this thread (the HTTP API, intake and activities) until stop(). */
function mainThreadGc() {
  const tally = { young: 0, youngMs: 0, full: 0, fullMs: 0, stop: () => observer.disconnect() };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === perf.NODE_PERFORMANCE_GC_MINOR) {
        tally.young += 1;
        tally.youngMs += entry.duration;
      } else if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) {
        tally.full += 1;
        tally.fullMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return tally;
}
