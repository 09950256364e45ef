import type pg from 'pg';
import type { CheckpointCall, CheckpointResult } from '../contract.ts';
import { cyclePath, innermostCycle } from '../side-effects/keys.ts';
import { armFigures } from './figures.ts';
import { compareArms } from './stats.ts';

/** Deterministic: a retried or replayed checkpoint overwrites its row. */
export function evaluationKey(call: Pick<CheckpointCall, 'ref' | 'nodeId' | 'cycles' | 'triggerKey'>): string {
  const scope = call.triggerKey !== undefined ? `t:${call.triggerKey}` : `s:${call.ref.shard}`;
  return `${call.ref.runId}/${scope}/${call.ref.cohort}/${call.nodeId}/${cyclePath(call.cycles)}`;
}

/** The attribution window: from the anchor (or the journey entry) to the anchor + offset, [from, to). */
export function attributionWindow(call: CheckpointCall): { from: Date; to: Date } {
  const from = call.params.attributeFrom === 'entry' ? call.enteredAt : call.anchoredAt;
  const to = call.anchoredAt + call.params.offsetMs;
  return { from: new Date(Math.min(from, to)), to: new Date(to) };
}

/**
 * Measures a cohort at a checkpoint: raw figures per arm (returned, and stored with the derived
 * metrics and the response-rate lift) in `evaluations`. Reports over several shards add the raw
 * figures and recompute the statistics with `compareArms`.
 */
export async function evaluateCheckpoint(pool: pg.Pool, call: CheckpointCall): Promise<CheckpointResult> {
  const { from, to } = attributionWindow(call);
  const path = cyclePath(call.cycles);
  const figures = await armFigures(pool, {
    ref: call.ref,
    from,
    to,
    cyclePath: path,
    goal: call.settings.goal,
    triggerKey: call.triggerKey,
  });
  const comparison = compareArms(figures.treatment, figures.holdout);
  await pool.query(
    `INSERT INTO evaluations (evaluation_key, run_id, checkpoint, node_id, cycle, shard, cohort, window_start, window_end, treatment, holdout,
                              lift, lift_ci_low, lift_ci_high, p_value, significant)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14, $15, $16)
     ON CONFLICT (evaluation_key) DO UPDATE SET
       window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end, treatment = EXCLUDED.treatment, holdout = EXCLUDED.holdout,
       lift = EXCLUDED.lift, lift_ci_low = EXCLUDED.lift_ci_low, lift_ci_high = EXCLUDED.lift_ci_high, p_value = EXCLUDED.p_value,
       significant = EXCLUDED.significant, evaluated_at = now()`,
    [
      evaluationKey(call),
      call.ref.runId,
      call.params.name,
      call.nodeId,
      innermostCycle(call.cycles),
      call.ref.shard,
      call.ref.cohort,
      from,
      to,
      JSON.stringify({
        ...figures.treatment,
        metrics: comparison.treatment,
        incrementalSales: comparison.incrementalSales,
        incrementalRoi: comparison.incrementalRoi,
      }),
      JSON.stringify({ ...figures.holdout, metrics: comparison.holdout }),
      comparison.lift?.lift ?? null,
      comparison.lift?.ciLow ?? null,
      comparison.lift?.ciHigh ?? null,
      comparison.lift?.pValue ?? null,
      comparison.lift?.significant ?? null,
    ],
  );
  return figures;
}

export function createEvaluationActivities(deps: { pool: pg.Pool }) {
  return { evaluateCheckpoint: (call: CheckpointCall) => evaluateCheckpoint(deps.pool, call) };
}

export type EvaluationActivities = ReturnType<typeof createEvaluationActivities>;

export { armFigures, zeroArmFigures } from './figures.ts';
export * from './stats.ts';
export { SMS_FIGURES_SQL } from './sms-sql.ts';
export { couponFiguresSql } from './coupon-sql.ts';
