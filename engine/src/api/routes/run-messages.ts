// Message stats of a run from the messages ledger: what was sent, delivered, failed, and every
// skip with its reason (the send path records each one), per node and in total.
import { IdParams, RunMessages } from '@huitou/schemas/http';
import type { MessageTally } from '@huitou/schemas/http';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { loadRun } from './runs.ts';

type Tally = MessageTally;

const emptyTally = (): Tally => ({ sent: 0, delivered: 0, failed: 0, pending: 0, skipped: 0, segments: 0, cost: 0 });

/** Ledger statuses folded into what ops ask: did it leave, did it arrive, did it fail, is it still going. */
const bucketsOf: Record<string, readonly (keyof Tally)[]> = {
  pending: ['pending'],
  sending: ['pending'],
  sent: ['sent'],
  delivered: ['sent', 'delivered'],
  failed: ['failed'],
  undelivered: ['sent', 'failed'],
  skipped: ['skipped'],
};

export const runMessageRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/runs/:id/messages',
    summary: 'Message stats of a run: sent / delivered / failed / pending / skipped (by reason), per node and in total',
    tag: 'runs',
    permission: 'read',
    params: IdParams,
    response: RunMessages,
    handler: async ({ deps, params }) => {
      const run = await loadRun(deps.pool, params.id);
      const { rows } = await deps.pool.query<{
        node_id: string | null;
        status: string;
        skip_reason: string | null;
        n: number;
        segments: number;
        cost: number;
      }>(
        `SELECT node_id, status, skip_reason, count(*)::int AS n, coalesce(sum(segments), 0)::int AS segments, coalesce(sum(cost), 0)::float8 AS cost
         FROM messages WHERE run_id = $1 GROUP BY node_id, status, skip_reason ORDER BY node_id, status, skip_reason`,
        [run.id],
      );
      const total = emptyTally();
      const skipReasons: Record<string, number> = {};
      const nodes = new Map<string, Tally>();
      for (const r of rows) {
        const nodeId = r.node_id ?? '';
        const node = nodes.get(nodeId) ?? emptyTally();
        nodes.set(nodeId, node);
        for (const tally of [total, node]) {
          for (const bucket of bucketsOf[r.status] ?? []) tally[bucket] += r.n;
          tally.segments += r.segments;
          tally.cost += r.cost;
        }
        if (r.status === 'skipped')
          skipReasons[r.skip_reason ?? 'unknown'] = (skipReasons[r.skip_reason ?? 'unknown'] ?? 0) + r.n;
      }
      return { runId: run.id, total, skipReasons, nodes: [...nodes].map(([nodeId, t]) => ({ nodeId, ...t })) };
    },
  }),
];
