/**
 * Client-side navigation over the History API: the engine answers every non-API path with the
 * builder's index.html (engine/src/api/server.ts), so each screen has a real URL that can be shared
 * and reloaded. Paths themselves are defined once, in routes.ts.
 */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useSyncExternalStore } from 'react';

const CHANGED = 'huitou:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

const currentUrl = () => window.location.pathname + window.location.search;

/** The current path and query, re-rendering on every navigation (links, back and forward). */
export function useLocation(): URL {
  const url = useSyncExternalStore(subscribe, currentUrl);
  return new URL(url, window.location.origin);
}

export function navigate(to: string, options: { readonly replace?: boolean } = {}): void {
  if (to === currentUrl()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGED));
}

export type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { readonly to: string };

/** A real link (middle-click and ⌘-click open a tab); a plain click navigates in place. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...rest} />;
}
