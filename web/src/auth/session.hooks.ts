import { useSyncExternalStore } from 'react';
import type { User } from '../api/api.types';
import { session, type SessionState } from './session.store';

const subscribe = (listener: () => void) => session.subscribe(listener);
const snapshot = () => session.get();

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The signed-in user, or undefined (signed out, or the session is still being restored). */
export function useCurrentUser(): User | undefined {
  const state = useSession();
  return state.status === 'signed-in' ? state.user : undefined;
}
