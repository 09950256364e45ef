// Which sampled orders a simulation's follow-up events come to, and when (engine/src/simulate/follow-ups.ts).
import { describe, expect, it } from 'vitest';
import type { FollowUpRate } from '@huitou/schemas/http';
import { planFollowUps } from '../../../engine/src/simulate/follow-ups.ts';

const rate = (event: FollowUpRate['event'], percent: number, withinMinutes: number): FollowUpRate => ({
  event,
  percent,
  withinMinutes,
  source: 'set',
  delivered: 0,
});
const orders = Array.from({ length: 20 }, (_, i) => 1000 + i * 7);

describe('planFollowUps', () => {
  it('gives exactly round(n x percent) orders each event, closings only to those who did not pay', () => {
    const planned = planFollowUps([rate('order_paid', 40, 30), rate('order_closed', 50, 60 * 24)], orders);
    const paid = planned.filter((p) => p.event === 'order_paid').map((p) => p.trigger);
    const closed = planned.filter((p) => p.event === 'order_closed').map((p) => p.trigger);
    expect(paid).toHaveLength(8);
    expect(closed).toHaveLength(10);
    expect(new Set(paid).size).toBe(8);
    expect(closed.filter((t) => paid.includes(t))).toEqual([]);
    // More closings than non-payers: capped at the non-payers.
    const all = planFollowUps([rate('order_paid', 90, 30), rate('order_closed', 50, 60)], orders);
    expect(all.filter((p) => p.event === 'order_closed')).toHaveLength(2);
  });

  it('spreads them evenly inside the window, in time order, the same every time', () => {
    const planned = planFollowUps([rate('order_paid', 25, 30)], orders);
    expect(planned.map((p) => p.afterMs)).toEqual([1, 2, 3, 4, 5].map((k) => Math.round((30 * 60_000 * k) / 6)));
    expect(planFollowUps([rate('order_paid', 25, 30)], orders)).toEqual(planned);
    expect(planFollowUps([rate('order_paid', 0, 30)], orders)).toEqual([]);
    expect(planFollowUps([rate('order_paid', 100, 30)], orders)).toHaveLength(20);
  });
});
