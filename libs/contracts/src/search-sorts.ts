/** The orders the catalogue search offers (relevance needs a query): the API's and the shop's. */
export const SEARCH_SORTS = [
  'relevance',
  'price_asc',
  'price_desc',
  'name',
  'newest',
  'rating',
] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
