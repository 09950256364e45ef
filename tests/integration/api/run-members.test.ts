// Removing one customer from a running audience run, end to end on the time-skipping server with
// the real worker: removed during the wait, they get neither the SMS nor the tag after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApiOnTemporal, until, waitThenSms } from './helpers.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

/** waitThenSms with a tag after the SMS: two kinds of side effect behind the wait. */
const waitSmsTag = {
  ...waitThenSms,
  name: 'wait, sms, tag',
  nodes: [
    ...waitThenSms.nodes.filter((n) => n.id !== 'exit'),
    { id: 'tag', type: 'action.tag', position: { x: 3, y: 0 }, config: { op: 'add', tags: ['tipped'] } },
    { id: 'exit', type: 'exit', position: { x: 4, y: 0 }, config: {} },
  ],
  edges: [
    ...waitThenSms.edges.filter((e) => e.target !== 'exit'),
    { source: 'tip', sourcePort: 'out', target: 'tag' },
    { source: 'tag', sourcePort: 'out', target: 'exit' },
  ],
};

describe(`removing a customer from a run (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2, 3, 4]);
  });
  afterAll(async () => api?.close());

  it.runIf(onTimeSkippingLane())(
    'a member removed during the wait gets no SMS and no tag; the others do; counts add up; audited',
    async () => {
      const journeyId = (
        await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'remove one', draft: waitSmsTag } })
      ).body.id as string;
      expect(
        (await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status,
      ).toBe(201);
      const runId = (await api.call('POST', `/api/journeys/${journeyId}/runs`, { role: 'marketer', body: {} })).body
        .id as string;
      await until('members at the wait', async () => {
        const d = await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' });
        return d.body.positions?.some(
          (p: { position: string; members: number }) => p.position === 'wait' && p.members === 4,
        );
      });

      expect((await api.call('DELETE', `/api/runs/${runId}/members/2`, { role: 'marketer' })).status).toBe(403);
      const removed = await api.call('DELETE', `/api/runs/${runId}/members/2`, { role: 'ops' });
      expect(removed.status, removed.text).toBe(200);
      expect(removed.body).toEqual({
        runId,
        customerId: 2,
        position: 'wait',
        exitedAt: expect.any(String),
        exitReason: 'removed',
      });
      const again = await api.call('DELETE', `/api/runs/${runId}/members/2`, { role: 'ops' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'conflict', path: ['params', 'customerId'] });
      for (const path of [
        `/api/runs/${runId}/members/99`,
        `/api/runs/${runId}/members/abc`,
        `/api/runs/${runId}/members/1%20OR%201=1`,
      ]) {
        const res = await api.call('DELETE', path, { role: 'ops' });
        expect(res.status, path).toBe(404);
        expect(res.body.error.path).toEqual(['params', 'customerId']);
      }
      const unknownRun = await api.call('DELETE', `/api/runs/${PLACEHOLDER}/members/1`, { role: 'ops' });
      expect(unknownRun.status).toBe(404);
      expect(unknownRun.body.error.path).toEqual(['params', 'id']);

      // Time skips over the two-day wait while the client waits for the run to finish.
      await env.client.workflow.getHandle(`run:${runId}`).result();

      const sms = await api.db.pool.query<{ customer_id: string; status: string }>(
        'SELECT customer_id, status FROM messages WHERE run_id = $1 ORDER BY customer_id',
        [runId],
      );
      expect(sms.rows.map((r) => Number(r.customer_id))).toEqual([1, 3, 4]);
      expect(sms.rows.every((r) => r.status === 'sent')).toBe(true);
      const tagged = await api.db.pool.query<{ id: string }>(
        `SELECT id FROM customers WHERE 'tipped' = ANY(tags) ORDER BY id`,
      );
      expect(tagged.rows.map((r) => Number(r.id))).toEqual([1, 3, 4]);

      const detail = await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' });
      expect(detail.body).toMatchObject({ memberCount: 4 });
      // Every member is accounted for once: three finished at the exit, the removed one where it left.
      expect(detail.body.positions).toEqual([
        { position: 'exit', members: 3, active: 0, exited: 3, holdout: 0 },
        { position: 'wait', members: 1, active: 0, exited: 1, holdout: 0 },
      ]);
      const reasons = await api.db.pool.query(
        'SELECT exit_reason, count(*)::int AS n FROM run_members WHERE run_id = $1 GROUP BY exit_reason ORDER BY exit_reason',
        [runId],
      );
      expect(reasons.rows).toEqual([
        { exit_reason: 'completed', n: 3 },
        { exit_reason: 'removed', n: 1 },
      ]);
      expect(await auditActions(api, runId)).toEqual(['run.create', 'run.member.remove']);
    },
  );
});
