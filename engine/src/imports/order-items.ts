// Order items by order (order_external_id), in our own columns or the Taobao item report
// (taobao-items.ts). Each item names its product by sku (商家编码); a product the catalogue lacks is
// created in 'uncategorised' (sku `title:<md5 of the title>` when the file has no code). Items
// replace their order's items, across the whole file (an order's items may span batches), so the
// apply is set-based over every staged batch: a few statements per import, no round trips per row.
import { z } from 'zod';
import { setLocal } from '../db/transaction.ts';
import type { Db } from '../db/transaction.ts';
import { filled, money, optional, text } from './cells.ts';
import type { ImportKind, RowError } from './import-kind.ts';
import { unknownOrders } from './import-kind.ts';
import type { ItemRow } from './item-row.ts';
import { prices, skuOf } from './item-row.ts';
import { APPLY_WORK_MEM } from './orders-apply.ts';
import { MAX_REPORTED_ERRORS } from './progress.ts';
import { taobaoItemReport } from './taobao-items.ts';

const quantity = z
  .string()
  .regex(/^\d{1,6}$/, 'expected a whole number of at least 1')
  .transform(Number)
  .refine((n) => n >= 1, 'expected a whole number of at least 1');
const lineNo = z
  .string()
  .regex(/^\d{1,4}$/, 'expected a line number from 1 to 9999')
  .transform(Number)
  .refine((n) => n >= 1, 'expected a line number from 1 to 9999');

const OwnItemRow = z
  .object({
    order_external_id: filled(text(200)),
    line_no: optional(lineNo),
    sku: optional(text(200)),
    title: optional(text(500)),
    quantity: filled(quantity),
    unit_price: optional(money),
    amount: optional(money),
  })
  .superRefine((r, ctx) => {
    if (!r.sku && !r.title) ctx.addIssue({ code: 'custom', path: ['sku'], message: 'an item needs a sku or a title' });
    if (!r.unit_price && !r.amount)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'an item needs unit_price or amount' });
  })
  .transform((r): ItemRow => ({
    order_external_id: r.order_external_id,
    line_no: r.line_no ?? null,
    sku: skuOf(r.sku, r.title) as string,
    title: r.title ?? null,
    quantity: r.quantity,
    ...prices(r.quantity, r.unit_price ?? null, r.amount ?? null),
  }));

/** The import's staged items, one row each, with the file line (the order they were read in). */
async function stageItems(db: Db, importId: string): Promise<void> {
  await db.query(
    `CREATE TEMP TABLE import_items (
       line int, order_external_id text, line_no int, sku text, title text, quantity int, unit_price numeric, amount numeric,
       order_id bigint
     ) ON COMMIT DROP`,
  );
  await db.query(
    `INSERT INTO import_items (line, order_external_id, line_no, sku, title, quantity, unit_price, amount, order_id)
     SELECT (e->>'line')::int, r.order_external_id, r.line_no, r.sku, r.title, r.quantity, r.unit_price, r.amount, o.id
     FROM import_batches b
     CROSS JOIN LATERAL jsonb_array_elements(b.parsed) e
     CROSS JOIN LATERAL jsonb_to_record(e->'row') AS r(order_external_id text, line_no int, sku text, title text, quantity int, unit_price numeric, amount numeric)
     LEFT JOIN orders o ON o.external_id = r.order_external_id
     WHERE b.import_id = $1`,
    [importId],
  );
}

/** The shop may have changed while the file streamed: each item's order must still be there. */
async function vanishedOrders(db: Db): Promise<RowError[]> {
  const { rows } = await db.query<{ line: number }>(
    `SELECT line FROM import_items WHERE order_id IS NULL ORDER BY line LIMIT ${MAX_REPORTED_ERRORS}`,
  );
  return rows.map((r) => ({ line: r.line, column: 'order_external_id', message: 'no order with this external id' }));
}

export const orderItemsImport: ImportKind<ItemRow> = {
  name: 'order-items',
  columns: ['order_external_id', 'line_no', 'sku', 'title', 'quantity', 'unit_price', 'amount'],
  required: ['order_external_id', 'quantity'],
  row: OwnItemRow,
  foreign: [taobaoItemReport],
  key: (r) => `${r.order_external_id}\u0000${r.line_no ?? ''}\u0000${r.sku}`,
  check: unknownOrders,
  async applyAll(db, importId) {
    await setLocal(db, { work_mem: APPLY_WORK_MEM });
    await stageItems(db, importId);
    const errors = await vanishedOrders(db);
    if (errors.length > 0) return { inserted: 0, updated: 0, errors };
    // Products the catalogue lacks: the first row naming each gives its name and price.
    const { rows: created } = await db.query<{ n: number; list: { sku: string; name: string }[] }>(
      `WITH ins AS (
         INSERT INTO products (sku, name, category, list_price)
         SELECT DISTINCT ON (s.sku) s.sku, COALESCE(s.title, s.sku), 'uncategorised', s.unit_price
         FROM import_items s WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = s.sku)
         ORDER BY s.sku, s.line
         ON CONFLICT (sku) DO NOTHING
         RETURNING sku, name)
       SELECT (SELECT count(*)::int FROM ins) AS n,
              COALESCE((SELECT jsonb_agg(x ORDER BY x.sku) FROM (SELECT sku, name FROM ins ORDER BY sku LIMIT 100) x), '[]') AS list`,
    );
    // Orders that had items: their items are replaced (counted as updated), the others' inserted.
    await db.query(
      `CREATE TEMP TABLE import_item_orders ON COMMIT DROP AS
       SELECT DISTINCT s.order_id, EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = s.order_id) AS had_items
       FROM import_items s`,
    );
    await db.query('DELETE FROM order_items WHERE order_id IN (SELECT order_id FROM import_item_orders)');
    // A later row with the same order and line number replaces an earlier one.
    const { rows: counts } = await db.query<{ inserted: number; updated: number }>(
      `WITH numbered AS (
         SELECT s.*, COALESCE(s.line_no, row_number() OVER (PARTITION BY s.order_id ORDER BY s.line)) AS n
         FROM import_items s),
       ins AS (
         INSERT INTO order_items (order_id, line_no, product_id, category, title, quantity, unit_price, amount)
         SELECT DISTINCT ON (x.order_id, x.n) x.order_id, x.n, p.id, p.category, x.title, x.quantity, x.unit_price, x.amount
         FROM numbered x JOIN products p ON p.sku = x.sku
         ORDER BY x.order_id, x.n, x.line DESC
         RETURNING order_id),
       -- An order's items were all replaced: its item count is what was just inserted (mostly what
       -- the order report said already: 宝贝种类; an unchanged order is not rewritten).
       counted AS (
         UPDATE orders o SET item_count = c.n, updated_at = now()
         FROM (SELECT order_id, count(*)::int AS n FROM ins GROUP BY order_id) c
         WHERE o.id = c.order_id AND o.item_count IS DISTINCT FROM c.n)
       SELECT count(*) FILTER (WHERE NOT o.had_items)::int AS inserted, count(*) FILTER (WHERE o.had_items)::int AS updated
       FROM ins JOIN import_item_orders o USING (order_id)`,
    );
    return { ...counts[0], productsCreated: created[0].n, newProducts: created[0].list };
  },
};
