import { useEffect, useRef } from 'react';

/** Calls `load` now and then every `ms` after the previous call settled, until unmounted. */
export function usePolling(load: () => Promise<void>, ms: number, key: unknown): void {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await latest.current().catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, key]);
}
