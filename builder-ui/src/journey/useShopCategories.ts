import { useEffect, useState } from 'react';
import type { ShopCategory } from '@huitou/schemas';
import { listCategories } from '../api.ts';

/**
 * The shop's categories (GET /api/categories), asked once per page and shared by every picker and
 * the live validation: names are shown, keys stored. null until known (or when the engine could not
 * say); pickers then show the stored keys as they are.
 */
let cached: Promise<ShopCategory[] | null> | null = null;

function load(): Promise<ShopCategory[] | null> {
  cached ??= listCategories()
    .then((list) => list.map((c) => ({ key: c.key, name: c.name })))
    .catch(() => {
      cached = null; // asked again by the next picker that mounts
      return null;
    });
  return cached;
}

export function useShopCategories(): readonly ShopCategory[] | null {
  const [categories, setCategories] = useState<readonly ShopCategory[] | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((list) => {
      if (live) setCategories(list);
    });
    return () => {
      live = false;
    };
  }, []);
  return categories;
}
