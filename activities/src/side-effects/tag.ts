import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../contract.ts';
import { existingActions, recordActions } from './action-ledger.ts';
import { cyclePath, keyPrefix } from './keys.ts';
import { armCounts, inTransaction } from './members.ts';
import { ResultTally } from './result.ts';
import { forEachTreatmentPage } from './treatment-walk.ts';

/**
 * Adds or removes tags on treatment members. The ledger row and the tag change commit together,
 * so a retry neither repeats nor loses a batch (and counts it as already done).
 */
export async function tagCustomers(
  deps: { pool: pg.Pool; batchSize?: number },
  call: NodeCall<NodeParams<'action.tag'>>,
): Promise<ActionResult> {
  const { pool } = deps;
  const p = call.params;
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const prefix = keyPrefix(call);
  const ledger = {
    kind: 'tag' as const,
    runId: call.ref.runId,
    nodeId: call.nodeId,
    cyclePath: cyclePath(call.cycles),
    prefix,
  };
  await forEachTreatmentPage(
    { pool, ref: call.ref, treatment: arms.treatment, tally, batchSize: deps.batchSize },
    async (ids) => {
      await inTransaction(pool, async (client) => {
        const existing = await existingActions(client, prefix, ids);
        tally.alreadyDone += existing.size;
        const fresh = ids.filter((id) => !existing.has(id));
        const recorded = await recordActions(
          client,
          ledger,
          fresh.map((id) => ({ customerId: id, status: 'done' as const, detail: { op: p.op, tags: p.tags } })),
        );
        const mine = [...recorded];
        const change =
          p.op === 'add'
            ? `tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || $2::text[]) AS t ORDER BY t)`
            : `tags = ARRAY(SELECT t FROM unnest(c.tags) AS t WHERE t <> ALL($2::text[]))`;
        await client.query(`UPDATE customers c SET ${change} WHERE c.id = ANY($1::bigint[])`, [mine, p.tags]);
        tally.done += mine.length;
        tally.alreadyDone += fresh.length - mine.length;
      });
    },
  );
  return tally.result(arms);
}
