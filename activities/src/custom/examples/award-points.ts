import { z } from 'zod';
import { recordActions } from '../../side-effects/action-ledger.ts';
import { cyclePath, keyPrefix } from '../../side-effects/keys.ts';
import { armCounts, inTransaction } from '../../side-effects/members.ts';
import { ResultTally } from '../../side-effects/result.ts';
import { forEachTreatmentPage } from '../../side-effects/treatment-walk.ts';
import { defineActivity } from '../define-activity.ts';
import { actionResultOutput, nodeCallInput } from '../schemas.ts';

/**
 * Worked example (docs/adding-a-node-type.md): award loyalty points to the treatment arm of a
 * cohort, exactly once per (run, shard or trigger, node, cycle, customer). The `action.points`
 * node (schemas/src/nodes/points.ts) names it. Each member's action_ledger row (kind 'custom', what
 * reports count) and its points commit together: a retry finds the row and counts it as already done.
 */
export const awardPoints = defineActivity({
  name: 'awardPoints',
  input: nodeCallInput(z.object({ points: z.int().min(1).max(10_000) })),
  output: actionResultOutput,
  async run(call, { pool }) {
    const arms = await armCounts(pool, call.ref);
    const tally = new ResultTally();
    const prefix = keyPrefix(call);
    const ledger = {
      kind: 'custom' as const,
      runId: call.ref.runId,
      nodeId: call.nodeId,
      cyclePath: cyclePath(call.cycles),
      prefix,
    };
    await forEachTreatmentPage({ pool, ref: call.ref, treatment: arms.treatment, tally }, async (ids) => {
      await inTransaction(pool, async (client) => {
        const mine = [
          ...(await recordActions(
            client,
            ledger,
            ids.map((id) => ({ customerId: id, status: 'done' as const, detail: { points: call.params.points } })),
          )),
        ];
        await client.query(
          `INSERT INTO loyalty_points (points_key, customer_id, run_id, node_id, points)
           SELECT $1 || u.id::text, u.id, $2::uuid, $3, $4 FROM unnest($5::bigint[]) AS u(id)
           ON CONFLICT (points_key) DO NOTHING`,
          [prefix, call.ref.runId, call.nodeId, call.params.points, mine],
        );
        tally.done += mine.length;
        tally.alreadyDone += ids.length - mine.length;
      });
    });
    return tally.result(arms);
  },
});
