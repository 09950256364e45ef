import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import { taskKindOf } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../contract.ts';
import { effectiveNow } from './guards.ts';
import { keyPrefix } from './keys.ts';
import { armCounts } from './members.ts';
import { ResultTally } from './result.ts';
import type { NotifiedTask, TaskNotifyDeps } from './task-notify.ts';
import { notifyTasks, taskChannel } from './task-notify.ts';
import { forEachTreatmentPage } from './treatment-walk.ts';

/**
 * One staff task per treatment member (e.g. call the buyer of a large unpaid order), keyed like
 * messages, with its kind and the order that triggered the journey (a triggered cohort's: the
 * member's own); then the kind's notification
 * (task-notify.ts), once per task.
 */
export async function createStaffTask(
  deps: TaskNotifyDeps & { batchSize?: number },
  call: NodeCall<NodeParams<'action.task'>>,
): Promise<ActionResult> {
  const { pool } = deps;
  const p = call.params;
  const kind = taskKindOf(call.nodeId, p.kind);
  const channel = await taskChannel(pool, kind);
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const prefix = keyPrefix(call);
  await forEachTreatmentPage(
    { pool, ref: call.ref, treatment: arms.treatment, tally, batchSize: deps.batchSize },
    async (ids) => {
      const at = new Date(effectiveNow(call.now, deps.now));
      const res = await pool.query(
        `INSERT INTO staff_tasks (task_key, run_id, node_id, customer_id, assignee, title, instructions, due_at, created_at, updated_at, kind, order_id)
       SELECT $1 || u.id::text, $2::uuid, $3, u.id, $4, $5, $6, $7::timestamptz + ($8::bigint * interval '1 millisecond'), $7::timestamptz, $7::timestamptz,
              $10, (SELECT o.id FROM orders o WHERE o.customer_id = u.id AND o.id = coalesce($11::bigint,
                      (SELECT m.trigger_order_id FROM run_members m WHERE m.run_id = $2::uuid AND m.customer_id = u.id)))
       FROM unnest($9::bigint[]) AS u(id)
       ON CONFLICT (task_key) DO NOTHING`,
        [
          prefix,
          call.ref.runId,
          call.nodeId,
          p.assignee,
          p.title,
          p.instructions,
          at,
          p.dueInMs,
          ids,
          kind,
          call.triggerOrderId ?? null,
        ],
      );
      tally.done += res.rowCount ?? 0;
      tally.alreadyDone += ids.length - (res.rowCount ?? 0);
      if (channel) await notifyTasks(deps, notifyContext(call), channel, await pageTasks(pool, call, prefix, ids));
    },
  );
  return tally.result(arms);
}

function notifyContext(call: NodeCall<NodeParams<'action.task'>>) {
  return {
    signature: call.settings.sms.signature,
    unitPrice: call.settings.sms.unitPrice,
    timeZone: call.settings.timeZone,
  };
}

/** The page's tasks, new or left by an earlier attempt (whose notification may be owed). */
async function pageTasks(
  pool: pg.Pool,
  call: NodeCall<NodeParams<'action.task'>>,
  prefix: string,
  ids: number[],
): Promise<NotifiedTask[]> {
  const { rows } = await pool.query<{
    id: string;
    kind: NotifiedTask['kind'];
    title: string;
    due_at: Date;
    customer_id: string;
    order_id: string | null;
  }>(
    `SELECT t.id, t.kind, t.title, t.due_at, t.customer_id, t.order_id FROM staff_tasks t
     WHERE t.task_key = ANY(SELECT $1 || u.id::text FROM unnest($2::bigint[]) AS u(id)) ORDER BY t.id`,
    [prefix, ids],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    dueAt: r.due_at,
    runId: call.ref.runId,
    journeyId: call.journeyId,
    nodeId: call.nodeId,
    customerId: Number(r.customer_id),
    orderId: r.order_id === null ? null : Number(r.order_id),
  }));
}
