import { describe, expect, it } from 'vitest';
import type { ExecutionPlan, JourneyGraphInput, PlanNodeOf } from '@huitou/schemas';
import {
  DAY_MS,
  HOUR_MS,
  chainEdges as chain,
  compileJourney,
  journeyEdge as edge,
  journeyNode as node,
} from '@huitou/schemas';

function compile(input: JourneyGraphInput): ExecutionPlan {
  const result = compileJourney(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.plan;
}

const everyone = { segment: { where: { kind: 'all' as const, of: [] } } };
const d = (amount: number) => ({ amount, unit: 'days' as const });

describe('lowering', () => {
  it('turns random arms into bucket ranges salted by node id', () => {
    const plan = compile({
      name: 'ab',
      nodes: [
        node('entry', 'entry.audience', everyone, 0, 0),
        node(
          'ab',
          'split.random',
          {
            arms: [
              { key: 'a', name: 'A', percent: 33.33 },
              { key: 'b', name: 'B', percent: 16.67 },
              { key: 'c', name: 'C', percent: 50 },
            ],
          },
          1,
          0,
        ),
        node('x', 'exit', {}, 2, 0),
      ],
      edges: [edge('entry', 'ab'), edge('ab', 'x', 'a'), edge('ab', 'x', 'b'), edge('ab', 'x', 'c')],
    });
    const ab = plan.nodes.ab as PlanNodeOf<'split.random'>;
    expect(ab.params.arms.map((a) => [a.port, a.fromBucket, a.toBucket])).toEqual([
      ['a', 0, 3333],
      ['b', 3333, 5000],
      ['c', 5000, 10000],
    ]);
    expect(ab.params).toMatchObject({ buckets: 10_000, salt: 'ab' });
    expect(ab.activity).toBe('partitionRandom');
  });

  it("gives time windows the journey's time zone unless the node sets one", () => {
    const plan = compile({
      name: 'tz',
      settings: { timeZone: 'Asia/Tokyo' },
      nodes: [
        node('entry', 'entry.audience', everyone, 0, 0),
        node('w1', 'wait.window', { windows: [{ from: '20:00', to: '00:00' }] }, 1, 0),
        node(
          'w2',
          'wait.window',
          { windows: [{ from: '09:00', to: '18:00' }], weekdays: [5, 1, 1], timeZone: 'Europe/Berlin' },
          2,
          0,
        ),
        node('x', 'exit', {}, 3, 0),
      ],
      edges: chain('entry', 'w1', 'w2', 'x'),
    });
    expect((plan.nodes.w1 as PlanNodeOf<'wait.window'>).params).toMatchObject({
      timeZone: 'Asia/Tokyo',
      maxWaitMs: 20 * HOUR_MS,
    });
    // Monday and Friday 09-18: Monday 18:00 to Friday 09:00 (6 + 72 + 9 hours) is the longest gap.
    expect((plan.nodes.w2 as PlanNodeOf<'wait.window'>).params).toMatchObject({
      timeZone: 'Europe/Berlin',
      weekdays: [1, 5],
      maxWaitMs: 87 * HOUR_MS,
    });
    expect(plan.maxDurationMs).toBe((20 + 87) * HOUR_MS);
  });

  it('bounds nested repeats: inner cycles inside each outer cycle', () => {
    // Inner: 3 cycles every 2 days of a 1-day body -> returns after 2 + 2 + 1 = 5 days.
    // Outer: 2 cycles every 10 days of that 5-day body -> 10 + 5 = 15 days.
    const plan = compile({
      name: 'nested',
      nodes: [
        node('entry', 'entry.audience', everyone, 0, 0),
        node('outer', 'loop.repeat', { cycles: 2, interval: d(10) }, 1, 0),
        node('inner', 'loop.repeat', { cycles: 3, interval: d(2) }, 2, 0),
        node('wait', 'wait.delay', { duration: d(1) }, 3, 0),
        node('done', 'exit', {}, 2, 1),
      ],
      edges: [
        edge('entry', 'outer'),
        edge('outer', 'inner', 'body'),
        edge('inner', 'wait', 'body'),
        edge('wait', 'inner'),
        edge('inner', 'outer', 'done'),
        edge('outer', 'done', 'done'),
      ],
    });
    expect(plan.maxDurationMs).toBe(15 * DAY_MS);
    expect(plan.nodes.wait.loops).toEqual(['outer', 'inner']);
    expect(plan.nodes.inner.loops).toEqual(['outer']);
    expect(plan.nodes.inner.next).toEqual({
      body: { node: 'wait', loopBack: false },
      done: { node: 'outer', loopBack: true },
    });
    expect(plan.nodes.wait.next.out).toEqual({ node: 'inner', loopBack: true });
  });

  it('lets the body outlast the interval: the next cycle starts when the body returns', () => {
    const plan = compile({
      name: 'slow body',
      nodes: [
        node('entry', 'entry.audience', everyone, 0, 0),
        node('loop', 'loop.repeat', { cycles: 3, interval: d(1) }, 1, 0),
        node('wait', 'wait.delay', { duration: d(4) }, 2, 0),
        node('done', 'exit', {}, 2, 1),
      ],
      edges: [edge('entry', 'loop'), edge('loop', 'wait', 'body'), edge('wait', 'loop'), edge('loop', 'done', 'done')],
    });
    expect(plan.maxDurationMs).toBe(12 * DAY_MS);
  });

  it('lowers coupons, tasks and waits to milliseconds and resolves every port', () => {
    const plan = compile({
      name: 'units',
      settings: { sms: { signature: '【店】' } },
      nodes: [
        node('entry', 'entry.event', { event: 'order_created' }, 0, 0),
        node(
          'coupon',
          'action.coupon',
          { name: '券', amount: 5, validity: { amount: 2, unit: 'weeks' }, stock: 1000 },
          1,
          0,
        ),
        node('task', 'action.task', { assignee: 'shop_owner', title: '回访' }, 2, 0),
        node('paid', 'wait.event', { event: 'order_paid', timeout: { amount: 90, unit: 'minutes' } }, 3, 0),
        node('a', 'exit', {}, 4, 0),
        node('b', 'exit', {}, 4, 1),
      ],
      edges: [...chain('entry', 'coupon', 'task', 'paid'), edge('paid', 'a', 'event'), edge('paid', 'b', 'timeout')],
    });
    expect(plan.nodes.coupon.params).toEqual({
      name: '券',
      amount: 5,
      threshold: 0,
      validityMs: 14 * DAY_MS,
      stock: 1000,
      pool: null,
      referral: false,
    });
    expect(plan.nodes.task.params).toEqual({
      assignee: 'shop_owner',
      title: '回访',
      instructions: '',
      dueInMs: DAY_MS,
    });
    expect(plan.nodes.paid.next).toEqual({
      event: { node: 'a', loopBack: false },
      timeout: { node: 'b', loopBack: false },
    });
    expect(plan.nodes.a.next).toEqual({});
    expect(plan).toMatchObject({
      entry: 'entry',
      entryType: 'entry.event',
      maxDurationMs: 90 * 60_000,
      planSchemaVersion: 1,
    });
  });
});
