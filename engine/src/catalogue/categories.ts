// The shop's categories (table `categories`, migration 080): what journeys' category keys are
// checked against, what the 11.11 template branches on, and where the products import and the
// catalogue API create new ones.
import type { ShopCategory } from '@huitou/schemas';
import { UNCATEGORISED, unknownCategoryKeys } from '@huitou/schemas';
import type { Db } from '../db/transaction.ts';
import { ApiError } from '../errors.ts';

/** Every key the shop has. */
export async function shopCategoryKeys(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>('SELECT key FROM categories ORDER BY key');
  return rows.map((r) => r.key);
}

/**
 * A 422 naming the first unknown category key a segment (or any JSON) uses, with the path of each
 * in `details.unknown`. Keys are slugs (no personal data), so the message names the key.
 */
export async function assertKnownCategories(db: Db, value: unknown, base: (string | number)[]): Promise<void> {
  const unknown = unknownCategoryKeys(value, await shopCategoryKeys(db), base);
  if (unknown.length === 0) return;
  throw new ApiError(
    422,
    'category_unknown',
    `category "${unknown[0].key}" is not one of the shop's categories`,
    unknown[0].path,
    { unknown: unknown.map((u) => ({ path: u.path, key: u.key })) },
  );
}

/**
 * The shop's categories for care-per-category journeys, largest by the last year's sales first
 * (then by position); without any sales, all of them by position. Uncategorised items get no care.
 */
export async function categoriesBySales(db: Db, asOf: Date): Promise<ShopCategory[]> {
  const { rows } = await db.query<{ key: string; name: string; sales: string | null }>(
    `SELECT c.key, c.name, s.sales
     FROM categories c
     LEFT JOIN (
       SELECT i.category, sum(i.amount) AS sales
       FROM order_items i JOIN purchases p ON p.id = i.order_id
       WHERE p.paid_at >= $1::timestamptz - interval '365 days' AND p.paid_at < $1::timestamptz
       GROUP BY i.category
     ) s ON s.category = c.key
     WHERE c.key <> $2
     ORDER BY s.sales DESC NULLS LAST, c.position, c.key`,
    [asOf, UNCATEGORISED],
  );
  const sold = rows.filter((r) => r.sales !== null && Number(r.sales) > 0);
  return (sold.length > 0 ? sold : rows).map((r) => ({ key: r.key, name: r.name }));
}

/** A fresh generated key, `c_<n>`, skipping any a shop chose itself. */
async function generatedKey(db: Db): Promise<string> {
  for (;;) {
    const { rows } = await db.query<{ key: string; taken: boolean }>(
      `SELECT k.key, EXISTS (SELECT 1 FROM categories WHERE key = k.key) AS taken
       FROM (SELECT 'c_' || nextval('category_key_seq') AS key) k`,
    );
    if (!rows[0].taken) return rows[0].key;
  }
}

/**
 * Inserts categories by name (in the caller's transaction), each with a generated key and placed
 * after the last one; names that exist are left alone. Returns the keys of the names, made or found.
 */
export async function ensureCategories(db: Db, names: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(names)];
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const { rows } = await db.query<{ key: string; name: string }>(
    'SELECT key, name FROM categories WHERE name = ANY($1::text[])',
    [wanted],
  );
  for (const r of rows) out.set(r.name, r.key);
  for (const name of wanted.filter((n) => !out.has(n))) {
    const key = await generatedKey(db);
    // Concurrent creators of one name: the unique name decides, and the later one reads the winner.
    const made = await db.query<{ key: string }>(
      `INSERT INTO categories (key, name, position)
       VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM categories WHERE key <> $3))
       ON CONFLICT (name) DO NOTHING RETURNING key`,
      [key, name, UNCATEGORISED],
    );
    if (made.rows[0]) out.set(name, made.rows[0].key);
    else {
      const found = await db.query<{ key: string }>('SELECT key FROM categories WHERE name = $1', [name]);
      out.set(name, found.rows[0].key);
    }
  }
  return out;
}
