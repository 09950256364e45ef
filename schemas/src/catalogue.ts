import { z } from 'zod';
import type { LocalizedText } from './i18n.ts';
import { text } from './i18n.ts';
import { DisplayName } from './text.ts';
import { walkJsonObjects } from './json-walk.ts';

/**
 * The shop's own categories and product roles (docs/domain.md § Categories and product roles).
 * Categories are shop data (the `categories` table), not a closed list: journeys and segments store
 * a category's immutable key, the engine checks keys against the shop's list when a journey is
 * validated or published and when a segment is previewed.
 */

/** A category key: fixed once made, what journeys store (the name is what marketers read). */
export const CATEGORY_KEY_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const CategoryKey = z
  .string()
  .regex(
    CATEGORY_KEY_PATTERN,
    'a category key is a lowercase letter, then lowercase letters, digits or _ (at most 32)',
  );
export type CategoryKey = z.infer<typeof CategoryKey>;

/** A category's display name (Chinese as a rule), as the categories table allows it. */
export const CategoryName = DisplayName(40);

/** Where an item of a product the shop never catalogued lands. */
export const UNCATEGORISED = 'uncategorised';

/** At most this many categories in one condition or goal. */
export const MAX_CATEGORIES_PER_CONDITION = 100;

/** Product roles as seed 001 names them: traffic-driving, profit, edge, and potential (new lines). */
export const productRoles = ['traffic', 'profit', 'edge', 'potential'] as const;
export const ProductRole = z.enum(productRoles);
export type ProductRole = z.infer<typeof ProductRole>;

export const productRoleLabels: Record<ProductRole, LocalizedText> = {
  traffic: text('引流款', 'Traffic'),
  profit: text('利润款', 'Profit'),
  edge: text('形象款', 'Edge'),
  potential: text('潜力款', 'Potential'),
};

export interface ShopCategory {
  readonly key: string;
  readonly name: string;
}

/**
 * The demo shop's categories (a mother-and-baby shop), under the four keys earlier releases had:
 * the default the template gallery and tests use when there is no shop to ask.
 */
export const demoCategories: readonly ShopCategory[] = [
  { key: 'food', name: '奶粉辅食' },
  { key: 'kids_clothing', name: '童装童鞋' },
  { key: 'daily_goods', name: '纸尿裤洗护' },
  { key: 'durables', name: '玩具车床' },
];

/** Where a category key is used, as a path into the JSON it was found in. */
export interface CategoryKeyUse {
  readonly path: (string | number)[];
  readonly key: string;
}

/**
 * Every category key a journey graph, a segment or a goal uses: the `categories` of purchase
 * conditions, trigger-order category conditions and purchase goals, wherever they sit. Walks any
 * JSON (never throws), so it also reads graphs that failed validation elsewhere.
 */
export function categoryKeyUses(value: unknown, base: readonly (string | number)[] = []): CategoryKeyUse[] {
  const out: CategoryKeyUse[] = [];
  walkJsonObjects(value, base, (o, path) => {
    if ((o.kind === 'purchase' || o.kind === 'trigger_order_category') && Array.isArray(o.categories))
      o.categories.forEach((key, i) => {
        if (typeof key === 'string') out.push({ path: [...path, 'categories', i], key });
      });
  });
  return out;
}

/** The uses of keys that are not in `known` (the shop's categories), in document order. */
export function unknownCategoryKeys(value: unknown, known: Iterable<string>, base: readonly (string | number)[] = []) {
  const set = new Set(known);
  return categoryKeyUses(value, base).filter((u) => !set.has(u.key));
}
