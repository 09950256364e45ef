// Order statuses as the orders table holds them (001_shop.sql), for the imports' cells.
export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'completed', 'closed', 'refunded'] as const;
/** Statuses that say the buyer paid: such an order needs paid_at (purchases are paid orders). */
export const PAID_STATUSES: readonly string[] = ['paid', 'shipped', 'completed', 'refunded'];
