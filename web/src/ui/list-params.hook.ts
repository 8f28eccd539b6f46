import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';

/** Search params with some changed: an empty value removes one; any change but the page's goes back to page 1. */
export function changedParams(
  params: URLSearchParams,
  changes: Record<string, string | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
  }
  if (!('page' in changes)) next.delete('page');
  return next;
}

/**
 * A listing whose filters and page live in the URL (bookmarkable, and the back button works):
 * the params, the current page, and a setter that changes some of them.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const change = (changes: Record<string, string | undefined>) =>
    setParams(changedParams(params, changes));
  return { params, page, change };
}

/** One page of a listing, fetched for `query`; it stays on screen while another page or filter loads. */
export function useListing<Q, R>(
  key: readonly string[],
  query: Q,
  fetch: (query: Q) => Promise<R>,
) {
  return useQuery({
    queryKey: [...key, query],
    queryFn: () => fetch(query),
    placeholderData: keepPreviousData,
  });
}
