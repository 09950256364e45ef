import { useCallback, useState } from 'react';

/** A panel's open/closed state, remembered in this browser (localStorage may be unavailable). */
export function usePersistentFlag(key: string, initial: boolean): [boolean, () => void] {
  const [on, setOn] = useState(() => {
    try {
      const stored = window.localStorage.getItem(key);
      return stored === null ? initial : stored === '1';
    } catch {
      return initial;
    }
  });
  const toggle = useCallback(() => {
    setOn((was) => {
      try {
        window.localStorage.setItem(key, was ? '0' : '1');
      } catch {
        // Private mode: the choice lasts until the page reloads.
      }
      return !was;
    });
  }, [key]);
  return [on, toggle];
}
