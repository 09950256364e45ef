// Runs started "at a time" wait as state 'scheduled'; this starts the due ones, after turning due
// occurrences of recurring schedules into such runs. Works the same on the embedded server and a
// real one (the dev server has no start delay or schedules).
import type { EngineDeps } from '../deps.ts';
import { withTransaction } from '../db/transaction.ts';
import { audit } from '../audit.ts';
import { loadPlan } from '../plans/load-plan.ts';
import { materialiseDueOccurrences } from './materialise.ts';
import { scanDateTriggers } from '../date-scan/date-triggers.ts';
import { startAudienceWorkflow } from '../runs/temporal.ts';
import { sweepPendingRuns } from '../runs/sweep.ts';
import { deleteExpiredIdempotencyKeys } from './expire-keys.ts';

/**
 * Starts every scheduled run due at `now` (schedules' occurrences included); returns their ids.
 * Safe with several engines (SKIP LOCKED).
 */
export async function startDueRuns(deps: EngineDeps, now: Date = deps.now?.() ?? new Date()): Promise<string[]> {
  const temporal = deps.temporal;
  if (!temporal) return [];
  await materialiseDueOccurrences(deps, now);
  const started: string[] = [];
  for (;;) {
    const id = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<{ id: string; journey_id: string; version_id: string }>(
        `SELECT r.id, r.journey_id, r.version_id FROM runs r
         WHERE r.state = 'scheduled' AND r.scheduled_for <= $1 ORDER BY r.scheduled_for LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
        [now],
      );
      const run = rows[0];
      if (!run) return null;
      const workflowId = await startAudienceWorkflow(temporal.client, deps.config.temporal.taskQueue, {
        runId: run.id,
        journeyId: run.journey_id,
        versionId: run.version_id,
        plan: await loadPlan(db, run.version_id),
      });
      await db.query(`UPDATE runs SET state = 'running', workflow_id = $2, started_at = now() WHERE id = $1`, [
        run.id,
        workflowId,
      ]);
      await audit(db, 'system', 'run.start', { type: 'run', id: run.id }, { scheduled: true });
      return run.id;
    });
    if (!id) return started;
    started.push(id);
  }
}

/**
 * Polls startDueRuns, the pending-run sweep (runs/sweep.ts) and the daily date scans
 * (scanDateTriggers) every `everyMs`; returns a stop function.
 */
export function startScheduler(deps: EngineDeps, everyMs = 5000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const report = (what: string) => (error: unknown) =>
    deps.log(`${what}: ${error instanceof Error ? error.message : String(error)}`, 'warn');
  const timer = setInterval(() => {
    running = running
      .then(() => startDueRuns(deps))
      .catch(report('scheduled runs'))
      .then(() => sweepPendingRuns(deps))
      .then(() => deleteExpiredIdempotencyKeys(deps.pool))
      .catch(report('pending runs'))
      .then(() => scanDateTriggers(deps))
      .catch(report('date scans'));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
