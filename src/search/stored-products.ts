import type { IndexedProduct } from './search-index';

/** The columns of search_product the in-memory index loads, for both dialects. */
export const STORED_COLUMNS = `"id", "name", "description", "category", "priceCents", "stock", "archived",
  "revision", "createdAt", "ratingAverage", "ratingCount"`;

type StoredRow = Omit<IndexedProduct, 'archived' | 'ratingAverage'> & {
  archived: boolean | number;
  ratingAverage: number | string | null;
};

/** A stored row as the index reads it (SQLite keeps booleans as 0/1). */
export function toIndexed(row: StoredRow): IndexedProduct {
  return {
    ...row,
    archived: Boolean(row.archived),
    ratingAverage: row.ratingAverage === null ? null : Number(row.ratingAverage),
  };
}
