import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../contract.ts';
import { effectiveNow } from './guards.ts';
import { keyPrefix } from './keys.ts';
import { armCounts } from './members.ts';
import { ResultTally } from './result.ts';
import { forEachTreatmentPage } from './treatment-walk.ts';

/** One staff task per treatment member (e.g. call the buyer of a large unpaid order), keyed like messages. */
export async function createStaffTask(
  deps: { pool: pg.Pool; now: () => Date; batchSize?: number },
  call: NodeCall<NodeParams<'action.task'>>,
): Promise<ActionResult> {
  const { pool } = deps;
  const p = call.params;
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const prefix = keyPrefix(call);
  await forEachTreatmentPage(
    { pool, ref: call.ref, treatment: arms.treatment, tally, batchSize: deps.batchSize },
    async (ids) => {
      const at = new Date(effectiveNow(call.now, deps.now));
      const res = await pool.query(
        `INSERT INTO staff_tasks (task_key, run_id, node_id, customer_id, assignee, title, instructions, due_at, created_at)
       SELECT $1 || u.id::text, $2::uuid, $3, u.id, $4, $5, $6, $7::timestamptz + ($8::bigint * interval '1 millisecond'), $7::timestamptz
       FROM unnest($9::bigint[]) AS u(id)
       ON CONFLICT (task_key) DO NOTHING`,
        [prefix, call.ref.runId, call.nodeId, p.assignee, p.title, p.instructions, at, p.dueInMs, ids],
      );
      tally.done += res.rowCount ?? 0;
      tally.alreadyDone += ids.length - (res.rowCount ?? 0);
    },
  );
  return tally.result(arms);
}
