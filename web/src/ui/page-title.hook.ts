import { useEffect } from 'react';

/** The browser tab's title for this page (screen readers announce it on navigation too). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Micro Foods Market` : 'Micro Foods Market';
  }, [title]);
}
