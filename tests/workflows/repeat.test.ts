// Repeat with an exit condition: members who bought since entry leave before the next cycle.
// Customers "respond" to a cycle's SMS by buying (the stub inserts their order), so who is left in
// each cycle follows from the fixture alone. A tiny history limit forces continue-as-new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun, shardWorkflowId } from '@huitou/workflows';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, MINUTE, compile, publish, sortNumbers, startHarness } from './support.ts';

const CUSTOMERS = Array.from({ length: 10 }, (_, i) => i + 1);
const HOLDOUT = 0.3;
/** The cycle in which a customer buys after the SMS (treatment only: the holdout gets none). */
const respondsIn = (id: number) => (id % 4 === 1 ? 1 : id % 4 === 2 ? 2 : null);

export const repeatJourney: JourneyGraphInput = {
  name: 'nudge until they come back',
  settings: { holdoutPercent: HOLDOUT * 100, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('monthly', 'loop.repeat', {
      cycles: 3,
      interval: { amount: 10, unit: 'days' },
      exitWhen: { kind: 'purchase', metric: 'count', window: { kind: 'since', anchor: 'entry' }, compare: { op: 'gte', value: 1 } },
    }, 1, 0),
    node('nudge', 'action.sms', { smsClass: 'notification', template: '好久不见，回来看看吧' }, 2, 0),
    node('done', 'exit', {}, 2, 1),
  ],
  edges: [edge('entry', 'monthly'), edge('monthly', 'nudge', 'body'), edge('nudge', 'monthly'), edge('monthly', 'done', 'done')],
};

describe('repeat with exitWhen over cycles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
  });
  afterAll(async () => h?.close());

  it('nudges the not-yet-returned each cycle and lets responders leave at the next cycle', async () => {
    const plan = compile(repeatJourney);
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    h.onSms = async (call, treatment) => {
      const cycle = call.cycles[0].cycle;
      for (const id of treatment.filter((t) => respondsIn(t) === cycle)) {
        await insertOrder(h.db.pool, { customerId: id, at: new Date(call.now + MINUTE), items: [{ category: 'food', amount: 30 }] });
      }
    };
    const started = h.env.now();
    const workflowId = `repeat-${runId}`;
    const result = await h.env.client.workflow.execute(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan, maxHistory: 40 }],
    });

    const held = (id: number) => assignHoldout(runId as string, id, HOLDOUT);
    const left1 = CUSTOMERS.filter((id) => respondsIn(id) === 1 && !held(id));
    const left2 = CUSTOMERS.filter((id) => respondsIn(id) === 2 && !held(id));
    const inCycle = [CUSTOMERS, CUSTOMERS.filter((id) => !left1.includes(id)), CUSTOMERS.filter((id) => !left1.includes(id) && !left2.includes(id))];

    const sms = h.calls.filter((c) => c.name === 'sendSms');
    expect(sms.map((c) => c.cycles.map((s) => `${s.loop}:${s.cycle}`))).toEqual([['monthly:1'], ['monthly:2'], ['monthly:3']]);
    sms.forEach((c, k) => {
      expect(sortNumbers([...c.treatment, ...c.holdout])).toEqual(inCycle[k]);
      expect(c.holdout).toEqual(inCycle[k].filter(held));
      expect(c.now - started).toBeGreaterThanOrEqual(k * 10 * DAY);
      expect(c.now - started).toBeLessThan(k * 10 * DAY + DAY);
    });
    expect(sms.map((c) => c.cohort)).toEqual(['root/monthly.body', 'root/monthly.body/monthly.body', 'root/monthly.body/monthly.body/monthly.body']);

    const bodies = inCycle.reduce((s, m) => s + m.length, 0);
    expect(result.counts.monthly).toEqual({ entered: 10 + bodies, waiting: 0, exited: 0, ports: { body: bodies, done: 10 }, evaluations: 0 });
    expect(result.counts.nudge.entered).toBe(bodies);
    expect(result.counts.done).toMatchObject({ entered: 10, exited: 10 });

    // The shard continued as new at least once and still finished with the right numbers.
    const history = await h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0)).fetchHistory();
    const startedEvent = history.events?.[0];
    expect(startedEvent?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    expect(history.events?.length ?? 0).toBeLessThan(120);
  });
});
