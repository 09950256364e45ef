// Repeat with an exit condition: members who bought since entry leave before the next cycle.
// Customers "respond" to a cycle's SMS by buying (the test inserts their order once the ledger
// shows the send), so who is left in
// each cycle follows from the fixture alone. A tiny history limit forces continue-as-new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun, shardWorkflowId } from '@huitou/workflows';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, customersOf, ledger, publish, startHarness, waitFor } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const CUSTOMERS = Array.from({ length: 10 }, (_, i) => i + 1);
const HOLDOUT = 0.3;
/** The cycle in which a customer buys after the SMS (treatment only: the holdout gets none). */
const respondsIn = (id: number) => (id % 4 === 1 ? 1 : id % 4 === 2 ? 2 : null);

export const repeatJourney: JourneyGraphInput = {
  name: 'nudge until they come back',
  settings: { holdoutPercent: HOLDOUT * 100, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node(
      'monthly',
      'loop.repeat',
      {
        cycles: 3,
        interval: { amount: 10, unit: 'days' },
        exitWhen: {
          kind: 'purchase',
          metric: 'count',
          window: { kind: 'since', anchor: 'entry' },
          compare: { op: 'gte', value: 1 },
        },
      },
      1,
      0,
    ),
    node('nudge', 'action.sms', { smsClass: 'notification', template: '好久不见，回来看看吧' }, 2, 0),
    node('done', 'exit', {}, 2, 1),
  ],
  edges: [
    edge('entry', 'monthly'),
    edge('monthly', 'nudge', 'body'),
    edge('nudge', 'monthly'),
    edge('monthly', 'done', 'done'),
  ],
};

describe.runIf(onTimeSkippingLane())('repeat with exitWhen over cycles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
  });
  afterAll(async () => h?.close());

  it('nudges the not-yet-returned each cycle and lets responders leave at the next cycle', async () => {
    const plan = compile(repeatJourney);
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    const started = h.env.now();
    const workflowId = `repeat-${runId}`;
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan, maxHistory: 40 }],
    });
    // Customers respond by buying a minute after the SMS of their cycle: the test watches the
    // ledger for each cycle's sends and inserts the orders then (as a shop's order feed would).
    for (const cycle of [1, 2]) {
      const sent = await waitFor(
        h.env,
        async () => {
          const rows = (await ledger(h.db.pool, runId)).filter((m) => m.cycle === cycle && m.status === 'sent');
          return rows.length > 0 && rows;
        },
        { stepMs: HOUR },
      );
      for (const m of sent.filter((r) => respondsIn(r.customerId) === cycle)) {
        await insertOrder(h.db.pool, {
          customerId: m.customerId,
          at: new Date(m.at + MINUTE),
          items: [{ category: 'food', amount: 30 }],
        });
      }
    }
    const result = await handle.result();

    const held = (id: number) => assignHoldout(runId as string, id, HOLDOUT);
    const left1 = CUSTOMERS.filter((id) => respondsIn(id) === 1 && !held(id));
    const left2 = CUSTOMERS.filter((id) => respondsIn(id) === 2 && !held(id));
    const inCycle = [
      CUSTOMERS,
      CUSTOMERS.filter((id) => !left1.includes(id)),
      CUSTOMERS.filter((id) => !left1.includes(id) && !left2.includes(id)),
    ];

    // One sent message per treatment member still in, per cycle; none for the holdout.
    const sms = await ledger(h.db.pool, runId);
    expect(sms.every((m) => m.status === 'sent' && m.node === 'nudge' && m.inSink)).toBe(true);
    [1, 2, 3].forEach((cycle, k) => {
      const rows = sms.filter((m) => m.cycle === cycle);
      expect(rows.map((m) => m.cyclePath)).toEqual(rows.map(() => `monthly:${cycle}`));
      expect(customersOf(rows)).toEqual(inCycle[k].filter((id) => !held(id)));
      for (const m of rows) {
        expect(m.at - started).toBeGreaterThanOrEqual(k * 10 * DAY);
        expect(m.at - started).toBeLessThan(k * 10 * DAY + DAY);
      }
    });
    expect(sms).toHaveLength(inCycle.reduce((s, m) => s + m.filter((id) => !held(id)).length, 0));
    // Each member left by the repeat's done port of the cycle after their response (holdout
    // members, never messaged, never respond): the cohort path tells which.
    const cohorts = await h.db.pool.query<{ id: string; cohort: string; exit_reason: string }>(
      'SELECT customer_id AS id, cohort, exit_reason FROM run_members WHERE run_id = $1 ORDER BY 1',
      [runId],
    );
    const body = 'monthly.body';
    expect(cohorts.rows.map((r) => [Number(r.id), r.cohort, r.exit_reason])).toEqual(
      CUSTOMERS.map((id) => [
        id,
        left1.includes(id)
          ? `root/${body}/monthly.done`
          : left2.includes(id)
            ? `root/${body}/${body}/monthly.done`
            : `root/${body}/${body}/${body}`, // after the last cycle: done without a split
        'completed',
      ]),
    );

    const bodies = inCycle.reduce((s, m) => s + m.length, 0);
    expect(result.counts.monthly).toEqual({
      entered: 10 + bodies,
      waiting: 0,
      exited: 0,
      ports: { body: bodies, done: 10 },
      evaluations: 0,
    });
    expect(result.counts.nudge.entered).toBe(bodies);
    expect(result.counts.done).toMatchObject({ entered: 10, exited: 10 });

    // The shard continued as new at least once and still finished with the right numbers.
    const history = await h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0)).fetchHistory();
    const startedEvent = history.events?.[0];
    expect(startedEvent?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    expect(history.events?.length ?? 0).toBeLessThan(120);
  });
});
