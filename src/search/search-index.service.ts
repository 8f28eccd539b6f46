import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { DataSource, EntityManager } from 'typeorm';
import { SearchSort } from './dto/search.query';
import { documentParams } from './document-params';
import { toFtsQuery } from './fts-query';
import { pgCount, pgSearch, pgUpsert } from './pg-search-index';
import { dialectOf } from '@mfm/platform/database/dialect';
import { sqliteBulkLoad } from './sqlite-bulk-load';

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

export interface IndexResult {
  items: IndexHit[];
  total: number;
  facets: Array<{ category: string; count: number }>;
}

const RESULT_CACHE_SIZE = 1000;

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

export const UPSERT = `
  INSERT INTO search_product (id, name, nameKey, description, category, priceCents, stock, archived, version, revision, createdAt, updatedAt, ratingAverage, ratingCount)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET
    name = excluded.name, nameKey = excluded.nameKey, description = excluded.description, category = excluded.category,
    priceCents = excluded.priceCents, stock = excluded.stock, archived = excluded.archived, version = excluded.version,
    revision = excluded.revision, createdAt = excluded.createdAt, updatedAt = excluded.updatedAt,
    ratingAverage = excluded.ratingAverage, ratingCount = excluded.ratingCount
  WHERE excluded.revision > search_product.revision`;

/**
 * The search module's own index (read model): applied product changes in, ranked hits out.
 * SQLite (FTS5) here; on PostgreSQL the same API is served by pg-search-index.ts (tsvector).
 */
@Injectable()
export class SearchIndexService {
  private readonly postgres: boolean;

  constructor(
    @InjectDataSource('search') private readonly db: DataSource,
    @Inject(transactionRunnerToken('search')) private readonly tx: TransactionRunner,
  ) {
    this.postgres = dialectOf(db) === 'postgres';
  }

  /**
   * Answers of recent searches, dropped as soon as the index changes: many shoppers type the same
   * queries, and an FTS query with facets over 100,000 products costs tens of milliseconds.
   */
  private readonly cache = new Map<string, Promise<IndexResult>>();
  /** Grows with every change of the index; callers caching derived data compare it. */
  generation = 0;
  /**
   * PostgreSQL: the index version the cache was filled at (search_index_state). Replicas share
   * the index, so each search reads the version first (one primary-key lookup) and drops the
   * cache when another replica changed the index since.
   */
  private cachedVersion?: string;

  /** Applies a product document unless the index already holds this revision or a newer one. */
  async apply(documents: ProductDocument[]): Promise<number> {
    const applied = await this.tx.run(async (manager) => {
      let changed = 0;
      for (const doc of documents) changed += await this.upsert(manager, doc);
      if (changed > 0) await this.bumpVersion(manager);
      return changed;
    });
    if (applied > 0) this.changed();
    return applied;
  }

  /**
   * Every product at once (a rebuild), in one transaction: on SQLite a bulk load with one FTS
   * rebuild at the end, on PostgreSQL the same upserts as apply(). Changes arriving meanwhile wait
   * in the write queue and are applied after it (the highest revision wins either way).
   */
  async applyAll(
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void = () => undefined,
  ): Promise<number> {
    const read = await this.tx.run(async (manager) => {
      let n = 0;
      if (this.postgres)
        for await (const page of pages) {
          for (const doc of page) await pgUpsert(manager, doc);
          progress((n += page.length));
        }
      else n = await sqliteBulkLoad(manager, UPSERT, pages, progress);
      await this.bumpVersion(manager);
      return n;
    });
    this.changed();
    return read;
  }

  /** Forgets every product (the classic profile's /clear); the FTS rows follow through the delete trigger. */
  async clear(): Promise<void> {
    await this.tx.run(async (manager) => {
      await manager.query('DELETE FROM search_product');
      await this.bumpVersion(manager);
    });
    this.changed();
  }

  /** In the transaction that changes the index: other replicas' caches are stale from its commit on. */
  private async bumpVersion(manager: EntityManager): Promise<void> {
    await manager.query('UPDATE search_index_state SET "version" = "version" + 1 WHERE "id" = 1');
  }

  /** Drops this replica's cache if the shared index changed since it was filled (PostgreSQL). */
  private async checkVersion(): Promise<void> {
    if (!this.postgres) return; // one process owns an SQLite index: its own changes suffice
    const [row] = await this.db.query<Array<{ version: string }>>(
      'SELECT "version"::text AS version FROM search_index_state WHERE "id" = 1',
    );
    if (row?.version !== this.cachedVersion) {
      if (this.cachedVersion !== undefined) this.changed();
      this.cachedVersion = row?.version;
    }
  }

  /** Whatever was derived from the index before is stale now. */
  private changed(): void {
    this.generation++;
    this.cache.clear();
  }

  async count(): Promise<number> {
    if (this.postgres) return pgCount(this.db);
    const [row] = await this.db.query<Array<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM search_product',
    );
    return row.n;
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    await this.checkVersion();
    const key = JSON.stringify([
      query.q?.trim().toLowerCase() ?? '',
      query.category,
      query.minPrice,
      query.maxPrice,
      query.inStock,
      query.minRating,
      query.sort,
      query.page,
      query.limit,
    ]);
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the first key is the one to evict.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const generation = this.generation;
    const result = this.postgres ? pgSearch(this.db, query) : this.sqliteSearch(query);
    this.cache.set(key, result);
    if (this.cache.size > RESULT_CACHE_SIZE)
      this.cache.delete(this.cache.keys().next().value as string);
    // A failed query is not remembered, nor one the index changed under.
    result.then(
      () => generation !== this.generation && this.cache.delete(key),
      () => this.cache.delete(key),
    );
    return result;
  }

  private async sqliteSearch(query: IndexQuery): Promise<IndexResult> {
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

  private async upsert(manager: EntityManager, doc: ProductDocument): Promise<number> {
    if (this.postgres) return pgUpsert(manager, doc);
    await manager.query(UPSERT, documentParams(doc, doc.archived ? 1 : 0));
    // changes() counts the rows of the last statement only (not the FTS triggers): 0 when the
    // index already had this revision or a newer one.
    const [row] = await manager.query<Array<{ n: number }>>('SELECT changes() AS n');
    return row.n;
  }
}
