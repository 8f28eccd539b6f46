import type { IndexedProduct } from './search-index';

/** The columns of search_product the in-memory index loads, for both dialects. */
export const STORED_COLUMNS = `"id", "name", "description", "category", "priceCents", "stock", "archived",
  "revision", "createdAt", "ratingAverage", "ratingCount"`;

type StoredRow = Omit<IndexedProduct, 'archived' | 'ratingAverage'> & {
  archived: boolean | number;
  ratingAverage: number | string | null;
};

/**
 * A stored row as the index reads it (SQLite keeps booleans as 0/1, PostgreSQL may give a float
 * as text). Changed in place: a load reads 100,000 fresh rows, and copying each costs more than
 * the rest of its indexing.
 */
export function toIndexed(row: StoredRow): IndexedProduct {
  const product = row as unknown as IndexedProduct;
  product.archived = Boolean(row.archived);
  product.ratingAverage = row.ratingAverage === null ? null : Number(row.ratingAverage);
  return product;
}
