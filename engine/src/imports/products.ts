// Products by the merchant code (sku, 商家编码): the shop's catalogue. A category cell is a
// category's key or its name; a name the shop does not have yet makes a new category (key c_<n>).
// A re-import updates products in place, only in the columns the file has.
import type { ProductRole } from '@huitou/schemas';
import { UNCATEGORISED, hasUnsafeNameCharacter, productRoles } from '@huitou/schemas';
import { z } from 'zod';
import { ensureCategories } from '../catalogue/categories.ts';
import type { Db } from '../db/transaction.ts';
import { filled, money, oneOf, optional, text, withDefault } from './cells.ts';
import type { ImportKind } from './import-kind.ts';
import { upsertBatch } from './import-kind.ts';

const displayText = (max: number) =>
  text(max).refine((s) => !hasUnsafeNameCharacter(s), 'may not contain control or bidi characters');

const ProductRow = z.object({
  sku: filled(text(100)),
  name: filled(displayText(200)),
  category: optional(displayText(40)),
  role: withDefault(oneOf(productRoles), 'profit' as ProductRole),
  price: filled(money),
  short_name: optional(displayText(20)),
});
type ProductRow = z.output<typeof ProductRow>;

/** The category key of each distinct cell: a key, else a name, else a new category of that name. */
async function categoryKeys(db: Db, cells: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(cells)];
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const { rows } = await db.query<{ key: string; name: string }>(
    'SELECT key, name FROM categories WHERE key = ANY($1::text[]) OR name = ANY($1::text[])',
    [wanted],
  );
  const byKey = new Map(rows.map((r) => [r.key, r.key]));
  const byName = new Map(rows.map((r) => [r.name, r.key]));
  for (const cell of wanted) {
    const key = byKey.get(cell) ?? byName.get(cell);
    if (key) out.set(cell, key);
  }
  const made = await ensureCategories(
    db,
    wanted.filter((c) => !out.has(c)),
  );
  for (const [name, key] of made) out.set(name, key);
  return out;
}

export const productsImport: ImportKind<ProductRow> = {
  name: 'products',
  columns: ['sku', 'name', 'category', 'role', 'price', 'short_name'],
  required: ['sku', 'name', 'price'],
  row: ProductRow,
  key: (r) => r.sku,
  async write(db, rows, present) {
    const keys = await categoryKeys(
      db,
      rows.flatMap((r) => (r.category ? [r.category] : [])),
    );
    // A new product without a category (or a file without the column) is uncategorised; an
    // existing one keeps its category unless the file names one.
    const update = ['name', 'list_price'];
    if (present.has('category')) update.push('category');
    if (present.has('role')) update.push('role');
    if (present.has('short_name')) update.push('short_name');
    return upsertBatch(db, {
      table: 'products',
      key: 'sku',
      columns: [
        { name: 'sku', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'category', type: 'text' },
        { name: 'role', type: 'text' },
        { name: 'list_price', type: 'numeric' },
        { name: 'short_name', type: 'text' },
      ],
      values: [
        rows.map((r) => r.sku),
        rows.map((r) => r.name),
        rows.map((r) => (r.category ? (keys.get(r.category) as string) : UNCATEGORISED)),
        rows.map((r) => r.role),
        rows.map((r) => r.price),
        rows.map((r) => r.short_name ?? null),
      ],
      update,
    });
  },
};
