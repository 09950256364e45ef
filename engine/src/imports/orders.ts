// Orders by the marketplace's order number (external_id), for customers already in the shop
// (customer_external_id); items travel in one cell. A re-import updates the order and, when the
// file has an items column, replaces its items.
import { z } from 'zod';
import type { Db } from '../db/transaction.ts';
import { refreshResponses } from '../shop/responses.ts';
import { filled, money, oneOf, optional, text, timestamp, withDefault } from './cells.ts';
import type { ImportKind, RowError, UpsertColumn } from './import-kind.ts';
import { upsertBatch } from './import-kind.ts';

const ORDER_STATUSES = ['created', 'paid', 'shipped', 'completed', 'closed', 'refunded'] as const;
/** Statuses that say the buyer paid: such an order needs paid_at (purchases are paid orders). */
const PAID_STATUSES: readonly string[] = ['paid', 'shipped', 'completed', 'refunded'];

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

const OrderRow = z
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
    items: withDefault(items, []),
  })
  .superRefine((r, ctx) => {
    if (PAID_STATUSES.includes(r.status) && !r.paid_at)
      ctx.addIssue({ code: 'custom', path: ['paid_at'], message: `an order that is ${r.status} needs paid_at` });
  });
type OrderRow = z.output<typeof OrderRow>;

type Column = Exclude<keyof OrderRow, 'customer_external_id' | 'items'>;
const COLUMNS: Record<Column, Omit<UpsertColumn, 'name'>> = {
  external_id: { type: 'text' },
  status: { type: 'text' },
  amount: { type: 'numeric' },
  discount: { type: 'numeric' },
  channel: { type: 'text' },
  created_at: { type: 'timestamptz' },
  paid_at: { type: 'timestamptz' },
  shipped_at: { type: 'timestamptz' },
  completed_at: { type: 'timestamptz' },
  closed_at: { type: 'timestamptz' },
  refunded_at: { type: 'timestamptz' },
};
const tableColumns = Object.keys(COLUMNS) as Column[];

/**
 * Every customer_external_id must name a customer and every item's category one of the shop's
 * categories: the check runs per batch, in the import's transaction.
 */
async function unknownReferences(db: Db, rows: readonly { line: number; row: OrderRow }[]): Promise<RowError[]> {
  const { rows: known } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM customers WHERE external_id = ANY($1::text[])',
    [[...new Set(rows.map((r) => r.row.customer_external_id))]],
  );
  const found = new Set(known.map((k) => k.external_id));
  const { rows: categories } = await db.query<{ key: string }>(
    'SELECT key FROM categories WHERE key = ANY($1::text[])',
    [[...new Set(rows.flatMap((r) => r.row.items.map((i) => i.category)))]],
  );
  const shop = new Set(categories.map((c) => c.key));
  return rows.flatMap((r) => [
    ...(found.has(r.row.customer_external_id)
      ? []
      : [{ line: r.line, column: 'customer_external_id', message: 'no customer with this external id' }]),
    ...r.row.items.flatMap((item, i) =>
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

export const ordersImport: ImportKind<OrderRow> = {
  name: 'orders',
  columns: [...tableColumns.slice(0, 1), 'customer_external_id', ...tableColumns.slice(1), 'items'],
  required: ['external_id', 'customer_external_id', 'status', 'amount', 'created_at'],
  row: OrderRow,
  key: (r) => r.external_id,
  check: unknownReferences,
  async write(db, rows, present) {
    const used = tableColumns.filter((c) => present.has(c));
    const withItems = present.has('items');
    const counts = await upsertBatch(db, {
      table: 'orders',
      key: 'external_id',
      columns: [
        ...used.map((name) => ({ name, ...COLUMNS[name] })),
        // The parameter carries the customer's external id; the join turns it into customers.id.
        { name: 'customer_id', type: 'text', expr: 'c.id' },
        ...(withItems ? [{ name: 'item_count', type: 'int' }] : []),
      ],
      values: [
        ...used.map((name) => rows.map((r) => r[name] ?? null)),
        rows.map((r) => r.customer_external_id),
        ...(withItems ? [rows.map((r) => r.items.length)] : []),
      ],
      join: 'JOIN customers c ON c.external_id = u.customer_id',
    });
    if (withItems) {
      const ids = rows.map((r) => r.external_id);
      await db.query(
        'DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE external_id = ANY($1::text[]))',
        [ids],
      );
      await db.query(
        `INSERT INTO order_items (order_id, line_no, category, quantity, unit_price, amount)
         SELECT o.id, i.n, i.e->>'category', (i.e->>'quantity')::int, (i.e->>'unitPrice')::numeric, (i.e->>'amount')::numeric
         FROM unnest($1::text[], $2::jsonb[]) AS u(external_id, items)
         JOIN orders o ON o.external_id = u.external_id
         CROSS JOIN LATERAL jsonb_array_elements(u.items) WITH ORDINALITY AS i(e, n)`,
        [ids, rows.map((r) => JSON.stringify(r.items))],
      );
    }
    await refreshResponses(db, { externalIds: rows.map((r) => r.customer_external_id) });
    return counts;
  },
};
