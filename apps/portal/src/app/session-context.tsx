import { mayCall, type OperationId, type StewardClient } from '@steward/api-client';
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SessionStore } from '../lib/auth';
import type { Session } from '../lib/session';

const StoreContext = createContext<SessionStore | null>(null);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): SessionStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside SessionProvider');
  return store;
}

/** The signed-in session (null when signed out); re-renders on sign-in, refresh and sign-out. */
export function useSession(): Session | null {
  const store = useStore();
  return useSyncExternalStore(
    (l) => store.subscribe(l),
    () => store.current(),
  );
}

/** The typed API client of the signed-in user. */
export function useApi(): StewardClient {
  return useStore().api;
}

/** Whether the signed-in user's role may call an operation: the same rule the gateway enforces. */
export function useCan(): (operation: OperationId) => boolean {
  const role = useSession()?.user.role;
  return (operation) => mayCall(role, operation);
}
