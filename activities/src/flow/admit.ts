// admitTriggered: one run per (journey, trigger key), a set of one. The run row is found or created
// in one statement, so a retried activity or a duplicate trigger lands on the same run.
import { assignHoldout } from '@huitou/schemas/holdout';
import { compileSegment } from '@huitou/engine/segments/compile';
import type { AdmitCall, AdmitResult } from '../contract.ts';
import { ROOT_COHORT } from './snapshot.ts';
import type { FlowDeps } from './types.ts';

export function admitActivity({ pool }: FlowDeps) {
  return async function admitTriggered(call: AdmitCall): Promise<AdmitResult> {
    const at = new Date(call.now);
    const holdoutRatio = call.settings.holdoutPercent / 100;
    const run = await pool.query<{ id: string }>(
      `INSERT INTO runs (journey_id, version_id, kind, state, trigger_key, workflow_id, entered_at, holdout_ratio, started_at, member_count, shard_count)
       VALUES ($1::uuid, $2::uuid, 'triggered', 'running', $3, $4, $5, $6, $5, 0, 1)
       ON CONFLICT (journey_id, trigger_key) DO UPDATE SET workflow_id = EXCLUDED.workflow_id
       RETURNING id`,
      [call.journeyId, call.versionId, call.triggerKey, call.workflowId, at, holdoutRatio],
    );
    const runId = run.rows[0].id;
    const existing = await pool.query<{ holdout: boolean; exited: boolean }>(
      'SELECT holdout, exited_at IS NOT NULL AS exited FROM run_members WHERE run_id = $1::uuid',
      [runId],
    );
    if (existing.rows.length > 0) {
      // Admitted by an earlier attempt; a run that already ended is not run again.
      const m = existing.rows[0];
      return { runId, admitted: !m.exited, holdout: m.holdout, cohort: ROOT_COHORT };
    }
    const compiled = compileSegment(call.params.filter, { asOf: at, timeZone: call.settings.timeZone, triggerOrderId: call.event.orderId });
    const n = compiled.params.length;
    const match = await pool.query(`SELECT 1 FROM (${compiled.sql}) seg WHERE seg.customer_id = $${n + 1}::bigint`, [...compiled.params, call.event.customerId]);
    if (match.rows.length === 0) return { runId, admitted: false, holdout: false, cohort: ROOT_COHORT };
    const holdout = assignHoldout(runId, call.event.customerId, holdoutRatio);
    await pool.query(
      `INSERT INTO run_members (run_id, customer_id, holdout, shard, cohort, entered_at) VALUES ($1::uuid, $2, $3, 0, $4, $5)
       ON CONFLICT DO NOTHING`,
      [runId, call.event.customerId, holdout, ROOT_COHORT, new Date(call.event.at)],
    );
    await pool.query('UPDATE runs SET member_count = 1 WHERE id = $1::uuid', [runId]);
    return { runId, admitted: true, holdout, cohort: ROOT_COHORT };
  };
}
