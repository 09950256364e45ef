// admitTriggered / admitDated: one run per (journey, trigger key), a set of one. The run row is
// found or created in one statement, so a retried activity or a duplicate trigger lands on the same run.
import { assignHoldout } from '@huitou/schemas/holdout';
import type { JourneySettings } from '@huitou/schemas';
import type pg from 'pg';
import { compileSegment } from '../segments/compile.ts';
import type { AdmitCall, AdmitDatedCall, AdmitResult } from '../contract.ts';
import { ROOT_COHORT } from './snapshot.ts';
import type { FlowDeps } from './types.ts';

interface Admission {
  journeyId: string;
  versionId: string;
  triggerKey: string;
  workflowId: string;
  settings: JourneySettings;
  customerId: number;
  /** The member's entry instant (the event's, or the date scan's). */
  enteredAt: Date;
  /** The run's start (the activity's call time). */
  at: Date;
  /** Whether the customer may enter, asked only for a run that has no member yet. */
  matches: (runId: string) => Promise<boolean>;
}

export interface TriggeredRunRow {
  journeyId: string;
  versionId: string;
  triggerKey: string;
  workflowId: string;
  settings: JourneySettings;
  /** The run's start. */
  at: Date;
  /** A new row's id (a simulation's, for a holdout draw that repeats); random when unset. */
  id?: string;
}

/** The run of (journey, trigger key), created if missing: its id. */
export async function triggeredRunRow(pool: pg.Pool, r: TriggeredRunRow): Promise<string> {
  const run = await pool.query<{ id: string }>(
    `INSERT INTO runs (id, journey_id, version_id, kind, state, trigger_key, workflow_id, entered_at, holdout_ratio, started_at, member_count, shard_count)
     VALUES (coalesce($7::uuid, gen_random_uuid()), $1::uuid, $2::uuid, 'triggered', 'running', $3, $4, $5, $6, $5, 0, 1)
     ON CONFLICT (journey_id, trigger_key) DO UPDATE SET workflow_id = EXCLUDED.workflow_id
     RETURNING id`,
    [r.journeyId, r.versionId, r.triggerKey, r.workflowId, r.at, r.settings.holdoutPercent / 100, r.id ?? null],
  );
  return run.rows[0].id;
}

async function admit(pool: pg.Pool, a: Admission): Promise<AdmitResult> {
  const holdoutRatio = a.settings.holdoutPercent / 100;
  const runId = await triggeredRunRow(pool, a);
  const existing = await pool.query<{ holdout: boolean; exited: boolean }>(
    'SELECT holdout, exited_at IS NOT NULL AS exited FROM run_members WHERE run_id = $1::uuid',
    [runId],
  );
  if (existing.rows.length > 0) {
    // Admitted by an earlier attempt; a run that already ended is not run again.
    const m = existing.rows[0];
    return { runId, admitted: !m.exited, holdout: m.holdout, cohort: ROOT_COHORT };
  }
  if (!(await a.matches(runId))) return { runId, admitted: false, holdout: false, cohort: ROOT_COHORT };
  const holdout = assignHoldout(runId, a.customerId, holdoutRatio);
  await pool.query(
    `INSERT INTO run_members (run_id, customer_id, holdout, shard, cohort, entered_at) VALUES ($1::uuid, $2, $3, 0, $4, $5)
     ON CONFLICT DO NOTHING`,
    [runId, a.customerId, holdout, ROOT_COHORT, a.enteredAt],
  );
  await pool.query('UPDATE runs SET member_count = 1 WHERE id = $1::uuid', [runId]);
  return { runId, admitted: true, holdout, cohort: ROOT_COHORT };
}

export function admitActivity({ pool }: FlowDeps) {
  return async function admitTriggered(call: AdmitCall): Promise<AdmitResult> {
    const at = new Date(call.now);
    return admit(pool, {
      ...call,
      customerId: call.event.customerId,
      enteredAt: new Date(call.event.at),
      at,
      matches: async () => {
        const compiled = compileSegment(call.params.filter, {
          asOf: at,
          timeZone: call.settings.timeZone,
          triggerOrderId: call.event.orderId,
        });
        const n = compiled.params.length;
        const match = await pool.query(
          `SELECT 1 FROM (${compiled.sql}) seg WHERE seg.customer_id = $${n + 1}::bigint`,
          [...compiled.params, call.event.customerId],
        );
        return match.rows.length > 0;
      },
    });
  };
}

/** The daily scan already matched the date rule and the filter (engine/src/date-scan/date-triggers.ts). */
export function admitDatedActivity({ pool }: FlowDeps) {
  return async function admitDated(call: AdmitDatedCall): Promise<AdmitResult> {
    const at = new Date(call.entrant.at);
    return admit(pool, { ...call, customerId: call.entrant.customerId, enteredAt: at, at, matches: async () => true });
  };
}
