// An audience journey end to end on the dev server and a real database: snapshot into shards,
// a segment split, a two-day wait, an SMS through the real send path and exits; counts per node exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun, countsQuery, shardWorkflowId } from '@huitou/workflows';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, compile, ledger, publish, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const CUSTOMERS = Array.from({ length: 12 }, (_, i) => i + 1);
const BUYERS = [2, 3, 5, 7, 11];
const HOLDOUT = 0.25;

export const splitJourney: JourneyGraphInput = {
  name: 'split, wait, thank',
  settings: { holdoutPercent: HOLDOUT * 100, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node(
      'split',
      'split.segment',
      {
        branches: [
          {
            key: 'buyer',
            name: '买过',
            when: { kind: 'purchase', metric: 'count', window: { kind: 'all_time' }, compare: { op: 'gte', value: 1 } },
          },
        ],
      },
      1,
      0,
    ),
    node('wait', 'wait.delay', { duration: { amount: 2, unit: 'days' } }, 2, 0),
    node('thanks', 'action.sms', { smsClass: 'notification', template: '感谢您的支持' }, 3, 0),
    node('exit_buyer', 'exit', { reason: 'thanked' }, 4, 0),
    node('exit_other', 'exit', {}, 2, 1),
  ],
  edges: [
    edge('entry', 'split'),
    edge('split', 'wait', 'buyer'),
    edge('wait', 'thanks'),
    edge('thanks', 'exit_buyer'),
    edge('split', 'exit_other', 'else'),
  ],
};

describe.runIf(onTimeSkippingLane())('audience run: snapshot -> split -> wait -> exit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
    for (const id of BUYERS)
      await insertOrder(h.db.pool, {
        customerId: id,
        at: new Date('2024-06-01T10:00:00Z'),
        items: [{ category: 'food', amount: 50 + id }],
      });
  });
  afterAll(async () => h?.close());

  it('runs three shards to the end with exact counts per node and arm', async () => {
    const plan = compile(splitJourney);
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    const started = h.env.now();
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId: `audience-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan, shardSize: 5 }],
    });
    const result = await handle.result();

    const others = CUSTOMERS.filter((id) => !BUYERS.includes(id));
    expect(result).toMatchObject({
      members: 12,
      shards: 3,
      holdout: CUSTOMERS.filter((id) => assignHoldout(runId as string, id, HOLDOUT)).length,
    });
    expect(result.counts).toEqual({
      entry: { entered: 12, waiting: 0, exited: 0, ports: { out: 12 }, evaluations: 0 },
      split: {
        entered: 12,
        waiting: 0,
        exited: 0,
        ports: { buyer: BUYERS.length, else: others.length },
        evaluations: 0,
      },
      wait: { entered: BUYERS.length, waiting: 0, exited: 0, ports: { out: BUYERS.length }, evaluations: 0 },
      thanks: { entered: BUYERS.length, waiting: 0, exited: 0, ports: { out: BUYERS.length }, evaluations: 0 },
      exit_buyer: { entered: BUYERS.length, waiting: 0, exited: BUYERS.length, ports: {}, evaluations: 0 },
      exit_other: { entered: others.length, waiting: 0, exited: others.length, ports: {}, evaluations: 0 },
    });
    expect(h.env.now() - started).toBeGreaterThanOrEqual(2 * DAY);
    // The run row records the end, at the workflow's last instant.
    const run = await h.db.pool.query<{ state: string; ended_at: Date }>(
      'SELECT state, ended_at FROM runs WHERE id = $1',
      [runId],
    );
    expect(run.rows[0].state).toBe('completed');
    expect(run.rows[0].ended_at.getTime()).toBeGreaterThanOrEqual(started + 2 * DAY);

    // The real send path: one ledger row per treatment buyer (sent, in the local sink), one per
    // shard that had buyers, none for the holdout; nothing skipped.
    const held = (id: number) => assignHoldout(runId as string, id, HOLDOUT);
    // By customer: shards send in whatever order their timers fire, so instants don't order them.
    const sms = (await ledger(h.db.pool, runId)).sort((a, b) => a.customerId - b.customerId);
    expect(sms.map((m) => [m.customerId, m.node, m.status, m.skipReason, m.smsClass, m.inSink])).toEqual(
      BUYERS.filter((id) => !held(id)).map((id) => [id, 'thanks', 'sent', null, 'notification', true]),
    );
    const shardOf = new Map(
      (
        await h.db.pool.query<{ id: string; shard: number; cohort: string }>(
          'SELECT customer_id AS id, shard, cohort FROM run_members WHERE run_id = $1',
          [runId],
        )
      ).rows.map((r) => [Number(r.id), r]),
    );
    for (const m of sms) {
      expect(m.key).toBe(`${runId}/s:${shardOf.get(m.customerId)?.shard}/thanks//${m.customerId}`);
      expect(m.at - started).toBeGreaterThanOrEqual(2 * DAY);
    }
    // Every buyer, held out or not, travelled the buyer arm; the others the else arm.
    expect(CUSTOMERS.map((id) => shardOf.get(id)?.cohort)).toEqual(
      CUSTOMERS.map((id) => (BUYERS.includes(id) ? 'root/split.buyer' : 'root/split.else')),
    );
    // The buyers are spread over the three shards: each shard ran the SMS node for its own.
    expect(new Set(BUYERS.map((id) => shardOf.get(id)?.shard))).toEqual(new Set([0, 1, 2]));
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM sms_sink')).rows).toEqual([{ n: sms.length }]);

    const members = await h.db.pool.query<{ id: string; position: string; exit_reason: string; exited: boolean }>(
      'SELECT customer_id AS id, position, exit_reason, exited_at IS NOT NULL AS exited FROM run_members WHERE run_id = $1 ORDER BY 1',
      [runId],
    );
    expect(members.rows.map((r) => [Number(r.id), r.position, r.exit_reason, r.exited])).toEqual(
      CUSTOMERS.map((id) =>
        BUYERS.includes(id) ? [id, 'exit_buyer', 'thanked', true] : [id, 'exit_other', 'completed', true],
      ),
    );

    // A finished shard still answers the counts query with its own share.
    const shard2 = await h.env.client.workflow.getHandle(shardWorkflowId(`audience-${runId}`, 2)).query(countsQuery);
    expect(shard2.split.ports).toEqual({ buyer: 1, else: 1 });
  });
});
