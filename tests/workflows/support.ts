/* eslint-disable @typescript-eslint/no-restricted-imports, no-restricted-globals --
   Test harness in Node, not workflow code: the lint glob for test workflows matches this folder. */
// Shared set-up for interpreter tests: the workflows bundle (cached on disk by the content of the
// workflows and schemas sources), a migrated database, the flow activities plus recording stubs for
// the side effects, and journey/version rows for a compiled plan.
import { bundleWorkflowCode } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { compileJourney } from '@huitou/schemas';
import type { ExecutionPlan, JourneyGraphInput } from '@huitou/schemas';
import { createJourneyActivities } from '@huitou/activities';
import type { ActionResult, CheckpointCall, CycleState, NodeCall } from '@huitou/activities/contract';
import { createTestEnv } from '@huitou/engine/temporal/test-env';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;
export const MINUTE = 60 * 1000;

const root = fileURLToPath(new URL('../../', import.meta.url));
export const workflowsPath = join(root, 'workflows/src/index.ts');
const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(hash, path);
    else hash.update(path).update(readFileSync(path));
  }
}

/** The workflows bundle, rebuilt only when the workflows or schemas sources change. */
export async function workflowBundle(): Promise<{ codePath: string }> {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.resolve('@temporalio/workflow/package.json'))));
  for (const dir of ['workflows/src', 'schemas/src', 'activities/src/contract.ts']) {
    const path = join(root, dir);
    if (statSync(path).isDirectory()) hashTree(hash, path);
    else hash.update(readFileSync(path));
  }
  const cacheDir = join(root, 'node_modules/.cache/huitou-interpreter-bundles');
  const path = join(cacheDir, `${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: silent });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, code);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return { codePath: path };
}

/** One side-effect call as the stubs saw it: the cohort's active members by arm at that moment. */
export interface RecordedCall {
  name: string;
  nodeId: string;
  cohort: string;
  cycles: CycleState[];
  now: number;
  treatment: number[];
  holdout: number[];
}

export interface Harness {
  db: Database;
  env: TestEnv;
  calls: RecordedCall[];
  /** Runs after each recorded sendSms (e.g. a customer responds by buying). */
  onSms?: (call: NodeCall, treatment: number[]) => Promise<void>;
  close(): Promise<void>;
}

async function cohortMembers(pool: pg.Pool, call: Pick<NodeCall, 'ref'>): Promise<{ treatment: number[]; holdout: number[] }> {
  const { rows } = await pool.query<{ id: string; holdout: boolean }>(
    'SELECT customer_id AS id, holdout FROM run_members WHERE run_id = $1 AND shard = $2 AND cohort = $3 AND exited_at IS NULL ORDER BY 1',
    [call.ref.runId, call.ref.shard, call.ref.cohort],
  );
  return { treatment: rows.filter((r) => !r.holdout).map((r) => Number(r.id)), holdout: rows.filter((r) => r.holdout).map((r) => Number(r.id)) };
}

/** Stand-ins for the side-effect activities: record who would be reached, never send. */
function recordingStubs(harness: () => Harness, pool: pg.Pool) {
  const action = (name: string) => async (call: NodeCall): Promise<ActionResult> => {
    const m = await cohortMembers(pool, call);
    harness().calls.push({ name, nodeId: call.nodeId, cohort: call.ref.cohort, cycles: call.cycles, now: call.now, ...m });
    if (name === 'sendSms') await harness().onSms?.(call, m.treatment);
    return { treatment: m.treatment.length, holdout: m.holdout.length, done: m.treatment.length, alreadyDone: 0, skipped: {} };
  };
  return {
    sendSms: action('sendSms'),
    issueCoupon: action('issueCoupon'),
    createStaffTask: action('createStaffTask'),
    tagCustomers: action('tagCustomers'),
    callWebhook: action('callWebhook'),
    evaluateCheckpoint: async (call: CheckpointCall) => {
      harness().calls.push({ name: 'evaluateCheckpoint', nodeId: call.nodeId, cohort: call.ref.cohort, cycles: call.cycles, now: call.now, treatment: [], holdout: [] });
      const arm = { targets: 0, sent: 0, delivered: 0, billedSegments: 0, buyers: 0, orders: 0, sales: 0, cost: 0 };
      return { treatment: arm, holdout: arm };
    },
  };
}

export async function startHarness(): Promise<Harness> {
  const db = await openTestDatabase();
  const holder: { harness?: Harness } = {};
  const activities = { ...createJourneyActivities({ pool: db.pool }), ...recordingStubs(() => holder.harness as Harness, db.pool) };
  const env = await createTestEnv({ worker: { workflowBundle: await workflowBundle(), activities } });
  holder.harness = {
    db,
    env,
    calls: [],
    close: async () => {
      await env.shutdown();
      await db.close();
    },
  };
  return holder.harness;
}

export function compile(graph: JourneyGraphInput): ExecutionPlan {
  const result = compileJourney(graph);
  if (!result.ok) throw new Error(`journey does not compile: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** A journey, its published version (the plan) and, for audience journeys, a pending run. */
export async function publish(pool: pg.Pool, plan: ExecutionPlan, kind: 'audience' | 'triggered'): Promise<{ journeyId: string; versionId: string; runId: string | null }> {
  const journey = await pool.query<{ id: string }>("INSERT INTO journeys (name, kind, state) VALUES ('test', $1, 'running') RETURNING id", [kind]);
  const journeyId = journey.rows[0].id;
  const version = await pool.query<{ id: string }>(
    "INSERT INTO journey_versions (journey_id, version, graph, plan) VALUES ($1, 1, '{}', $2) RETURNING id",
    [journeyId, JSON.stringify(plan)],
  );
  const versionId = version.rows[0].id;
  if (kind === 'triggered') return { journeyId, versionId, runId: null };
  const run = await pool.query<{ id: string }>("INSERT INTO runs (journey_id, version_id, kind, state) VALUES ($1, $2, 'audience', 'running') RETURNING id", [journeyId, versionId]);
  return { journeyId, versionId, runId: run.rows[0].id };
}

/** Instants as the workflow sees them are whole milliseconds of the server clock. */
export const sortNumbers = (ids: number[]) => [...ids].sort((a, b) => a - b);
