/* eslint-disable @typescript-eslint/no-restricted-imports --
   Test harness in Node, not workflow code: the lint glob for test workflows matches this folder. */
// Shared set-up for interpreter tests: the workflows bundle (cached on disk by the content of the
// workflows and schemas sources), a migrated database, the real journey activities (SMS through the
// local sink), journey/version rows for a compiled plan, and readers of the messages ledger.
import type pg from 'pg';
import { compileJourney } from '@huitou/schemas';
import type { ExecutionPlan, JourneyGraphInput } from '@huitou/schemas';
import { createJourneyActivities } from '@huitou/activities';
import { createLaneTestEnv } from '../support/temporal-lane.ts';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { cachedInterpreterBundle } from '@huitou/engine/temporal/workflow-bundle';
import type { Database } from '../../engine/src/db/connect.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;
export const MINUTE = 60 * 1000;

/** The workflows bundle, rebuilt only when the workflows or schemas sources change (one definition, in the engine). */
export const workflowBundle = (): Promise<{ codePath: string }> => cachedInterpreterBundle();

export interface Harness {
  db: Database;
  env: TestEnv;
  close(): Promise<void>;
}

/** The real worker: every journey activity, SMS through the local sink (as `npm start` runs it). */
export async function startHarness(): Promise<Harness> {
  const db = await openTestDatabase();
  const env = await createLaneTestEnv({
    worker: { workflowBundle: await workflowBundle(), activities: createJourneyActivities({ pool: db.pool }) },
  });
  return {
    db,
    env,
    close: async () => {
      await env.shutdown();
      await db.close();
    },
  };
}

/** One row of the messages ledger, with whether the local sink received it. */
export interface LedgerRow {
  key: string;
  runId: string;
  node: string;
  cycle: number;
  cyclePath: string;
  shard: number | null;
  triggerKey: string | null;
  customerId: number;
  smsClass: string;
  status: string;
  skipReason: string | null;
  /** When the send path acted (workflow time), epoch ms. */
  at: number;
  inSink: boolean;
}

/**
 * The ledger rows of one run (or of every run), by customer, then oldest first: shards and
 * batches commit in no fixed order, so only a customer's own rows have a time order to compare.
 */
export async function ledger(pool: pg.Pool, runId?: string | null): Promise<LedgerRow[]> {
  const { rows } = await pool.query<{
    message_key: string;
    run_id: string;
    node_id: string;
    cycle: number;
    cycle_path: string;
    shard: number | null;
    trigger_key: string | null;
    customer_id: string;
    class: string;
    status: string;
    skip_reason: string | null;
    created_at: Date;
    in_sink: boolean;
  }>(
    `SELECT m.message_key, m.run_id, m.node_id, m.cycle, m.cycle_path, m.shard, m.trigger_key, m.customer_id, m.class, m.status, m.skip_reason,
            m.created_at, s.message_key IS NOT NULL AS in_sink
     FROM messages m LEFT JOIN sms_sink s ON s.message_key = m.message_key
     WHERE $1::uuid IS NULL OR m.run_id = $1::uuid
     ORDER BY m.customer_id, m.created_at, m.id`,
    [runId ?? null],
  );
  return rows.map((r) => ({
    key: r.message_key,
    runId: r.run_id,
    node: r.node_id,
    cycle: r.cycle,
    cyclePath: r.cycle_path,
    shard: r.shard,
    triggerKey: r.trigger_key,
    customerId: Number(r.customer_id),
    smsClass: r.class,
    status: r.status,
    skipReason: r.skip_reason,
    at: r.created_at.getTime(),
    inSink: r.in_sink,
  }));
}

/**
 * When a run ended, in workflow time (the runs row). After result() read this, not the server
 * clock: a time-skipping server may run on to a later timer before the client locks time again
 * (Temporal's test server keeps cancelled timers and skips to them).
 */
export async function runEndedAt(pool: pg.Pool, runId: string | null): Promise<number> {
  const { rows } = await pool.query<{ ended_at: Date | null }>('SELECT ended_at FROM runs WHERE id = $1', [runId]);
  if (!rows[0]?.ended_at) throw new Error(`run ${runId} has not ended`);
  return rows[0].ended_at.getTime();
}

/** The customers of ledger rows, ascending. */
export const customersOf = (rows: readonly LedgerRow[]): number[] => sortNumbers(rows.map((r) => r.customerId));

/**
 * Lets server time pass in steps of `stepMs` until `probe` returns a value (e.g. the ledger shows a
 * send); the workflow meanwhile runs as usual. Fails after `maxMs` of server time.
 */
export async function waitFor<T>(
  env: TestEnv,
  probe: () => Promise<T | undefined | null | false>,
  { stepMs = MINUTE, maxMs = 60 * DAY } = {},
): Promise<T> {
  const until = env.now() + maxMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (env.now() > until) throw new Error(`waitFor: nothing after ${maxMs} ms of server time`);
    const started = performance.now();
    await env.sleep(stepMs);
    reportStalledSkip(env, performance.now() - started);
  }
}

/**
 * A sleep on a time-skipping server that took over 10 s of real time found the clock kept at
 * wall-clock pace by unfinished work: say what holds it (the embedded server knows), since the
 * suite's hook would otherwise only time out minutes later without a clue.
 */
function reportStalledSkip(env: TestEnv, realMs: number): void {
  const server = env.server.embedded;
  if (!server || realMs < 10_000) return;
  console.warn(
    `[waitFor] a sleep took ${Math.round(realMs / 1000)} s of real time; time cannot skip:\n  ${server.busyReport().join('\n  ')}`,
  );
}

/** Lets server time pass to the next 10:00 in Shanghai (02:00 UTC, outside quiet hours); returns it. */
export async function untilShanghaiMorning(env: TestEnv): Promise<number> {
  const d = new Date(env.now());
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 2);
  if (at <= env.now()) at += DAY;
  await env.sleep(at - env.now());
  return at;
}

export function compile(graph: JourneyGraphInput): ExecutionPlan {
  const result = compileJourney(graph);
  if (!result.ok) throw new Error(`journey does not compile: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** A journey, its published version (the plan) and, for audience journeys, a pending run. */
export async function publish(
  pool: pg.Pool,
  plan: ExecutionPlan,
  kind: 'audience' | 'triggered',
  /** A fixed run id, where a test needs a known holdout draw (it hashes run and customer ids). */
  fixedRunId?: string,
): Promise<{ journeyId: string; versionId: string; runId: string | null }> {
  const journey = await pool.query<{ id: string }>(
    "INSERT INTO journeys (name, kind, state) VALUES ('test', $1, 'running') RETURNING id",
    [kind],
  );
  const journeyId = journey.rows[0].id;
  const version = await pool.query<{ id: string }>(
    "INSERT INTO journey_versions (journey_id, version, graph, plan) VALUES ($1, 1, '{}', $2) RETURNING id",
    [journeyId, JSON.stringify(plan)],
  );
  const versionId = version.rows[0].id;
  if (kind === 'triggered') return { journeyId, versionId, runId: null };
  const run = await pool.query<{ id: string }>(
    `INSERT INTO runs (id, journey_id, version_id, kind, state)
     VALUES (coalesce($3::uuid, gen_random_uuid()), $1, $2, 'audience', 'running') RETURNING id`,
    [journeyId, versionId, fixedRunId ?? null],
  );
  return { journeyId, versionId, runId: run.rows[0].id };
}

/** Instants as the workflow sees them are whole milliseconds of the server clock. */
export const sortNumbers = (ids: number[]) => [...ids].sort((a, b) => a - b);
