import type { EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import type { SearchSort } from './dto/search.query';

export interface IndexQuery {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  minRating?: number;
  sort: SearchSort;
  page: number;
  limit: number;
}

export interface IndexHit {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  ratingAverage: number | null;
  ratingCount: number;
  score: number;
}

/** What the in-memory index reads of a stored product. */
export type IndexedProduct = Pick<
  ProductDocument,
  | 'id'
  | 'name'
  | 'description'
  | 'category'
  | 'priceCents'
  | 'stock'
  | 'archived'
  | 'revision'
  | 'createdAt'
  | 'ratingAverage'
  | 'ratingCount'
>;

/** The index's change counter shared by replicas (search_index_state). */
export interface SharedIndexState {
  version: number;
  /** The version of the last clear: everything stored before it is gone. */
  clearedVersion: number;
}

export interface IndexResult {
  items: IndexHit[];
  total: number;
  facets: Array<{ category: string; count: number }>;
}

/**
 * How one database engine stores and queries the search read model: SQLite FTS5
 * (sqlite-search-index.ts) or a PostgreSQL tsvector (pg-search-index.ts). The engine is chosen
 * once, when the module starts (search-index.provider.ts); caching and versioning around it are
 * the same for both (SearchIndexService).
 */
export interface SearchIndex {
  /** Writes a document unless the index holds this revision or a newer one; 1 if written, else 0. */
  upsert(manager: EntityManager, doc: ProductDocument): Promise<number>;
  /**
   * Every product at once (a rebuild), inside the caller's transaction, reporting how many were
   * read so far; returns that number.
   */
  bulkLoad(
    manager: EntityManager,
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void,
  ): Promise<number>;
  count(): Promise<number>;
  search(query: IndexQuery): Promise<IndexResult>;
  /**
   * The version of an index that several replicas share (search_index_state), read before each
   * search so a replica notices another's changes; undefined where one process owns the index,
   * whose own changes then suffice.
   */
  sharedState(): Promise<SharedIndexState | undefined>;
  /**
   * Stored products after `afterId` in id order, archived ones too (the memory index skips them):
   * loading the memory index. No other condition, so the read follows the id index alone.
   */
  storedPage(afterId: string | undefined, limit: number): Promise<IndexedProduct[]>;
  /** Products written by changes after `version`, archived ones included: a replica catching up. */
  changedSince(version: number): Promise<IndexedProduct[]>;
}

/** Injection token of the module's SearchIndex. */
export const SEARCH_INDEX = 'SEARCH_INDEX';
