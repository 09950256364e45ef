// Removing one customer from a run. The member is marked exited in run_members; every later step
// reads only members still in the journey (activities/src/side-effects/members.ts, COHORT_WHERE),
// so no SMS, coupon, tag, task, webhook or points reach them, whatever node the run is at.
import { MemberParams, REMOVED_REASON, RemovedMember } from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import { conflict, notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { loadRun } from './runs.ts';

const REMOVED = REMOVED_REASON;

export const runMemberRoutes: Route[] = [
  route({
    method: 'delete',
    path: '/api/runs/:id/members/:customerId',
    summary: 'Remove one customer from a run: exited (reason removed) at once; no later action reaches them',
    tag: 'runs',
    permission: 'runs.control',
    params: MemberParams,
    response: RemovedMember,
    handler: async ({ deps, params, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const run = await loadRun(db, params.id);
        // Not a customer id: nobody in the run has it (a 404, never a SQL error).
        const customerId = /^[1-9]\d{0,15}$/.test(params.customerId) ? Number(params.customerId) : null;
        const { rows } =
          customerId === null
            ? { rows: [] }
            : await db.query<{ exited_at: Date | null; exit_reason: string | null }>(
                'SELECT exited_at, exit_reason FROM run_members WHERE run_id = $1 AND customer_id = $2 FOR UPDATE',
                [run.id, customerId],
              );
        const member = rows[0];
        if (!member || customerId === null) throw notFound('member of this run', ['params', 'customerId']);
        if (member.exited_at)
          throw conflict(`the customer already left the run (${member.exit_reason ?? 'exited'})`, [
            'params',
            'customerId',
          ]);
        const { rows: updated } = await db.query<{ position: string | null; exited_at: Date }>(
          `UPDATE run_members SET exited_at = now(), exit_reason = $3 WHERE run_id = $1 AND customer_id = $2 RETURNING position, exited_at`,
          [run.id, customerId, REMOVED],
        );
        await audit(
          db,
          principal,
          'run.member.remove',
          { type: 'run', id: run.id },
          { customerId, position: updated[0].position },
        );
        return {
          runId: run.id,
          customerId,
          position: updated[0].position,
          exitedAt: iso(updated[0].exited_at) as string,
          exitReason: REMOVED,
        };
      }),
  }),
];
