import type { DataSource, EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { documentParams } from './document-params';
import type { SearchSort } from './dto/search.query';
import { toFtsQuery } from './fts-query';
import { sqliteBulkLoad } from './sqlite-bulk-load';
import type {
  IndexHit,
  IndexQuery,
  IndexResult,
  IndexedProduct,
  SearchIndex,
} from './search-index';
import { STORED_COLUMNS, toIndexed } from './stored-products';

// Name matches weigh most, then category, then description.
const RANK = 'bm25(search_fts, 10.0, 4.0, 1.0)';
const ORDER: Record<SearchSort, string> = {
  relevance: 'score DESC, p.nameKey ASC',
  price_asc: 'p.priceCents ASC, p.nameKey ASC',
  price_desc: 'p.priceCents DESC, p.nameKey ASC',
  name: 'p.nameKey ASC, p.id ASC',
  newest: 'p.createdAt DESC, p.id ASC',
  // Best rated first; unrated products last, then by name.
  rating: '(p.ratingCount = 0) ASC, p.ratingAverage DESC, p.ratingCount DESC, p.nameKey ASC',
};

/** A page of the stored products by id: reads the id index in order, with no sort. */
export const STORED_PAGE = `SELECT ${STORED_COLUMNS} FROM search_product WHERE "id" > ? ORDER BY "id" LIMIT ?`;

const UPSERT = `
  INSERT INTO search_product (id, name, nameKey, description, category, priceCents, stock, archived, version, revision, createdAt, updatedAt, ratingAverage, ratingCount)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET
    name = excluded.name, nameKey = excluded.nameKey, description = excluded.description, category = excluded.category,
    priceCents = excluded.priceCents, stock = excluded.stock, archived = excluded.archived, version = excluded.version,
    revision = excluded.revision, createdAt = excluded.createdAt, updatedAt = excluded.updatedAt,
    ratingAverage = excluded.ratingAverage, ratingCount = excluded.ratingCount
  WHERE excluded.revision > search_product.revision`;

/**
 * The search index on SQLite: search_product with an FTS5 table kept in step by triggers
 * (`unicode61 remove_diacritics 2`, prefix indexes), ranked by bm25.
 */
export class SqliteSearchIndex implements SearchIndex {
  constructor(private readonly db: DataSource) {}

  /** A bulk load with one FTS rebuild at the end (sqlite-bulk-load.ts). */
  bulkLoad(
    manager: EntityManager,
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void,
  ): Promise<number> {
    return sqliteBulkLoad(manager, UPSERT, pages, progress);
  }

  async upsert(manager: EntityManager, doc: ProductDocument): Promise<number> {
    await manager.query(UPSERT, documentParams(doc, doc.archived ? 1 : 0));
    // changes() counts the rows of the last statement only (not the FTS triggers): 0 when the
    // index already had this revision or a newer one.
    const [row] = await manager.query<Array<{ n: number }>>('SELECT changes() AS n');
    return row.n;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM search_product',
    );
    return row.n;
  }

  /** One process owns an SQLite index: its own changes are all there are. */
  sharedState(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async storedPage(afterId: string | undefined, limit: number): Promise<IndexedProduct[]> {
    const rows = await this.db.query<Parameters<typeof toIndexed>[0][]>(STORED_PAGE, [
      afterId ?? '',
      limit,
    ]);
    return rows.map(toIndexed);
  }

  /** Not asked of SQLite: nobody else writes its index. */
  changedSince(): Promise<IndexedProduct[]> {
    return Promise.resolve([]);
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    const match = query.q !== undefined && query.q.trim() !== '' ? toFtsQuery(query.q) : undefined;
    if (match === null) return { items: [], total: 0, facets: [] };

    const filters: string[] = ['p.archived = 0'];
    const params: unknown[] = [];
    if (query.minPrice !== undefined) {
      filters.push('p.priceCents >= ?');
      params.push(query.minPrice);
    }
    if (query.maxPrice !== undefined) {
      filters.push('p.priceCents <= ?');
      params.push(query.maxPrice);
    }
    if (query.inStock !== undefined) filters.push(query.inStock ? 'p.stock > 0' : 'p.stock = 0');
    if (query.minRating !== undefined) {
      filters.push('p.ratingAverage >= ?');
      params.push(query.minRating);
    }
    const from = match
      ? 'FROM search_fts JOIN search_product p ON p.docId = search_fts.rowid'
      : 'FROM search_product p';
    const base = match ? ['search_fts MATCH ?', ...filters] : filters;
    const baseParams = match ? [match, ...params] : params;
    const withCategory = query.category ? [...base, 'p.category = ?'] : base;
    const withCategoryParams = query.category ? [...baseParams, query.category] : baseParams;
    const where = `WHERE ${withCategory.join(' AND ')}`;

    const sort = query.sort === 'relevance' && !match ? 'name' : query.sort;
    const score = match ? `-${RANK}` : '0';
    const items = await this.db.query<IndexHit[]>(
      `SELECT p.id, p.name, p.category, p.priceCents, p.stock, p.ratingAverage, p.ratingCount, ${score} AS score ${from} ${where}
       ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
      [...withCategoryParams, query.limit, (query.page - 1) * query.limit],
    );
    const facets = await this.db.query<Array<{ category: string; count: number }>>(
      `SELECT p.category AS category, COUNT(*) AS count ${from} WHERE ${base.join(' AND ')} GROUP BY p.category ORDER BY count DESC, category ASC`,
      baseParams,
    );
    // The facets count the same hits per category (the category filter aside), so the total is
    // the selected category's count, or all of them: no separate COUNT query.
    const total = query.category
      ? (facets.find((f) => f.category === query.category)?.count ?? 0)
      : facets.reduce((sum, f) => sum + f.count, 0);
    return {
      items: items.map((hit) => ({ ...hit, score: Math.round(hit.score * 1000) / 1000 })),
      total,
      facets,
    };
  }
}
