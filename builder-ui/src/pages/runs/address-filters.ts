import { navigate, useLocation } from '../../router.tsx';

/**
 * A list page's filters and page offset, kept in its address so a filtered list can be shared and
 * reloaded. `set` replaces the address (no history entry per keystroke); a filter change goes back
 * to the first page.
 */
export function useAddressFilters<F extends string>(path: string, names: readonly F[]) {
  const url = useLocation();
  const filters = Object.fromEntries(names.map((f) => [f, url.searchParams.get(f) ?? ''])) as Record<F, string>;
  const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
  const set = (changes: Partial<Record<F, string>>, nextOffset = 0) => {
    const params = new URLSearchParams();
    for (const f of names) {
      const v = changes[f] ?? filters[f];
      if (v) params.set(f, v);
    }
    if (nextOffset > 0) params.set('offset', String(nextOffset));
    const search = params.toString();
    navigate(search ? `${path}?${search}` : path, { replace: true });
  };
  return { filters, offset, set };
}
