// Runs left 'pending': the API commits the run, then starts its workflow; a crash (or kill -9) in
// between leaves the run pending with no workflow, and a client retry must not make a second
// campaign. The sweep settles each such run once it is older than a grace period: the workflow
// (whose id is the run's) is asked for; a missing one is started, an existing one's state is
// copied, and a run that cannot be started fails with the reason in the audit log.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { audit } from '../audit.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';
import { loadPlan } from '../plans/load-plan.ts';
import { runWorkflowId, startAudienceWorkflow } from './temporal.ts';

export interface SweepOptions {
  /** A run younger than this may still be starting in the API (default 10 s). */
  graceMs?: number;
  /** A run Temporal would not start for this long fails (default 15 min); before, it is retried. */
  giveUpMs?: number;
}

export interface SweptRun {
  id: string;
  /** running: started or found running; completed/failed: its workflow had already ended. */
  outcome: 'running' | 'completed' | 'failed' | 'failed_to_start' | 'retry';
}

/** The workflow's status name, or undefined when Temporal has no workflow with that id. */
async function workflowStatus(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Settles every pending run older than the grace period; safe with several engines (SKIP LOCKED). */
export async function sweepPendingRuns(deps: EngineDeps, options: SweepOptions = {}): Promise<SweptRun[]> {
  const temporal = deps.temporal;
  if (!temporal) return [];
  const graceMs = options.graceMs ?? 10_000;
  const giveUpMs = options.giveUpMs ?? 15 * 60_000;
  const swept: SweptRun[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<{ id: string; journey_id: string; version_id: string; age_ms: number }>(
        `SELECT r.id, r.journey_id, r.version_id, (extract(epoch FROM now() - r.created_at) * 1000)::float8 AS age_ms
         FROM runs r WHERE r.state = 'pending' AND r.created_at < now() - make_interval(secs => $1) AND r.id > $2
         ORDER BY r.id LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
        [graceMs / 1000, after],
      );
      const run = rows[0];
      if (!run) return true;
      after = run.id;
      const workflowId = runWorkflowId(run.id);
      const settle = async (state: string, ended: boolean, details: Record<string, unknown>) => {
        await db.query(
          `UPDATE runs SET state = $2, workflow_id = $3, started_at = coalesce(started_at, now()),
             ended_at = CASE WHEN $4 THEN coalesce(ended_at, now()) ELSE ended_at END WHERE id = $1`,
          [run.id, state, workflowId, ended],
        );
        await audit(db, 'system', 'run.sweep', { type: 'run', id: run.id }, { state, ...details });
      };
      const fail = async (reason: string) => {
        await db.query(`UPDATE runs SET state = 'failed_to_start', ended_at = now() WHERE id = $1`, [run.id]);
        await audit(db, 'system', 'run.sweep', { type: 'run', id: run.id }, { state: 'failed_to_start', reason });
        swept.push({ id: run.id, outcome: 'failed_to_start' });
        return false;
      };
      // Checked against its stored hash: a plan that does not load can never start.
      const plan = await loadPlan(db, run.version_id).catch((error: unknown) => error as Error);
      if (plan instanceof Error) return fail(plan.message);
      let status: string | undefined;
      try {
        status = await workflowStatus(temporal.client, workflowId);
        if (status === undefined) {
          await startAudienceWorkflow(temporal.client, deps.config.temporal.taskQueue, {
            runId: run.id,
            journeyId: run.journey_id,
            versionId: run.version_id,
            plan,
          });
          status = 'RUNNING';
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (run.age_ms >= giveUpMs) return fail(`Temporal did not start the workflow: ${reason}`);
        deps.log(`pending run ${run.id}: workflow not started yet (${reason}); retrying`, 'warn');
        swept.push({ id: run.id, outcome: 'retry' });
        return false;
      }
      // Ended before anyone recorded that it started (its last activity found the run pending).
      const outcome = status === 'RUNNING' ? 'running' : status === 'COMPLETED' ? 'completed' : 'failed';
      await settle(outcome, outcome !== 'running', { workflow: status });
      swept.push({ id: run.id, outcome });
      return false;
    });
    if (done) return swept;
  }
}
