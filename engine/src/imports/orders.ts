// Orders by the marketplace's order number (external_id). In our own columns, for customers already
// in the shop (customer_external_id), items in one cell; in the Taobao order report (taobao-orders.ts)
// the buyer comes with the order and is created when new. A re-import updates the order and, when
// the file has an items column, replaces its items.
import { purchaseCategories } from '@huitou/schemas';
import type { ParsedPhone } from '@huitou/schemas/phone';
import { z } from 'zod';
import type { Db } from '../db/transaction.ts';
import { filled, money, oneOf, optional, text, timestamp, withDefault } from './cells.ts';
import type { ImportKind, ParsedRow, RowError, UpsertColumn } from './import-kind.ts';
import { upsertBatch } from './import-kind.ts';
import { ORDER_STATUSES, PAID_STATUSES } from './order-statuses.ts';
import { taobaoOrderReport } from './taobao-orders.ts';

const ITEM = /^([a-z_]+):(\d{1,6}):(\d{1,10}(?:\.\d{1,2})?)$/;

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
    if (!m || !(purchaseCategories as readonly string[]).includes(m[1]) || Number(m[2]) < 1) {
      ctx.addIssue({
        code: 'custom',
        message: `item ${i + 1}: expected category:quantity:amount with a category of ${purchaseCategories.join(', ')} and a quantity of at least 1`,
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

type Column = Exclude<keyof OrderRow, 'customer_external_id' | 'items' | 'buyer'>;
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
  province: { type: 'text' },
  city: { type: 'text' },
  carrier: { type: 'text' },
  tracking_no: { type: 'text' },
  item_count: { type: 'int' },
};
const tableColumns = Object.keys(COLUMNS) as Column[];
const ownColumns = tableColumns.filter((c) => c !== 'item_count');

/**
 * Every customer_external_id must name a customer (unless the row brings its buyer): the check
 * runs per batch while streaming and again in the import's transaction.
 */
async function unknownCustomers(db: Db, rows: readonly ParsedRow<OrderRow>[]): Promise<RowError[]> {
  const named = rows.filter((r) => !r.row.buyer);
  if (named.length === 0) return [];
  const { rows: known } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM customers WHERE external_id = ANY($1::text[])',
    [[...new Set(named.map((r) => r.row.customer_external_id))]],
  );
  const found = new Set(known.map((k) => k.external_id));
  return named
    .filter((r) => !found.has(r.row.customer_external_id))
    .map((r) => ({ line: r.line, column: 'customer_external_id', message: 'no customer with this external id' }));
}

/**
 * The buyers of a batch, each once with its latest order's phone and name: new ones are created
 * (registered at their first order), known ones get a mobile the export shows. A masked number or a
 * fixed line is kept as unreachable_phone and never replaces a mobile on record.
 */
async function upsertBuyers(db: Db, rows: readonly OrderRow[]): Promise<number> {
  const byId = new Map<string, { latest: OrderRow; first: string }>();
  for (const r of rows) {
    if (!r.buyer) continue;
    const seen = byId.get(r.customer_external_id);
    if (!seen) byId.set(r.customer_external_id, { latest: r, first: r.created_at });
    else {
      if (Date.parse(r.created_at) >= Date.parse(seen.latest.created_at)) seen.latest = r;
      if (Date.parse(r.created_at) < Date.parse(seen.first)) seen.first = r.created_at;
    }
  }
  if (byId.size === 0) return 0;
  const buyers = [...byId.entries()];
  const phoneOf = (p: ParsedPhone | null) => (p?.kind === 'mobile' ? p.e164 : null);
  const unreachableOf = (p: ParsedPhone | null) =>
    p?.kind === 'fixed_line' ? p.e164 : p?.kind === 'masked' ? p.raw : null;
  const { rows: written } = await db.query<{ inserted: boolean }>(
    `INSERT INTO customers (external_id, nickname, name, phone, unreachable_phone, phone_kind, registered_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
     ON CONFLICT (external_id) DO UPDATE SET
       name = COALESCE(EXCLUDED.name, customers.name),
       phone = COALESCE(EXCLUDED.phone, customers.phone),
       unreachable_phone = COALESCE(EXCLUDED.unreachable_phone, customers.unreachable_phone),
       phone_kind = CASE WHEN EXCLUDED.phone IS NOT NULL OR customers.phone IS NOT NULL THEN 'mobile'
                         ELSE COALESCE(EXCLUDED.phone_kind, customers.phone_kind) END
     RETURNING (xmax = 0) AS inserted`,
    [
      buyers.map(([id]) => id),
      buyers.map(([, b]) => b.latest.buyer?.nickname),
      buyers.map(([, b]) => b.latest.buyer?.name ?? null),
      buyers.map(([, b]) => phoneOf(b.latest.buyer?.phone ?? null)),
      buyers.map(([, b]) => unreachableOf(b.latest.buyer?.phone ?? null)),
      buyers.map(([, b]) => b.latest.buyer?.phone?.kind ?? null),
      buyers.map(([, b]) => b.first),
    ],
  );
  return written.filter((w) => w.inserted).length;
}

/** Each customer's province and city are those of their latest order that has an address. */
async function latestAddresses(db: Db, customerExternalIds: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE customers c SET province = l.province, city = l.city
     FROM (SELECT DISTINCT ON (o.customer_id) o.customer_id, o.province, o.city
           FROM customers k JOIN orders o ON o.customer_id = k.id
           WHERE k.external_id = ANY($1::text[]) AND o.province IS NOT NULL
           ORDER BY o.customer_id, o.created_at DESC, o.id DESC) l
     WHERE c.id = l.customer_id AND (c.province IS DISTINCT FROM l.province OR c.city IS DISTINCT FROM l.city)`,
    [[...new Set(customerExternalIds)]],
  );
}

export const ordersImport: ImportKind<OrderRow> = {
  name: 'orders',
  columns: [...ownColumns.slice(0, 1), 'customer_external_id', ...ownColumns.slice(1), 'items'],
  required: ['external_id', 'customer_external_id', 'status', 'amount', 'created_at'],
  row: OwnOrderRow,
  foreign: [taobaoOrderReport],
  key: (r) => r.external_id,
  check: unknownCustomers,
  async write(db, rows, present) {
    const customersCreated = await upsertBuyers(db, rows);
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
        { name: 'updated_at', type: 'timestamptz', expr: 'now()' },
      ],
      values: [
        ...used.map((name) => rows.map((r) => r[name] ?? null)),
        rows.map((r) => r.customer_external_id),
        ...(withItems ? [rows.map((r) => r.items.length)] : []),
        rows.map(() => null),
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
    if (present.has('province'))
      await latestAddresses(
        db,
        rows.map((r) => r.customer_external_id),
      );
    return { ...counts, customersCreated };
  },
  async summarise(db, importId) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers
       WHERE phone IS NULL AND unreachable_phone IS NOT NULL
         AND external_id IN (SELECT e->'row'->>'customer_external_id'
                             FROM import_batches b CROSS JOIN LATERAL jsonb_array_elements(b.parsed) e
                             WHERE b.import_id = $1)`,
      [importId],
    );
    return { unreachablePhones: rows[0].n };
  },
};
