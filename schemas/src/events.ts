import { z } from 'zod';
import type { LocalizedText } from './i18n.ts';
import { text } from './i18n.ts';

/** Order lifecycle events the shop platforms deliver; each carries an order id and a customer id. */
export const orderEventLabels = {
  order_created: text('下单未付款', 'Order created'),
  order_paid: text('付款成功', 'Order paid'),
  order_closed: text('订单关闭', 'Order closed'),
  order_shipped: text('已发货', 'Order shipped'),
  shipment_delayed: text('延迟发货', 'Shipment delayed'),
  order_arrived: text('到达同城', 'Arrived in the city'),
  order_signed: text('已签收', 'Signed for'),
  refund_completed: text('退款成功', 'Refund completed'),
  review_posted: text('买家评价', 'Review posted'),
} as const satisfies Record<string, LocalizedText>;

export const orderEvents = Object.keys(orderEventLabels) as [
  keyof typeof orderEventLabels,
  ...(keyof typeof orderEventLabels)[],
];
export const OrderEvent = z.enum(orderEvents);
export type OrderEvent = z.infer<typeof OrderEvent>;

/** How triggered runs are keyed (and deduplicated), and how later events find them. */
export const TriggerKey = z.enum(['order_id', 'customer_id']);
export type TriggerKey = z.infer<typeof TriggerKey>;

/** Where an order stands; an order never moves back (engine/src/events/order-effects.ts). */
export const orderStatuses = ['created', 'paid', 'shipped', 'completed', 'closed', 'refunded'] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const ReviewRating = z.enum(['positive', 'neutral', 'negative']);
export type ReviewRating = z.infer<typeof ReviewRating>;
