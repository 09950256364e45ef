// Orders by the marketplace's order number (external_id). In our own columns, for customers already
// in the shop (customer_external_id), items in one cell; in the Taobao order report (taobao-orders.ts)
// the buyer comes with the order and is created when new. A re-import updates the order and, when
// the file has an items column, replaces its items.
import type { ParsedPhone } from '@huitou/schemas/phone';
import { z } from 'zod';
import type { Db } from '../db/transaction.ts';
import { filled, money, oneOf, optional, text, timestamp, withDefault } from './cells.ts';
import type { ImportKind, ParsedRow, RowError } from './import-kind.ts';
import { ORDER_COLUMNS, startOrdersApply } from './orders-apply.ts';
import { ORDER_STATUSES, PAID_STATUSES } from './order-statuses.ts';
import { taobaoOrderReport } from './taobao-orders.ts';

const ITEM = /^([a-z][a-z0-9_]{0,31}):(\d{1,6}):(\d{1,10}(?:\.\d{1,2})?)$/;

/** `category:quantity:amount` entries separated by `;`, e.g. `food:2:99.00;durables:1:200`. */
const items = z.string().transform((cell, ctx) => {
  const out: { category: string; quantity: number; amount: string; unitPrice: string }[] = [];
  const entries = cell
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length > 200) ctx.addIssue({ code: 'custom', message: 'at most 200 items' });
  entries.forEach((entry, i) => {
    const m = ITEM.exec(entry);
    if (!m || Number(m[2]) < 1) {
      ctx.addIssue({
        code: 'custom',
        message: `item ${i + 1}: expected category:quantity:amount with a category key and a quantity of at least 1`,
      });
      return;
    }
    out.push({
      category: m[1],
      quantity: Number(m[2]),
      amount: m[3],
      unitPrice: (Number(m[3]) / Number(m[2])).toFixed(2),
    });
  });
  return out;
});

const OwnOrderRow = z
  .object({
    external_id: filled(text(200)),
    customer_external_id: filled(text(200)),
    status: filled(oneOf(ORDER_STATUSES)),
    amount: filled(money),
    discount: withDefault(money, '0'),
    channel: withDefault(text(50), 'own'),
    created_at: filled(timestamp),
    paid_at: optional(timestamp),
    shipped_at: optional(timestamp),
    completed_at: optional(timestamp),
    closed_at: optional(timestamp),
    refunded_at: optional(timestamp),
    province: optional(text(100)),
    city: optional(text(100)),
    carrier: optional(text(100)),
    tracking_no: optional(text(100)),
    /** The coupon code the order was paid with: redeems the buyer's coupon (migration 094). */
    coupon_code: optional(text(100)),
    items: withDefault(items, []),
  })
  .superRefine((r, ctx) => {
    if (PAID_STATUSES.includes(r.status) && !r.paid_at)
      ctx.addIssue({ code: 'custom', path: ['paid_at'], message: `an order that is ${r.status} needs paid_at` });
  });

/** A buyer an export names with the order: created as a customer when new. */
export interface Buyer {
  nickname: string;
  name: string | null;
  phone: ParsedPhone | null;
}

export type OrderRow = z.output<typeof OwnOrderRow> & {
  item_count?: number | null;
  buyer?: Buyer;
};

/** Which of `keys` the query finds; no round trip for none (each costs the busy parser a turn). */
async function existing(db: Db, sql: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await db.query<{ key: string }>(sql, [keys]);
  return new Set(rows.map((r) => r.key));
}

/**
 * Every customer_external_id must name a customer (unless the row brings its buyer) and every
 * item's category one of the shop's categories: the check runs per batch while streaming and
 * again in the import's transaction.
 */
async function unknownReferences(db: Db, rows: readonly ParsedRow<OrderRow>[]): Promise<RowError[]> {
  // Only what the batch names is looked up: a marketplace export brings its buyers and no items.
  const found = await existing(db, 'SELECT external_id AS key FROM customers WHERE external_id = ANY($1::text[])', [
    ...new Set(rows.filter((r) => !r.row.buyer).map((r) => r.row.customer_external_id)),
  ]);
  const shop = await existing(db, 'SELECT key FROM categories WHERE key = ANY($1::text[])', [
    ...new Set(rows.flatMap((r) => (r.row.items ?? []).map((i) => i.category))),
  ]);
  return rows.flatMap((r) => [
    ...(r.row.buyer || found.has(r.row.customer_external_id)
      ? []
      : [{ line: r.line, column: 'customer_external_id', message: 'no customer with this external id' }]),
    ...(r.row.items ?? []).flatMap((item, i) =>
      shop.has(item.category)
        ? []
        : [
            {
              line: r.line,
              column: 'items',
              message: `item ${i + 1}: the category is not one of the shop's categories`,
            },
          ],
    ),
  ]);
}

const ownColumns = (Object.keys(ORDER_COLUMNS) as (keyof typeof ORDER_COLUMNS)[]).filter((c) => c !== 'item_count');

export const ordersImport: ImportKind<OrderRow> = {
  name: 'orders',
  columns: [...ownColumns.slice(0, 1), 'customer_external_id', ...ownColumns.slice(1), 'items'],
  // item_count follows the items cell; only the Taobao report has a column for it (宝贝种类).
  required: ['external_id', 'customer_external_id', 'status', 'amount', 'created_at'],
  row: OwnOrderRow,
  foreign: [taobaoOrderReport],
  key: (r) => r.external_id,
  check: unknownReferences,
  // A marketplace export's rows bring their buyer and no items: nothing for the check to read.
  checks: (r) => !r.buyer || (r.items?.length ?? 0) > 0,
  applyRanges: startOrdersApply,
  async summarise(db) {
    // Buyers whose row showed a number no SMS reaches (startOrdersApply notes them) and who have no
    // mobile on record after the import.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers c JOIN import_unreachable u USING (external_id)
       WHERE c.phone IS NULL AND c.unreachable_phone IS NOT NULL`,
    );
    return { unreachablePhones: rows[0].n };
  },
};
