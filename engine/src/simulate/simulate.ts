// Simulating a draft: the compiled plan runs to completion on a sandbox built from the real parts:
// a fresh in-memory PGlite (sandbox.ts), a time-skipping embedded Temporal server with the real
// worker, the real interpreter workflows and the real journey activities (SMS into the local sink).
// Months of journey pass in seconds; nothing touches the shop's database or its Temporal server.
// The per-node figures come from the run's counts and the sandbox's ledgers (figures.ts).
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type pg from 'pg';
import { journeyKindOf } from '@huitou/schemas';
import type { ExecutionPlan, NodeParams } from '@huitou/schemas';
import type { TriggerEvent } from '@huitou/activities/contract';
import { createJourneyActivities, triggeredRunRow } from '@huitou/activities';
import { audienceRun, eventSignal, triggeredRun, triggeredWorkflowId, triggerKeyOf } from '@huitou/workflows';
import type {
  AudienceRunInput,
  AudienceRunResult,
  NodeCounts,
  TriggeredRunInput,
  TriggeredRunResult,
} from '@huitou/workflows';
import { addCounts } from '@huitou/workflows/state';
import type { Database } from '../db/connect.ts';
import { workflowBundle } from '../journey-worker.ts';
import { previewSegment } from '@huitou/activities/segments';
import { createTestEnv } from '../temporal/test-env.ts';
import type { TestEnv } from '../temporal/test-env.ts';
import type { FollowUpRate, FollowUpSetting, SimulatedMessage, SimulationPopulation } from '@huitou/schemas/http';
import { ledgerFigures } from './figures.ts';
import { awaitedEvents, followUpRates, planFollowUps, recordFollowUp } from './follow-ups.ts';
import { CustomerNotFound, openSandbox } from './sandbox.ts';
import { simulationReport } from './report.ts';
import type { SimulationReport } from './report.ts';

/** The id of a simulated audience run's workflow (on the sandbox's own server). */
export const simulationWorkflowId = (runId: string) => `simulation:${runId}`;
export type SimulationAudience = 'demo_shop' | { customerId: number };

export interface SimulationLimits {
  /** Customers of the demo shop seeded into the sandbox. */
  demoCustomers: number;
  /** Audience members (or trigger events) a simulation may run; more is refused before it starts. */
  maxMembers: number;
  /** Wall-clock time a simulation may take; the sandbox is torn down when it is exceeded. */
  timeLimitMs: number;
  /** Demo orders that each get one synthetic trigger event (triggered journeys). */
  triggerSample: number;
}

export const DEFAULT_SIMULATION_LIMITS: SimulationLimits = {
  demoCustomers: 2_000,
  maxMembers: 5_000,
  timeLimitMs: 120_000,
  triggerSample: 20,
};

export type SimulationFailure = 'busy' | 'too_large' | 'timeout' | 'unsupported' | 'customer_not_found' | 'no_orders';

