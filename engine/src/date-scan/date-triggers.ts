// The daily scan of date-triggered journeys (entry.date: birthdays, N days after the last purchase).
// At each journey's check time (local, in its time zone) the scheduler tick finds the customers the
// date rule and the filter match today and admits them into one triggered cohort per journey and
// day (cohortWorkflowId(journey, 'date-<date>')), each keyed `customer:<id>:<date>`. Exactly once
// per day: the journey's date_scans row is locked FOR UPDATE SKIP LOCKED and advanced in the same
// transaction, so a second engine skips it; a crash mid-scan rolls back to a rescan that admits
// nothing twice (the cohort's admission skips keys decided before).
import type { Client } from '@temporalio/client';
import type { CohortEvent } from '@huitou/activities/contract';
import type { ExecutionPlan, NodeParams } from '@huitou/schemas';
import { cohortEventsSignal, cohortWorkflowId, dateTriggerKey, triggeredCohort } from '@huitou/workflows';
import type { TriggeredCohortInput } from '@huitou/workflows';
import { compileSegment, dateEntrySegment, localDateOf } from '@huitou/activities/segments';
import { loadPlans } from '../plans/load-plan.ts';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';
import { instantOfWallClock } from '../scheduler/recurrence.ts';

/** Entrants per signal to the day's cohort. */
const SIGNAL_BATCH = 2_000;

export interface DateScan {
  journeyId: string;
  /** The local date scanned (YYYY-MM-DD, journey time zone). */
  date: string;
  /** Customers the rule and filter matched. */
  found: number;
  /** Customers this scan sent into the day's cohort (a rescan after a crash finds the earlier ones claimed). */
  started: number;
}

interface DateJourney {
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  entry: NodeParams<'entry.date'>;
}

/**
 * Every journey taking new entries (published; paused and draining ones take none, so a journey
 * resumed later in the day is scanned then) whose latest version starts with entry.date.
 */
async function dateJourneys(db: Db): Promise<DateJourney[]> {
  const { rows } = await db.query<{ journey_id: string; version_id: string }>(
    `SELECT DISTINCT ON (v.journey_id) v.journey_id, v.id AS version_id
     FROM journeys j JOIN journey_versions v ON v.journey_id = j.id
     WHERE j.kind = 'triggered' AND j.state = 'published'
     ORDER BY v.journey_id, v.version DESC`,
  );
  const plans = await loadPlans(
    db,
    rows.map((r) => r.version_id),
  );
  const out: DateJourney[] = [];
  for (const r of rows) {
    const plan = plans.get(r.version_id) as ExecutionPlan;
    const entry = plan.nodes[plan.entry];
    if (plan.kind === 'dated' && entry?.type === 'entry.date')
      out.push({ journeyId: r.journey_id, versionId: r.version_id, plan, entry: entry.params });
  }
  return out;
}

/** The instant of `checkAt` (HH:MM) on a local date, DST-safe like the schedules' occurrences. */
export function checkInstant(date: string, checkAt: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = checkAt.split(':').map(Number);
  return instantOfWallClock(Date.UTC(y, m - 1, d, hh, mm), timeZone);
}

/**
 * Scans every date-triggered journey whose check time has come today (the first tick at or after
 * it) and that was not scanned today yet. Days missed while no engine ran are not caught up: a
 * birthday wish three days late helps nobody. Returns what each scan did.
 */
export async function scanDateTriggers(deps: EngineDeps, now: Date = deps.now?.() ?? new Date()): Promise<DateScan[]> {
  const temporal = deps.temporal;
  if (!temporal) return [];
  const scans: DateScan[] = [];
  for (const journey of await dateJourneys(deps.pool)) {
    const { timeZone } = journey.plan.settings;
    const date = localDateOf(now, timeZone);
    if (now.getTime() < checkInstant(date, journey.entry.checkAt, timeZone)) continue;
    await deps.pool.query('INSERT INTO date_scans (journey_id) VALUES ($1) ON CONFLICT DO NOTHING', [
      journey.journeyId,
    ]);
    const scan = await withTransaction(deps.pool, (db) =>
      scanJourney(db, temporal.client, deps.config.temporal.taskQueue, journey, date, now),
    );
    if (scan) scans.push(scan);
  }
  return scans;
}

