// The shop's categories and products: read by the builder's pickers, written by engineers (the
// catalogue is shop data, like imports). A category's key never changes; its name and position do.
import {
  CategoryList,
  CategoryParams,
  Category,
  CreateCategoryBody,
  ProductList,
  ProductListQuery,
  UpdateCategoryBody,
} from '@huitou/schemas/http';
import type { z } from 'zod';
import { audit } from '../../audit.ts';
import { ensureCategories } from '../../catalogue/categories.ts';
import type { Db } from '../../db/transaction.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import { ApiError, notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { containsPattern } from '../rows.ts';

interface CategoryRow {
  key: string;
  name: string;
  position: number;
  product_count: number;
  created_at: Date;
}

const CATEGORY_SELECT = `SELECT c.key, c.name, c.position, c.created_at,
  (SELECT count(*)::int FROM products p WHERE p.category = c.key) AS product_count
  FROM categories c`;

const categoryOut = (r: CategoryRow): z.input<typeof Category> => ({
  key: r.key,
  name: r.name,
  position: r.position,
  productCount: r.product_count,
  createdAt: iso(r.created_at) as string,
});

async function loadCategory(db: Db, key: string): Promise<CategoryRow> {
  const { rows } = await db.query<CategoryRow>(`${CATEGORY_SELECT} WHERE c.key = $1`, [key]);
  if (!rows[0]) throw notFound('category', ['params', 'key']);
  return rows[0];
}

/** A taken key or name: 409 naming the field. */
function taken(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23505') {
    const field = e.constraint === 'categories_name_key' ? 'name' : 'key';
    throw new ApiError(409, `category_${field}_taken`, `another category has this ${field}`, ['body', field]);
  }
  throw error;
}

export const catalogueRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/categories',
    summary: "The shop's categories, by position, with their product counts",
    tag: 'catalogue',
    permission: 'read',
    response: CategoryList,
    handler: async ({ deps }) => {
      const { rows } = await deps.pool.query<CategoryRow>(`${CATEGORY_SELECT} ORDER BY c.position, c.key`);
      return { categories: rows.map(categoryOut) };
    },
  }),
  route({
    method: 'post',
    path: '/api/categories',
    summary: 'Add a category (the key is generated as c_<n> when not given; it never changes)',
    tag: 'catalogue',
    permission: 'data.import',
    body: CreateCategoryBody,
    response: Category,
    status: 201,
    handler: async ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        let key: string;
        if (body.key === undefined) {
          const before = await db.query('SELECT 1 FROM categories WHERE name = $1', [body.name]);
          if (before.rowCount) taken({ code: '23505', constraint: 'categories_name_key' });
          key = (await ensureCategories(db, [body.name])).get(body.name) as string;
        } else {
          key = body.key;
          await db
            .query(
              `INSERT INTO categories (key, name, position)
               VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM categories WHERE key <> 'uncategorised'))`,
              [key, body.name],
            )
            .catch(taken);
        }
        if (body.position !== undefined)
          await db.query('UPDATE categories SET position = $2 WHERE key = $1', [key, body.position]);
        await audit(db, principal, 'category.create', { type: 'category', id: key }, { name: body.name });
        return categoryOut(await loadCategory(db, key));
      }),
  }),
  route({
    method: 'patch',
    path: '/api/categories/:key',
    summary: 'Rename or move a category (its key, what journeys store, stays)',
    tag: 'catalogue',
    permission: 'data.import',
    params: CategoryParams,
    body: UpdateCategoryBody,
    response: Category,
    handler: async ({ deps, params, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const before = await loadCategory(db, params.key);
        await db
          .query('UPDATE categories SET name = coalesce($2, name), position = coalesce($3, position) WHERE key = $1', [
            params.key,
            body.name ?? null,
            body.position ?? null,
          ])
          .catch(taken);
        await audit(
          db,
          principal,
          'category.update',
          { type: 'category', id: params.key },
          { from: { name: before.name, position: before.position }, to: body },
        );
        return categoryOut(await loadCategory(db, params.key));
      }),
  }),
  route({
    method: 'get',
    path: '/api/products',
    summary: 'Products, by category then sku, optionally of one category or matching a text (name, short name, sku)',
    tag: 'catalogue',
    permission: 'read',
    query: ProductListQuery,
    response: ProductList,
    handler: async ({ deps, query }) => {
      const { rows } = await deps.pool.query<{
        id: string;
        sku: string;
        name: string;
        short_name: string | null;
        category: string;
        role: 'traffic' | 'profit' | 'edge' | 'potential';
        list_price: string;
        total: number;
      }>(
        `SELECT p.id, p.sku, p.name, p.short_name, p.category, p.role, p.list_price, count(*) OVER ()::int AS total
         FROM products p
         WHERE ($1::text IS NULL OR p.category = $1)
           AND ($2::text IS NULL OR p.name ILIKE $2 ESCAPE '\\' OR p.short_name ILIKE $2 ESCAPE '\\' OR p.sku ILIKE $2 ESCAPE '\\')
         ORDER BY p.category, p.sku LIMIT $3 OFFSET $4`,
        [query.category ?? null, query.q ? containsPattern(query.q) : null, query.limit, query.offset],
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && query.offset > 0) {
        // Past the last page: the count still tells the client how many there are.
        const count = await deps.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM products p WHERE ($1::text IS NULL OR p.category = $1)
           AND ($2::text IS NULL OR p.name ILIKE $2 ESCAPE '\\' OR p.short_name ILIKE $2 ESCAPE '\\' OR p.sku ILIKE $2 ESCAPE '\\')`,
          [query.category ?? null, query.q ? containsPattern(query.q) : null],
        );
        total = count.rows[0].n;
      }
      return {
        products: rows.map((r) => ({
          id: Number(r.id),
          sku: r.sku,
          name: r.name,
          shortName: r.short_name,
          category: r.category,
          role: r.role,
          price: Number(r.list_price),
        })),
        total,
      };
    },
  }),
];
