// snapshotAudience: the data layer's snapshot (one INSERT ... SELECT, idempotent per run) plus the
// member count of every shard, which the shard workflows start with.
import { snapshotAudience as snapshot } from '../segments/snapshot.ts';
import type { SnapshotCall, SnapshotResult } from '../contract.ts';
import type { FlowDeps } from './types.ts';

export const ROOT_COHORT = 'root';

export function snapshotActivity({ pool }: FlowDeps) {
  return async function snapshotAudience(call: SnapshotCall): Promise<SnapshotResult> {
    const at = new Date(call.now);
    const result = await snapshot(pool, {
      runId: call.runId,
      segment: call.params.segment,
      context: { asOf: at, entryAt: at, ...(call.timeZone ? { timeZone: call.timeZone } : {}) },
      holdoutRatio: call.holdoutPercent / 100,
      shardSize: call.shardSize,
      cohort: ROOT_COHORT,
      // Applied by the data layer only to a schedule's occurrences (earlier runs of the journey).
      reentry: call.params.reentry,
    });
    const { rows } = await pool.query<{ shard: number; treatment: number; holdout: number }>(
      `SELECT shard, count(*) FILTER (WHERE NOT holdout)::int AS treatment, count(*) FILTER (WHERE holdout)::int AS holdout
       FROM run_members WHERE run_id = $1::uuid GROUP BY shard ORDER BY shard`,
      [call.runId],
    );
    return {
      members: result.members,
      holdout: result.holdout,
      shards: rows.map((r) => r.shard),
      cohort: result.cohort,
      sizes: rows,
    };
  };
}
