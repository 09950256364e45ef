// What order events do to their order (engine/src/events/order-effects.ts): the furthest status,
// the earliest time of each step, the same whatever order the events come in.
import { describe, expect, it } from 'vitest';
import { orderChange } from '../../../engine/src/events/order-effects.ts';
import type { OrderFacts } from '../../../engine/src/events/order-effects.ts';

const facts: OrderFacts[] = [
  { type: 'order_created', at: 100, amount: 88 },
  { type: 'order_paid', at: 200 },
  { type: 'order_shipped', at: 300, carrier: '中通快递', trackingNo: 'ZT1', couponCode: 'HT1' },
  { type: 'order_signed', at: 400 },
];

/** Every order of the events (a few hundred at most here). */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('order effects of events', () => {
  it('takes the furthest status and the earliest time of each step, in any order', () => {
    const expected = {
      status: 'shipped',
      steps: { created_at: 100, paid_at: 200, shipped_at: 300, signed_at: 400 },
      paidBy: 300,
      amount: 88,
      carrier: '中通快递',
      trackingNo: 'ZT1',
      couponCode: 'HT1',
    };
    for (const order of permutations(facts)) expect(orderChange(order)).toEqual(expected);
  });

  it('a late payment keeps the order shipped; a duplicate changes nothing', () => {
    const change = orderChange([facts[2], { type: 'order_paid', at: 150 }, facts[2]]);
    expect(change).toMatchObject({ status: 'shipped', steps: { shipped_at: 300, paid_at: 150 } });
  });

  it('closed and refunded lie beyond every other status; refunded beyond closed', () => {
    expect(
      orderChange([
        { type: 'order_closed', at: 5 },
        { type: 'order_paid', at: 1 },
      ]).status,
    ).toBe('closed');
    expect(
      orderChange([
        { type: 'refund_completed', at: 9 },
        { type: 'order_closed', at: 10 },
      ]).status,
    ).toBe('refunded');
    // Neither implies a payment time.
    expect(orderChange([{ type: 'refund_completed', at: 9 }]).paidBy).toBeNull();
  });

  it("the platform's status moves the order too, with the event's time for its step", () => {
    expect(orderChange([{ type: 'order_arrived', at: 50, status: 'completed', paidAt: 10, createdAt: 5 }])).toEqual({
      status: 'completed',
      steps: { completed_at: 50, paid_at: 10, created_at: 5 },
      paidBy: 50,
      amount: null,
      carrier: null,
      trackingNo: null,
      couponCode: null,
    });
    // Events that move nothing (a delay notice, a review) leave the status alone.
    expect(
      orderChange([
        { type: 'shipment_delayed', at: 1 },
        { type: 'review_posted', at: 2 },
      ]),
    ).toMatchObject({
      status: null,
      steps: {},
    });
  });
});
