import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';

/** A list read a page at a time (`next` is the offset of the following page); reloads when `key` changes. */
export function usePaged<T>(
  key: string | null,
  load: (offset: number) => Promise<{ items: T[]; next: number | null }>,
) {
  const i18n = useI18n();
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setItems(null);
    setNext(null);
    setError(null);
    if (key === null) return;
    let live = true;
    load(0).then(
      (page) => live && (setItems(page.items), setNext(page.next)),
      (e: unknown) => live && setError(describeError(e, i18n)),
    );
    return () => {
      live = false;
    };
    // `load` follows `key`: the list is reloaded when the key changes, not on every render.
  }, [key, i18n]);

  const more = useCallback(async () => {
    if (next === null) return;
    try {
      const page = await load(next);
      setItems((shown) => [...(shown ?? []), ...page.items]);
      setNext(page.next);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [next, load, i18n]);

  return { items, next, error, more };
}
