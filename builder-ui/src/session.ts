import { createContext, useContext } from 'react';
import type { Me, Permission } from './api.ts';

export interface Session {
  readonly me: Me;
  /** Role-aware UI: the server's permission list for the key, never a copy of the role table. */
  readonly can: (permission: Permission) => boolean;
  readonly signOut: () => void;
}

export function makeSession(me: Me, signOut: () => void): Session {
  return { me, can: (p) => me.permissions.includes(p), signOut };
}

export const SessionContext = createContext<Session>(
  makeSession({ name: '', role: 'viewer', permissions: [] }, () => undefined),
);

export function useSession(): Session {
  return useContext(SessionContext);
}
