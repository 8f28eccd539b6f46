import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

const AnnouncerContext = createContext<(message: string) => void>(() => undefined);

/**
 * One polite live region for the whole app: "Added to cart" and similar news that happens
 * without a page change is read out by screen readers.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clear first, so the same message twice is announced twice.
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

export function useAnnounce(): (message: string) => void {
  return useContext(AnnouncerContext);
}
