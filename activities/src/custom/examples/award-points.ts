import { z } from 'zod';
import { keyPrefix } from '../../side-effects/keys.ts';
import { armCounts } from '../../side-effects/members.ts';
import { ResultTally } from '../../side-effects/result.ts';
import { defineActivity } from '../define-activity.ts';
import { actionResultOutput, nodeCallInput } from '../schemas.ts';
import { forEachTreatmentPage } from '../../side-effects/treatment-walk.ts';

/**
 * Worked example: award loyalty points to the treatment arm of a cohort, exactly once per
 * (run, shard or trigger, node, cycle, customer). Pairs with the `action.points` node of
 * schemas/README.md ("Adding a node type"), whose definition names `activity: 'awardPoints'`.
 */
export const awardPoints = defineActivity({
  name: 'awardPoints',
  input: nodeCallInput(z.object({ points: z.int().min(1).max(10_000) })),
  output: actionResultOutput,
  async run(call, { pool }) {
    const arms = await armCounts(pool, call.ref);
    const tally = new ResultTally();
    const prefix = keyPrefix(call);
    await forEachTreatmentPage({ pool, ref: call.ref, treatment: arms.treatment, tally }, async (ids) => {
      const res = await pool.query(
        `INSERT INTO loyalty_points (points_key, customer_id, run_id, node_id, points)
         SELECT $1 || u.id::text, u.id, $2::uuid, $3, $4 FROM unnest($5::bigint[]) AS u(id)
         ON CONFLICT (points_key) DO NOTHING`,
        [prefix, call.ref.runId, call.nodeId, call.params.points, ids],
      );
      tally.done += res.rowCount ?? 0;
      tally.alreadyDone += ids.length - (res.rowCount ?? 0);
    });
    return tally.result(arms);
  },
});
