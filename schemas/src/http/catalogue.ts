// The shop's categories and product catalogue (docs/api.md § The catalogue).
import { z } from 'zod';
import { CategoryKey, CategoryName, ProductRole } from '../catalogue.ts';
import { Limit, Offset, Timestamp } from './common.ts';

export const Category = z.object({
  key: z.string(),
  name: z.string(),
  position: z.int(),
  /** Products in the category. */
  productCount: z.int(),
  createdAt: Timestamp,
});
export type Category = z.infer<typeof Category>;
export const CategoryList = z.object({ categories: z.array(Category) });
export type CategoryList = z.infer<typeof CategoryList>;

const Position = z.int().min(-1_000_000).max(1_000_000);

export const CreateCategoryBody = z.strictObject({
  name: CategoryName,
  /** The immutable key journeys store; generated (`c_<n>`) when absent. */
  key: CategoryKey.optional(),
  /** Listing order; default after the last one. */
  position: Position.optional(),
});
export type CreateCategoryRequest = z.input<typeof CreateCategoryBody>;

export const UpdateCategoryBody = z
  .strictObject({ name: CategoryName.optional(), position: Position.optional() })
  .refine((b) => b.name !== undefined || b.position !== undefined, { message: 'give name, position or both' });
export type UpdateCategoryRequest = z.input<typeof UpdateCategoryBody>;

export const CategoryParams = z.strictObject({ key: z.string() });

export const Product = z.object({
  id: z.int(),
  /** The merchant code (商家编码). */
  sku: z.string(),
  name: z.string(),
  /** What `{item}` prints in an SMS (null: the name). */
  shortName: z.string().nullable(),
  category: z.string(),
  role: ProductRole,
  /** Yuan. */
  price: z.number(),
});
export type Product = z.infer<typeof Product>;

export const ProductListQuery = z.strictObject({
  category: CategoryKey.optional(),
  /** A substring of the name, short name or sku. */
  q: z.string().min(1).max(80).optional(),
  limit: Limit,
  offset: Offset,
});
export const ProductList = z.object({
  products: z.array(Product),
  /** Products matching the filter, all pages. */
  total: z.int(),
});
export type ProductList = z.infer<typeof ProductList>;