async function scanJourney(
  db: Db,
  client: Client,
  taskQueue: string,
  journey: DateJourney,
  date: string,
  now: Date,
): Promise<DateScan | null> {
  const { rows } = await db.query<{ scanned: string | null }>(
    'SELECT scanned_date::text AS scanned FROM date_scans WHERE journey_id = $1 FOR UPDATE SKIP LOCKED',
    [journey.journeyId],
  );
  // Locked: another engine is scanning it now. Scanned: today is done.
  if (rows.length === 0 || (rows[0].scanned !== null && rows[0].scanned >= date)) return null;

  const compiled = compileSegment(dateEntrySegment(journey.entry), {
    asOf: now,
    timeZone: journey.plan.settings.timeZone,
  });
  const found = await db.query<{ customer_id: string }>(
    `SELECT seg.customer_id FROM (${compiled.sql}) seg ORDER BY seg.customer_id`,
    [...compiled.params],
  );
  const customers = found.rows.map((r) => Number(r.customer_id));
  const workflowId = cohortWorkflowId(journey.journeyId, `date-${date}`);
  let started = 0;
  for (let i = 0; i < customers.length; i += SIGNAL_BATCH) {
    const batch = customers.slice(i, i + SIGNAL_BATCH);
    const entries = await claim(db, journey.journeyId, workflowId, batch, date, now.getTime());
    if (entries.length > 0) await admitInto(client, taskQueue, journey, workflowId, entries);
    started += entries.length;
  }
  await db.query(
    'UPDATE date_scans SET scanned_date = $2::date, scanned_at = $3, admitted = $4 WHERE journey_id = $1',
    [journey.journeyId, date, now, started],
  );
  await audit(
    db,
    'system',
    'journey.date_scan',
    { type: 'journey', id: journey.journeyId },
    { date, versionId: journey.versionId, found: customers.length, started },
  );
  return { journeyId: journey.journeyId, date, found: customers.length, started };
}

/** Claims the entrants' keys for the day's cohort; a key claimed before (an earlier scan of the day) is left out. */
async function claim(
  db: Db,
  journeyId: string,
  workflowId: string,
  customers: number[],
  date: string,
  at: number,
): Promise<CohortEvent[]> {
  const keys = customers.map((customerId) => dateTriggerKey({ customerId, date }));
  const { rows } = await db.query<{ trigger_key: string }>(
    `INSERT INTO trigger_entries (journey_id, trigger_key, workflow_id)
     SELECT $1::uuid, k, $2 FROM unnest($3::text[]) AS u(k)
     ON CONFLICT (journey_id, trigger_key) DO NOTHING RETURNING trigger_key`,
    [journeyId, workflowId, keys],
  );
  const claimed = new Set(rows.map((r) => r.trigger_key));
  return customers
    .map((customerId, i) => ({ key: keys[i], customerId }))
    .filter((e) => claimed.has(e.key))
    .map((e) => ({ ...e, entry: true, type: 'date' as const, orderId: null, at }));
}

/** Signal-with-start of the day's cohort with a batch of entrants. */
async function admitInto(
  client: Client,
  taskQueue: string,
  journey: DateJourney,
  workflowId: string,
  entries: CohortEvent[],
): Promise<void> {
  const args: [TriggeredCohortInput] = [
    { journeyId: journey.journeyId, versionId: journey.versionId, plan: journey.plan },
  ];
  await client.workflow.signalWithStart(triggeredCohort, {
    taskQueue,
    workflowId,
    args,
    signal: cohortEventsSignal,
    signalArgs: [entries],
  });
}