export class SimulationError extends Error {
  constructor(
    readonly failure: SimulationFailure,
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** Node types whose side effect leaves the machine whatever the sandbox: they cannot be simulated. */
const LEAVES_THE_SANDBOX = new Set(['action.webhook']);

// A simulation is CPU heavy (a worker, a server and a database in this process): one at a time.
let running = false;

export interface SimulationInput {
  plan: ExecutionPlan;
  audience: SimulationAudience;
  /** The shop's database: read only, to copy a test customer into the sandbox. */
  shop: pg.Pool;
  /** Follow-up rates the marketer set; the other awaited events are learned from the shop's orders. */
  followUps?: readonly FollowUpSetting[];
  /**
   * Rendering for a test send (one customer): nobody held out, no follow-up event comes and the
   * customer is reachable, so every message on the customer's path is rendered.
   */
  renderAll?: boolean;
  limits?: Partial<SimulationLimits>;
  log?: (message: string) => void;
}

export async function simulateJourney(asked: SimulationInput): Promise<SimulationReport> {
  const limits = { ...DEFAULT_SIMULATION_LIMITS, ...asked.limits };
  const input = asked.renderAll ? renderingAll(asked) : asked;
  for (const node of Object.values(input.plan.nodes)) {
    if (LEAVES_THE_SANDBOX.has(node.type))
      throw new SimulationError(
        'unsupported',
        `node ${node.id} (${node.type}) calls an outside system and cannot be simulated`,
        node.id,
      );
  }
  if (running)
    throw new SimulationError('busy', 'a simulation is already running on this engine; try again when it has finished');
  running = true;
  let sandbox: Database | undefined;
  let env: TestEnv | undefined;
  try {
    sandbox = await openSandbox(
      input.audience === 'demo_shop'
        ? { kind: 'demo_shop', customers: limits.demoCustomers }
        : {
            kind: 'customer',
            customerId: input.audience.customerId,
            from: input.shop,
            reachable: input.renderAll === true,
          },
    ).catch((error: unknown) => {
      if (error instanceof CustomerNotFound) throw new SimulationError('customer_not_found', error.message);
      throw error;
    });
    env = await createTestEnv({
      worker: {
        workflowBundle: await workflowBundle(input.log ?? (() => {})),
        activities: createJourneyActivities({ pool: sandbox.pool }),
      },
    });
    const ids = await journeyRows(sandbox.pool, input.plan);
    await untilScheduledStart(env, input.plan);
    const startedAt = env.now();
    // The run's client calls end with the limit: none is left retrying once the env shuts down.
    const abort = new AbortController();
    // Every call in flight listens on it (20 entry events at once): more than Node's warning limit.
    setMaxListeners(0, abort.signal);
    const outcome = await withinTimeLimit(
      limits.timeLimitMs,
      abort,
      env.client.withAbortSignal(abort.signal, () =>
        input.plan.kind === 'audience'
          ? runAudience(env!, sandbox!.pool, input, ids, limits)
          : runTriggered(env!, sandbox!.pool, input, ids, limits),
      ),
    );
    return simulationReport({
      plan: input.plan,
      audience:
        input.audience === 'demo_shop'
          ? { kind: 'demo_shop', customers: limits.demoCustomers }
          : { kind: 'customer', customerId: input.audience.customerId },
      ...outcome,
      startedAt,
      endedAt: env.now(),
      ledgers: await ledgerFigures(sandbox.pool),
      pool: sandbox.pool,
      timeline: input.audience === 'demo_shop' ? undefined : await customerTimeline(sandbox.pool),
    });
  } finally {
    await env?.shutdown().catch(() => {});
    await sandbox?.close().catch(() => {});
    running = false;
  }
}

/** No holdout and no follow-up event: every message on the test customer's path is rendered. */
function renderingAll(input: SimulationInput): SimulationInput {
  const plan = { ...input.plan, settings: { ...input.plan.settings, holdoutPercent: 0 } };
  const followUps = [...awaitedEvents(plan).keys()].map((event) => ({ event, percent: 0 }));
  return { ...input, plan, followUps };
}

/** The one customer's messages in the order the journey sent them, at the journey's own times. */
async function customerTimeline(pool: pg.Pool): Promise<SimulatedMessage[]> {
  const { rows } = await pool.query<{
    at: Date;
    node_id: string;
    class: 'marketing' | 'notification';
    status: string;
    skip_reason: string | null;
    body: string | null;
  }>('SELECT created_at AS at, node_id, class, status, skip_reason, body FROM messages ORDER BY created_at, id');
  return rows.map((r) => ({
    at: r.at.toISOString(),
    nodeId: r.node_id,
    smsClass: r.class,
    sent: r.status !== 'skipped' && r.status !== 'failed',
    skipReason: r.skip_reason,
    body: r.body,
  }));
}

interface JourneyIds {
  journeyId: string;
  versionId: string;
}

/** The journey and its version inside the sandbox, as publishing would store them. */
async function journeyRows(pool: pg.Pool, plan: ExecutionPlan): Promise<JourneyIds> {
  const kind = journeyKindOf(plan.kind);
  const j = await pool.query<{ id: string }>(
    "INSERT INTO journeys (name, kind, state) VALUES ('simulation', $1, 'published') RETURNING id",
    [kind],
  );
  const v = await pool.query<{ id: string }>(
    'INSERT INTO journey_versions (journey_id, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4) RETURNING id',
    [j.rows[0].id, '{}', JSON.stringify(plan), plan.hash],
  );
  return { journeyId: j.rows[0].id, versionId: v.rows[0].id };
}

/** A run set for a later date starts then (quiet hours and date windows as they will be). */
async function untilScheduledStart(env: TestEnv, plan: ExecutionPlan): Promise<void> {
  const entry = plan.nodes[plan.entry];
  if (entry?.type !== 'entry.audience') return;
  const schedule = (entry.params as NodeParams<'entry.audience'>).schedule;
  if (schedule?.kind !== 'once' || !schedule.startAt) return;
  const at = Date.parse(schedule.startAt);
  if (at > env.now()) await env.sleep(at - env.now());
}

export interface RunOutcome {
  /** The audience run's id inside the sandbox (the holdout is drawn from it); null for triggered runs. */
  runId: string | null;
  members: number;
  holdout: number;
  counts: NodeCounts;
  followUps: FollowUpRate[];
  population: SimulationPopulation;
}

async function runAudience(
  env: TestEnv,
  pool: pg.Pool,
  { plan, shop: shopPool, audience }: SimulationInput,
  ids: JourneyIds,
  limits: SimulationLimits,
): Promise<RunOutcome> {
  const entry = plan.nodes[plan.entry] as { params: NodeParams<'entry.audience'> };
  const { count } = await previewSegment(
    pool,
    entry.params.segment,
    { asOf: new Date(env.now()), timeZone: plan.settings.timeZone },
    { sampleSize: 0 },
  );
  if (count > limits.maxMembers)
    throw new SimulationError(
      'too_large',
      `the audience has ${count} members; simulations take at most ${limits.maxMembers}`,
      plan.entry,
    );
  const runId = simulationRunId(plan);
  await pool.query(
    "INSERT INTO runs (id, journey_id, version_id, kind, state) VALUES ($1, $2, $3, 'audience', 'running')",
    [runId, ids.journeyId, ids.versionId],
  );
  const args: [AudienceRunInput] = [{ runId, ...ids, plan }];
  const handle = await env.client.workflow.start(audienceRun, {
    taskQueue: env.taskQueue,
    workflowId: simulationWorkflowId(runId),
    args,
  });
  const result = (await handle.result()) as AudienceRunResult;
  const customers = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  // The same audience on the shop's own data, as the entry card counts it.
  const shop = await previewSegment(
    shopPool,
    entry.params.segment,
    { asOf: new Date(), timeZone: plan.settings.timeZone },
    { sampleSize: 0 },
  );
  return {
    runId,
    members: result.members,
    holdout: result.holdout,
    counts: result.counts,
    followUps: [],
    population: {
      kind: 'segment',
      source: audience === 'demo_shop' ? 'demo_shop' : 'customer',
      customers: customers.rows[0].n,
      members: result.members,
      shopMembers: shop.count,
    },
  };
}

/**
 * One synthetic entry event per sampled order (the test customer's latest, or the demo shop's latest
 * orders), then the follow-up events (payments...) at their rates, at their times in the sandbox.
 */
async function runTriggered(
  env: TestEnv,
  pool: pg.Pool,
  input: SimulationInput,
  ids: JourneyIds,
  limits: SimulationLimits,
): Promise<RunOutcome> {
  const { plan, audience } = input;
  const entry = plan.nodes[plan.entry];
  if (entry?.type !== 'entry.event')
    throw new SimulationError('unsupported', `entry ${plan.entryType} cannot be simulated`, plan.entry);
  const params = entry.params as NodeParams<'entry.event'>;
  const sample = Math.min(audience === 'demo_shop' ? limits.triggerSample : 1, limits.maxMembers);
  const { rows } = await pool.query<{ id: string; customer_id: string; created_at: Date }>(
    'SELECT id, customer_id, created_at FROM orders ORDER BY created_at DESC, id DESC LIMIT $1',
    [sample],
  );
  if (rows.length === 0)
    throw new SimulationError('no_orders', 'the audience has no order to trigger the journey with');
  const followUps = await followUpRates({
    plan,
    settings: input.followUps ?? [],
    shop: input.shop,
    demoShop: audience === 'demo_shop' ? pool : null,
  });
  const at = env.now();
  const events: TriggerEvent[] = rows.map((r) => ({
    type: params.event,
    orderId: Number(r.id),
    customerId: Number(r.customer_id),
    at,
  }));
  const handles = await Promise.all(
    events.map(async (event) => {
      const triggerKey = triggerKeyOf(params, event);
      const workflowId = triggeredWorkflowId(ids.journeyId, triggerKey);
      // The run's row is made here with an id of the plan and the trigger, so the holdout draws
      // the same members each time (admission finds the row).
      await triggeredRunRow(pool, {
        ...ids,
        triggerKey,
        workflowId,
        settings: plan.settings,
        at: new Date(at),
        id: simulationRunId(plan, triggerKey),
      });
      const args: [TriggeredRunInput] = [{ ...ids, plan, triggerKey }];
      return env.client.workflow.signalWithStart(triggeredRun, {
        taskQueue: env.taskQueue,
        workflowId,
        args,
        signal: eventSignal,
        signalArgs: [event],
      });
    }),
  );
  // Each follow-up at its time: the sandbox's clock is moved to it, then the run hears it.
  for (const planned of planFollowUps(
    followUps,
    events.map((e) => e.orderId),
  )) {
    const due = at + planned.afterMs;
    if (due > env.now()) await env.sleep(due - env.now());
    const trigger = events[planned.trigger];
    const event: TriggerEvent = { ...trigger, type: planned.event, at: env.now() };
    await recordFollowUp(pool, planned.event, trigger.orderId, event.at);
    // A run that already ended (filtered out at the entry, or done) no longer hears anything.
    const heard = await handles[planned.trigger].signal(eventSignal, event).then(
      () => true,
      () => false,
    );
    if (heard) (followUps.find((f) => f.event === planned.event) as FollowUpRate).delivered += 1;
  }
  const counts: NodeCounts = {};
  let members = 0;
  for (const h of handles) {
    const result = (await h.result()) as TriggeredRunResult;
    if (result.admitted) members += 1;
    addCounts(counts, result.counts);
  }
  const { rows: held } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_members WHERE holdout');
  const { rows: recent } = await input.shop.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM orders WHERE created_at >= now() - interval '7 days'",
  );
  const created = rows.map((r) => r.created_at.getTime());
  return {
    runId: null,
    members,
    holdout: held[0].n,
    counts,
    followUps,
    population: {
      kind: 'orders',
      source: audience === 'demo_shop' ? 'demo_shop' : 'customer',
      orders: rows.length,
      firstAt: new Date(Math.min(...created)).toISOString(),
      lastAt: new Date(Math.max(...created)).toISOString(),
      shopOrders7d: recent[0].n,
    },
  };
}

/**
 * The same draft simulated twice draws the same holdout (it is a hash of run id and customer id),
 * so the run id is derived from the plan (and a triggered run's from its trigger key too):
 * simulations are reproducible and comparable.
 */
export function simulationRunId(plan: ExecutionPlan, triggerKey?: string): string {
  const seed = triggerKey === undefined ? `simulation:${plan.hash}` : `simulation:${plan.hash}:${triggerKey}`;
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Rejects with `timeout` when the run takes longer than `ms` of wall-clock time, once its calls
 * are cancelled (the finally tears the sandbox down).
 */
async function withinTimeLimit<T>(ms: number, abort: AbortController, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const first = await Promise.race([work, limit]);
    if (first !== 'timeout') return first;
  } finally {
    clearTimeout(timer);
  }
  // Cancel the run's calls and let them settle before the caller shuts the env down.
  abort.abort();
  await work.catch(() => {});
  throw new SimulationError('timeout', `the simulation took longer than ${Math.round(ms / 1000)} s and was stopped`);
}
