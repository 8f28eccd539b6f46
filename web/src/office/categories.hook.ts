import { useQuery } from '@tanstack/react-query';
import { storeApi } from '../api/store-api.client';

/** The categories the catalogue uses now (from the search facets), for pickers. */
export function useCategories(): string[] {
  const result = useQuery({
    queryKey: ['categories'],
    queryFn: () => storeApi.search({ limit: 1 }),
    staleTime: 60_000,
  });
  return (result.data?.facets ?? []).map((facet) => facet.category).sort();
}
